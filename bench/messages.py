"""`make bench`, messaging, refills and pharmacies: DynamoDB calls per request, and the reads with 100 vs
10,000 patients in the table.

Filler patients each have one conversation with Dr. Rivera's team (a thread header, its list entry, one
or two messages), a third each unread, open and closed: a busy pool, so that every inbox tab has full pages
both at 100 and at 10,000 patients. Every fourth has an open refill request (the clinicians' work list).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bench.localcloud import ROOT, LocalCloud, local_cloud, put_items
from bench.meter import DynamoMeter
from bench.report import Part
from bench.routes import Probe, RouteBench, compare_sizes

if TYPE_CHECKING:
    from chalicelib.refills.models import RefillRequest

NAME = "routes: messaging, refills, pharmacies"
POOLS = ("dr-rivera-team", "front-desk", "billing")
INBOX_STATES = ("unread", "open", "closed")


def _filler_items(n: int, now: datetime) -> list[dict[str, Any]]:
    from chalicelib.messaging import store as message_store
    from chalicelib.messaging.models import Message, Thread
    from chalicelib.patients import store as patient_store
    from chalicelib.patients.models import PatientProfile
    from chalicelib.refills import store as refill_store

    pid = f"p-mbench{n:06d}"
    started = now - timedelta(days=1 + n % 60, minutes=n % 997)
    profile = PatientProfile.model_validate(
        {
            "id": pid,
            "legal_name": {"given": "Bench", "family": f"Patient{n}"},
            "birth_date": "1970-01-01",
            "updated_at": started,
        }
    )
    thread = Thread(
        id=f"t{n:031d}",
        patient_id=pid,
        patient_name=profile.display_name,
        pool_id=POOLS[0],
        subject="A question",
        created_at=started,
        last_message_at=started,
        last_from="patient",
        version=0,
    ).with_message("patient", started)
    messages = [
        Message(
            id=f"m{n:031d}",
            thread_id=thread.id,
            patient_id=pid,
            side="patient",
            author_sub="bench",
            author_name=profile.display_name,
            author_role="patient",
            sent_at=started,
            body="Could you tell me whether I should keep taking my medication as before? " * 4,
        )
    ]
    state = n % 3  # 0 unread, 1 open (answered), 2 closed
    if state:
        answered = started + timedelta(hours=3)
        messages.append(
            messages[0].model_copy(update={"id": f"r{n:031d}", "side": "clinic", "sent_at": answered})
        )
        thread = thread.read_by("clinic", answered).with_message("clinic", answered)
        if state == 2:
            thread = thread.closed(answered + timedelta(hours=1), "Bench Nurse")
    items = [
        {**profile.model_dump(mode="json"), **patient_store.profile_key(pid)},
        message_store.thread_item(thread),
        message_store.list_item(thread),
        *(message_store.message_item(m) for m in messages),
    ]
    if n % 4 == 0:  # an open refill request: the clinicians' refill work list
        items.append(refill_store.item(_refill(pid, profile.display_name, started)))
    return items


def _refill(pid: str, name: str, at: datetime) -> RefillRequest:
    from chalicelib.refills.models import PharmacySnapshot, RefillRequest

    return RefillRequest(
        id=f"rf-{pid}",
        patient_id=pid,
        patient_name=name,
        medication_id=f"{pid}-m",
        medication_name="Lisinopril",
        medication_dose="10 mg",
        pharmacy=PharmacySnapshot(
            id="ph-bench", name="Bench Pharmacy", phone="+12175550100", address="1 Main St"
        ),
        requested_at=at,
        requested_by_name=name,
    )


def fill(start: int, stop: int) -> None:
    now = datetime.now(UTC)
    put_items(item for n in range(start, stop) for item in _filler_items(n, now))


def reads(cloud: LocalCloud, client: Any) -> list[Probe]:
    from chalicelib.local.seed_messages import ALEX
    from chalicelib.messaging.service import COUNT_CAP

    patient, clinician = cloud.demo_user("alex"), cloud.demo_user("drrivera")
    base, label = f"/patients/{ALEX}", "/patients/{pid}"
    # The thread the clinician keeps opening: Alex's seeded one with Dr. Rivera's team with the most messages.
    seeded = client.http.get(base + "/threads", headers=patient).json_body["items"]
    theirs = [thread for thread in seeded if thread["pool_id"] == POOLS[0]]
    busiest = max(theirs, key=lambda thread: thread["message_count"])["id"]

    def mine(path: str) -> Probe:
        return Probe("GET", base + path, "patient", patient, label + path)

    def staff(path: str, shown: str = "", bound: int | None = None) -> Probe:
        return Probe("GET", path, "clinician", clinician, shown or path, bound=bound)

    inbox = "/staff/pools/dr-rivera-team/inbox?state="
    return [
        Probe("GET", "/care-teams", "patient", patient, "/care-teams"),
        mine("/threads"),
        mine("/threads/unread"),
        Probe("GET", f"{base}/threads/{busiest}", "clinician", clinician, label + "/threads/{tid}"),
        # Two capped counts (unread, open) per pool, plus the account: bounded, not flat.
        staff("/staff/pools", bound=2 * COUNT_CAP + 1),
        *(staff(inbox + state, "/staff/pools/{pool}/inbox?state=" + state) for state in INBOX_STATES),
        mine("/pharmacies"),
        mine("/refill-requests"),
        staff("/staff/refill-requests"),
    ]


def run() -> Part:
    from chalice.test import Client

    from chalicelib.local.seed_messages import ALEX
    from chalicelib.messaging.service import COUNT_CAP

    part = Part(NAME)
    meter = DynamoMeter()
    meter.install()
    with local_cloud("bench-messages", seed_demo=True) as cloud:
        patient, clinician = cloud.demo_user("alex"), cloud.demo_user("drrivera")
        base, label = f"/patients/{ALEX}", "/patients/{pid}"
        from app import app

        with Client(app, stage_name="test", project_dir=str(ROOT)) as client:
            bench = RouteBench(part, client, meter)

            def once(
                what: str, method: str, path: str, headers: dict[str, str], body: Any = None, caller: str = ""
            ) -> Any:
                who = caller or ("patient" if headers is patient else "clinician")
                return bench.once(Probe(method, base + path, who, headers, label + what, body=body)).json_body

            # A conversation from start to close, then a refill request and its decision: once each, in order.
            new = {"pool_id": "dr-rivera-team", "subject": "Bench", "body": "A question"}
            thread_id = once("/threads", "POST", "/threads", patient, new)["thread"]["id"]
            thread, shown = f"/threads/{thread_id}", "/threads/{tid}"
            once(shown, "GET", thread, clinician, caller="clinician, unread: marks it read")
            once(shown + "/messages", "POST", thread + "/messages", clinician, {"body": "An answer"})
            once(shown, "GET", thread, patient, caller="patient, unread: marks it read")
            once(shown + "/messages", "POST", thread + "/messages", patient, {"body": "Thanks"})
            once(shown + "/assign", "POST", thread + "/assign", clinician)
            once(shown + "/close", "POST", thread + "/close", clinician)
            pharmacy = client.http.get(base + "/pharmacies", headers=patient).json_body["items"][0]["id"]
            refill = {"medication_id": f"seed-{ALEX}-medication-2", "pharmacy_id": pharmacy}
            refill_id = once("/refill-requests", "POST", "/refill-requests", patient, refill)["id"]
            decision = {"decision": "approve", "note": "Sent."}
            once(
                "/refill-requests/{id}/decision",
                "POST",
                f"/refill-requests/{refill_id}/decision",
                clinician,
                decision,
            )
    compare_sizes(part, __name__)
    part.notes.append(
        "filler patients each add a conversation with Dr. Rivera's team (a third each unread, open, closed: "
        "full inbox pages at both sizes); every fourth an open refill request"
    )
    part.notes.append(
        f"GET /staff/pools counts each pool's unread and open threads, each count capped at {COUNT_CAP} "
        "items: it reads more in a busier clinic, up to that bound"
    )
    return part
