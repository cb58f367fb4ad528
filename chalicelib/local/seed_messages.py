"""Demo messaging: care-team pool memberships, a few conversations in every state, refill requests.

Written through the services (so the access logs show them, as they would in real use), with times
relative to `now`. Only into patients who have no conversations yet: re-seeding never duplicates.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.core import users
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.messaging import service as messaging
from chalicelib.messaging import store as message_store
from chalicelib.messaging.models import NewThreadIn, ReplyIn
from chalicelib.pharmacies import service as pharmacies
from chalicelib.pharmacies import store as pharmacy_store
from chalicelib.pharmacies.models import PharmacyIn
from chalicelib.refills import service as refills
from chalicelib.refills.models import RefillDecisionIn, RefillIn

ALEX, MARIA, RILEY = "p-4f1c2a9e", "p-8b3d7e21", "p-2e9a61d4"

# username -> (pools, where the daily digest goes)
POOL_MEMBERS: dict[str, tuple[list[str], str]] = {
    # the demo clinician covers every clinician pool, so each provider's video visits can be tried
    "drrivera": (["dr-rivera-team", "dr-chen-team", "np-alvarez-team"], "rivera@riverside.example"),
    "frontdesk": (["front-desk"], "frontdesk@riverside.example"),
    "billing": (["billing"], "billing@riverside.example"),
}

_NAMES = {
    "alex": ("Alex Morgan", Role.PATIENT),
    "maria": ("María González", Role.PATIENT),
    "drrivera": ("Dr. Priya Rivera", Role.CLINICIAN),
    "frontdesk": ("Sam Lee", Role.FRONT_DESK),
    "billing": ("Jordan Kim", Role.BILLING),
}


def _callers(subs: dict[str, str]) -> dict[str, Caller]:
    acts_for = {"alex": {ALEX: "self", RILEY: "caregiver"}, "maria": {MARIA: "self"}}
    return {
        username: Caller(
            sub=subs[username],
            username=username,
            role=role,
            display_name=name,
            request_id="seed",
            acts_for=acts_for.get(username, {}),  # type: ignore[arg-type]
            pools=frozenset(POOL_MEMBERS.get(username, ([], ""))[0]),
        )
        for username, (name, role) in _NAMES.items()
    }


def _empty(patient_id: str) -> bool:
    threads, _ = message_store.list_for_patient(patient_id, limit=1, cursor=None)
    return not threads


def _threads(who: dict[str, Caller], now: datetime) -> None:
    def ago(days: float, hours: float = 0) -> datetime:
        return now - timedelta(days=days, hours=hours)

    alex, maria = who["alex"], who["maria"]
    rivera, desk = who["drrivera"], who["frontdesk"]

    if _empty(ALEX):
        # Answered by the clinic, not yet read by Alex: an unread badge on the patient's side.
        bp = messaging.start_thread(
            alex,
            ALEX,
            NewThreadIn(
                pool_id="dr-rivera-team",
                subject="Home blood pressure readings",
                body="My readings this week were around 138/88 in the mornings. Should I change anything?",
            ),
            now=ago(3, 5),
        ).thread
        messaging.open_thread(rivera, ALEX, bp.id, limit=10, cursor=None, now=ago(2, 20))
        messaging.assign_to_me(rivera, ALEX, bp.id, now=ago(2, 20))
        messaging.reply(
            rivera,
            ALEX,
            bp.id,
            ReplyIn(
                body="Thanks for sending these. Keep taking lisinopril as prescribed and cut back on salt.\n"
                "Send me another week of readings and we'll decide at your next visit."
            ),
            now=ago(2, 19),
        )
        # A closed conversation.
        parking = messaging.start_thread(
            alex,
            ALEX,
            NewThreadIn(pool_id="front-desk", subject="Parking", body="Is there parking near the clinic?"),
            now=ago(20),
        ).thread
        messaging.open_thread(desk, ALEX, parking.id, limit=10, cursor=None, now=ago(19, 23))
        messaging.reply(
            desk,
            ALEX,
            parking.id,
            ReplyIn(body="Yes: free parking behind the building, entrance on Mill Street."),
            now=ago(19, 22),
        )
        messaging.open_thread(alex, ALEX, parking.id, limit=10, cursor=None, now=ago(19, 20))
        messaging.reply(alex, ALEX, parking.id, ReplyIn(body="Great, thank you!"), now=ago(19, 20))
        messaging.close(desk, ALEX, parking.id, now=ago(19, 2))

    if _empty(RILEY):
        # Alex writes as Riley's caregiver; nobody at the front desk has read it yet.
        messaging.start_thread(
            alex,
            RILEY,
            NewThreadIn(
                pool_id="front-desk",
                subject="School sports form",
                body="Riley needs his sports physical form signed for school. Can I pick it up on Friday?",
            ),
            now=ago(0, 6),
        )

    if _empty(MARIA):
        # Waiting in the billing inbox, unread by anyone at the clinic.
        messaging.start_thread(
            maria,
            MARIA,
            NewThreadIn(
                pool_id="billing",
                subject="Pregunta sobre mi factura",
                body="Recibí una factura de $45 pero pensé que mi seguro cubría la visita. "
                "¿Pueden revisarla?",
            ),
            now=ago(1, 3),
        )
        # Read and assigned, still waiting for an answer.
        dizzy = messaging.start_thread(
            maria,
            MARIA,
            NewThreadIn(
                pool_id="dr-rivera-team",
                subject="Dizzy in the mornings",
                body="I feel dizzy when I get up in the morning since last week. "
                "It passes after a few minutes.",
            ),
            now=ago(0, 20),
        ).thread
        messaging.open_thread(rivera, MARIA, dizzy.id, limit=10, cursor=None, now=ago(0, 2))
        messaging.assign_to_me(rivera, MARIA, dizzy.id, now=ago(0, 2))


def _pharmacy(who: Caller, patient_id: str, name: str, phone: str, line1: str, postal_code: str) -> str:
    body = PharmacyIn.model_validate(
        {
            "name": name,
            "phone": phone,
            "address": {"line1": line1, "city": "Springfield", "state": "IL", "postal_code": postal_code},
        }
    )
    return pharmacies.add_pharmacy(who, patient_id, body).id


def _refills(who: dict[str, Caller], now: datetime) -> None:
    """Saved pharmacies and refill requests (open, approved, denied) on the medications seed_records wrote."""
    alex, maria, rivera = who["alex"], who["maria"], who["drrivera"]
    if not pharmacy_store.list_for_patient(ALEX):
        corner = _pharmacy(
            alex, ALEX, "Springfield Corner Pharmacy", "+12175550170", "310 Elm Street", "62704"
        )
        _pharmacy(alex, ALEX, "RiverMail Pharmacy (mail order)", "+18005550123", "PO Box 4400", "62705")
        lisinopril = refills.request_refill(
            alex,
            ALEX,
            RefillIn(medication_id=f"seed-{ALEX}-medication-2", pharmacy_id=corner),
            now=now - timedelta(days=10),
        )
        refills.decide(
            rivera,
            ALEX,
            lisinopril.id,
            RefillDecisionIn(decision="approve", note="Sent to your pharmacy with 3 refills."),
            now=now - timedelta(days=9, hours=20),
        )
        statin = refills.request_refill(
            alex,
            ALEX,
            RefillIn(medication_id=f"seed-{ALEX}-medication-3", pharmacy_id=corner),
            now=now - timedelta(days=30),
        )
        refills.decide(
            rivera,
            ALEX,
            statin.id,
            RefillDecisionIn(
                decision="deny",
                note="You are due for a cholesterol test before the next refill. Please book a lab visit; "
                "I have sent a 2-week supply to tide you over.",
            ),
            now=now - timedelta(days=29),
        )
        refills.request_refill(
            alex,
            ALEX,
            RefillIn(
                medication_id=f"seed-{ALEX}-medication-1",
                pharmacy_id=corner,
                note="Down to my last few pills.",
            ),
            now=now - timedelta(hours=20),
        )
    if not pharmacy_store.list_for_patient(MARIA):
        maria_pharmacy = _pharmacy(
            maria, MARIA, "Farmacia Central", "+12175550133", "77 Jefferson Street", "62702"
        )
        refills.request_refill(
            maria,
            MARIA,
            RefillIn(medication_id=f"seed-{MARIA}-medication-1", pharmacy_id=maria_pharmacy),
            now=now - timedelta(days=2),
        )


def seed(subs: dict[str, str], now: datetime) -> None:
    """Pool memberships for the demo staff, then conversations and refills for patients who have none yet."""
    for username, (pools, email) in POOL_MEMBERS.items():
        users.set_pools(subs[username], pools, email=email)
    who = _callers(subs)
    _threads(who, now)
    _refills(who, now)
