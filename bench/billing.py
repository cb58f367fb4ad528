"""Billing rows for `make bench`: DynamoDB calls per billing request on the seeded demo clinic."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from typing import Any

from chalice.test import Client


def print_rows(
    client: Client, calls: Counter[str], pid: str, patient: dict[str, str], billing: dict[str, str]
) -> None:
    statements = client.http.get(f"/patients/{pid}/statements?status=open", headers=patient).json_body[
        "items"
    ]
    open_one = statements[0]["id"]
    pay = json.dumps(
        {"statement_id": open_one, "amount_cents": 100, "currency": "USD", "card_token": "sim_tok_4242"}
    ).encode()
    key = {"Idempotency-Key": f"bench-{uuid.uuid4().hex}"}
    rows: list[tuple[str, str, str, dict[str, str], bytes]] = [
        ("GET", f"/patients/{pid}/statements", "patient", patient, b""),
        ("GET", f"/patients/{pid}/statements/{open_one}", "patient", patient, b""),
        ("GET", f"/patients/{pid}/ledger", "patient", patient, b""),
        ("GET", f"/patients/{pid}/payments", "patient", patient, b""),
        ("POST", f"/patients/{pid}/payments", "patient", {**patient, **key}, pay),
        ("POST", f"/patients/{pid}/payments", "patient (same key again)", {**patient, **key}, pay),
        ("GET", f"/patients/{pid}/insurance", "patient", patient, b""),
        ("GET", "/staff/billing/open-balances", "billing", billing, b""),
        ("POST", "/staff/billing/run-jobs", "billing", billing, b""),
    ]
    print("\nBilling: DynamoDB calls per request")
    print("  (Powertools idempotency has its own client: +2 calls per new payment, +1 per replay)")
    for method, path, who, headers, body in rows:
        calls.clear()
        start = time.perf_counter()
        response: Any = client.http.request(
            method, path, headers={**headers, "Content-Type": "application/json"}, body=body
        )
        elapsed = (time.perf_counter() - start) * 1000
        ops = ", ".join(f"{op} x{n}" for op, n in sorted(calls.items()))
        shown = path.replace(pid, "{pid}").replace(open_one, "{sid}")
        print(
            f"  {method + ' ' + shown:<42} {who:<10} {sum(calls.values()):>5}  "
            f"{ops}  [{response.status_code}, {elapsed:.0f} ms on moto]"
        )
