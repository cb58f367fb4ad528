"""`make bench`, messaging: DynamoDB calls per request for the messaging, refill and pharmacy
routes, and the p50 of the inbox and thread reads with 100 vs 10,000 patients in the table.

Filler patients each have one conversation with Dr. Rivera's team (a thread header, its list entry, one
or two messages), a third each unread, open and closed: a busy pool, so that every inbox tab has full pages
both at 100 and at 10,000 patients and the two sizes read the same number of items per request.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PORT = 4596
SAMPLES = 40
TABLE_PREFIX = "bench-messages"
POOLS = ("dr-rivera-team", "front-desk", "billing")


def _filler_items(n: int, now: datetime) -> list[dict[str, Any]]:
    from chalicelib.messaging import store as message_store
    from chalicelib.messaging.models import Message, Thread
    from chalicelib.patients import store as patient_store
    from chalicelib.patients.models import PatientProfile

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
    return [
        {**profile.model_dump(mode="json"), **patient_store.profile_key(pid)},
        message_store.thread_item(thread),
        message_store.list_item(thread),
        *(message_store.message_item(m) for m in messages),
    ]


def _fill(start: int, stop: int, now: datetime, table_name: str) -> None:
    """Straight into the in-process moto backend (HTTP would take many minutes); requests still use HTTP."""
    from boto3.dynamodb.types import TypeSerializer
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    serialize = TypeSerializer().serialize
    for n in range(start, stop):
        for item in _filler_items(n, now):
            backend.put_item(table_name, {key: serialize(value) for key, value in item.items()})


def _partitioned_moto(table_name: str) -> None:
    """moto answers a Query by sorting a whole table (or a whole index) and then walking it; DynamoDB reads
    only the range asked for from one sorted partition. So that timings measure our code and not moto's
    sort, this bench keeps a partition map of its own table (base and GSI1) and hands moto's Query just the
    window DynamoDB would read: the partition, the begins_with range, from the start key, Limit + 1 items.
    moto still does everything else (conditions, filters, paging keys). Bench only: tests use stock moto."""
    import bisect
    import inspect
    import threading

    from moto.dynamodb.models.table import Table

    lock = threading.Lock()
    gsi: dict[str, dict[tuple[Any, Any], Any]] = {}
    where: dict[tuple[Any, Any], str] = {}
    put, delete, query = Table.put_item, Table.delete_item, Table.query
    signature = inspect.signature(query)

    ordered: dict[str, tuple[list[Any], list[Any]]] = {}  # GSI1 partitions, sorted until they change

    def forget(key: tuple[Any, Any]) -> None:
        old = where.pop(key, None)
        if old is not None:
            gsi[old].pop(key, None)
            ordered.pop(old, None)

    def put_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = put(self, *args, **kwargs)
        if self.name == table_name:
            key = (item.hash_key, item.range_key)
            forget(key)
            index_key = item.attrs.get("GSI1PK")
            if index_key is not None and item.attrs.get("GSI1SK") is not None:
                gsi.setdefault(str(index_key.value), {})[key] = item
                where[key] = str(index_key.value)
                ordered.pop(str(index_key.value), None)
        return item

    def delete_item(self: Any, hash_key: Any, range_key: Any) -> Any:
        item = delete(self, hash_key, range_key)
        if self.name == table_name and item is not None:
            forget((item.hash_key, item.range_key))
        return item

    def window(bound: dict[str, Any], items: list[Any], keys: list[Any], start: Any) -> list[Any]:
        limit = bound.get("limit")
        if not limit:
            return items
        forward = bound.get("scan_index_forward") is not False
        if forward:
            position = bisect.bisect_right(keys, start) if start is not None else 0
            return items[position : position + limit + 1]
        position = bisect.bisect_left(keys, start) if start is not None else len(items)
        return items[max(0, position - limit - 1) : position]

    def partitioned_query(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.name != table_name:
            return query(self, *args, **kwargs)
        bound = signature.bind(self, *args, **kwargs).arguments
        start_key = bound.get("exclusive_start_key")
        members: list[Any]
        keys: list[Any]
        if bound.get("index_name"):
            # moto passes an index's partition key as a condition, not as hash_key
            value = dict(bound.get("hash_key_conditions") or []).get("GSI1PK")
            if value is None or bound.get("range_key_conditions"):
                return query(self, *args, **kwargs)
            name = str(value.value)
            if name not in ordered:
                entries = sorted(
                    ((str(i.attrs["GSI1SK"].value), str(i.hash_key.value), str(i.range_key.value)), i)
                    for i in gsi.get(name, {}).values()
                )
                ordered[name] = ([item for _, item in entries], [key for key, _ in entries])
            members, keys = ordered[name]
            start = (
                (start_key["GSI1SK"]["S"], start_key["PK"]["S"], start_key["SK"]["S"]) if start_key else None
            )
        else:
            hash_key = bound.get("hash_key")
            if hash_key is None:
                return query(self, *args, **kwargs)
            members = list(self.items.get(hash_key, {}).values())
            conditions = bound.get("range_key_conditions") or []
            if conditions:
                [(_, comparison, values)] = conditions
                if comparison.upper() != "BEGINS_WITH":
                    return query(self, *args, **kwargs)
                prefix = str(values[0].value)
                members = [item for item in members if str(item.range_key.value).startswith(prefix)]
            members.sort(key=lambda i: str(i.range_key.value))
            keys = [str(i.range_key.value) for i in members]
            start = start_key["SK"]["S"] if start_key else None
        visible = window(bound, members, keys, start)
        with lock:  # moto's server is threaded; the swapped-in item list belongs to one query at a time
            self.all_items = lambda: visible
            try:
                return query(self, *args, **kwargs)
            finally:
                del self.all_items

    Table.put_item = put_item  # type: ignore[method-assign]
    Table.delete_item = delete_item  # type: ignore[method-assign]
    Table.query = partitioned_query  # type: ignore[method-assign]


def bench_messages() -> None:
    import logging
    import os

    for name, value in (("AWS_ACCESS_KEY_ID", "bench"), ("AWS_SECRET_ACCESS_KEY", "bench")):
        os.environ.setdefault(name, value)
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from chalice.test import Client
    from moto.server import ThreadedMotoServer

    from chalicelib.core import aws
    from chalicelib.local import bootstrap, seed, server
    from chalicelib.local.seed_messages import ALEX

    _partitioned_moto(f"{TABLE_PREFIX}-table")
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=PORT, verbose=False)
    moto.start()
    try:
        resources = bootstrap.bootstrap(f"http://127.0.0.1:{PORT}", name=TABLE_PREFIX)
        server.configure_environment(resources, ROOT / "clinics" / "demo.json")
        seed.seed(resources.user_pool_id)
        from app import app

        calls: Counter[str] = Counter()
        read: Counter[str] = Counter()

        def count(event_name: str, **_: Any) -> None:
            calls[event_name.rsplit(".", 1)[-1]] += 1

        def items_read(event_name: str, parsed: dict[str, Any], **_: Any) -> None:
            read["items"] += int(parsed.get("ScannedCount", 0)) + (1 if parsed.get("Item") else 0)

        aws.dynamodb_client().meta.events.register("before-call.dynamodb", count)
        aws.dynamodb_client().meta.events.register("after-call.dynamodb", items_read)

        def token(username: str) -> dict[str, str]:
            result = aws.cognito_client().initiate_auth(
                ClientId=resources.user_pool_client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": seed.DEMO_PASSWORD},
            )
            return {"Authorization": "Bearer " + result["AuthenticationResult"]["AccessToken"]}

        patient, clinician = token("alex"), token("drrivera")
        names = {id(patient): "patient", id(clinician): "clinician"}
        base = f"/patients/{ALEX}"

        with Client(app, stage_name="test", project_dir=str(ROOT)) as client:

            def call(method: str, path: str, headers: dict[str, str], body: Any = None) -> Any:
                raw = json.dumps(body).encode() if body is not None else b""
                return client.http.request(
                    method, path, headers={**headers, "Content-Type": "application/json"}, body=raw
                )

            def row(label: str, method: str, path: str, headers: dict[str, str], body: Any = None) -> Any:
                calls.clear()
                read.clear()
                response = call(method, path, headers, body)
                ops = ", ".join(f"{op} x{n}" for op, n in sorted(calls.items()))
                print(
                    f"  {method + ' ' + label:<50} {names[id(headers)]:<9} {sum(calls.values()):>5}  "
                    f"{ops}  [{response.status_code}, {read['items']} items read]"
                )
                return response

            print("\nMessaging: DynamoDB calls per request (each includes 1 Query for the account)")
            print(f"  {'route':<50} {'caller':<9} {'calls':>5}  operations")
            row("/care-teams", "GET", "/care-teams", patient)
            row("{pid}/threads", "GET", f"{base}/threads", patient)
            row("{pid}/threads/unread", "GET", f"{base}/threads/unread", patient)
            new = {"pool_id": "dr-rivera-team", "subject": "Bench", "body": "A question"}
            thread_id = row("{pid}/threads", "POST", f"{base}/threads", patient, new).json_body["thread"][
                "id"
            ]
            thread = f"{base}/threads/{thread_id}"
            row("{pid}/threads/{tid} (unread: marks read)", "GET", thread, clinician)
            row("{pid}/threads/{tid} (already read)", "GET", thread, clinician)
            row(
                "{pid}/threads/{tid}/messages", "POST", f"{thread}/messages", clinician, {"body": "An answer"}
            )
            row("{pid}/threads/{tid} (unread: marks read)", "GET", thread, patient)
            row("{pid}/threads/{tid}/messages", "POST", f"{thread}/messages", patient, {"body": "Thanks"})
            row("{pid}/threads/{tid}/assign", "POST", f"{thread}/assign", clinician)
            row("{pid}/threads/{tid}/close", "POST", f"{thread}/close", clinician)
            row("/staff/pools", "GET", "/staff/pools", clinician)
            row(
                "/staff/pools/{pool}/inbox?state=open",
                "GET",
                "/staff/pools/dr-rivera-team/inbox?state=open",
                clinician,
            )
            row("{pid}/pharmacies", "GET", f"{base}/pharmacies", patient)
            row("{pid}/refill-requests", "GET", f"{base}/refill-requests", patient)
            pharmacy = call("GET", f"{base}/pharmacies", patient).json_body["items"][0]["id"]
            refill = {"medication_id": f"seed-{ALEX}-medication-2", "pharmacy_id": pharmacy}
            refill_id = row(
                "{pid}/refill-requests", "POST", f"{base}/refill-requests", patient, refill
            ).json_body["id"]
            row("/staff/refill-requests", "GET", "/staff/refill-requests", clinician)
            decision = {"decision": "approve", "note": "Sent."}
            row(
                "{pid}/refill-requests/{id}/decision",
                "POST",
                f"{base}/refill-requests/{refill_id}/decision",
                clinician,
                decision,
            )

            # The thread the clinician keeps opening: Alex's seeded one with the most messages.
            seeded = call("GET", f"{base}/threads", patient).json_body["items"]
            busiest = max(seeded, key=lambda t: t["message_count"])["id"]
            timed = {
                "GET /staff/pools/{pool}/inbox (unread)": (
                    "/staff/pools/dr-rivera-team/inbox?state=unread",
                    clinician,
                ),
                "GET /staff/pools/{pool}/inbox (closed)": (
                    "/staff/pools/dr-rivera-team/inbox?state=closed",
                    clinician,
                ),
                "GET /staff/pools/{pool}/inbox (open)": (
                    "/staff/pools/dr-rivera-team/inbox?state=open",
                    clinician,
                ),
                "GET {pid}/threads/{tid}": (f"{base}/threads/{busiest}", clinician),
                "GET {pid}/threads": (f"{base}/threads", patient),
                "GET /staff/pools (counts)": ("/staff/pools", clinician),
            }

            def p50(path: str, headers: dict[str, str]) -> tuple[float, int, int]:
                samples = []
                for _ in range(SAMPLES):
                    calls.clear()
                    read.clear()
                    start = time.perf_counter()
                    client.http.get(path, headers=headers)
                    samples.append((time.perf_counter() - start) * 1000)
                return statistics.median(samples), sum(calls.values()), read["items"]

            now = datetime.now(UTC)
            _fill(0, 100, now, resources.table_name)
            small = {label: p50(*target) for label, target in timed.items()}
            fill_start = time.perf_counter()
            _fill(100, 10_000, now, resources.table_name)
            fill_s = time.perf_counter() - fill_start
            large = {label: p50(*target) for label, target in timed.items()}
        print(
            f"\n  p50 of {SAMPLES} requests with 100 vs 10,000 filler patients (filled in {fill_s:.0f} s);"
            " [DynamoDB calls, items read] per request"
        )
        from chalicelib.messaging.service import COUNT_CAP

        for label in timed:
            (small_ms, small_calls, small_items), (large_ms, large_calls, large_items) = (
                small[label],
                large[label],
            )
            ratio = large_ms / small_ms
            verdict = "ok" if ratio <= 1.3 and small_items == large_items else "GROWS WITH THE TABLE"
            if "(counts)" in label and large_items <= 2 * COUNT_CAP + 1:  # two capped counts + the account
                verdict = f"ok: bounded, each count reads at most {COUNT_CAP} items"
            print(
                f"  {label:<40} {small_ms:6.1f} ms [{small_calls}, {small_items:>4}]  "
                f"{large_ms:6.1f} ms [{large_calls}, {large_items:>4}]  ratio {ratio:.2f} {verdict}"
            )
    finally:
        moto.stop()


if __name__ == "__main__":
    bench_messages()
