"""Appointments rows for `make bench`: DynamoDB calls per request, and slot search p50 by clinic size."""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

Row = tuple[str, str, dict[str, str], bytes]


def rows(pid: str, patient: dict[str, str], staff: dict[str, str]) -> list[Row]:
    """Search, book (a real open slot), list, and a provider's day."""
    from chalicelib.appointments import store as appointment_store

    now = datetime.now(UTC)
    slots, _ = appointment_store.open_slots(
        "follow-up", now + timedelta(days=2), now + timedelta(days=9), provider_id=None, cursor=None
    )
    return [
        ("GET", f"/patients/{pid}/slots?visit_type=follow-up&days=7", patient, b""),
        ("POST", f"/patients/{pid}/appointments", patient, json.dumps({"slot_id": slots[0].id}).encode()),
        ("GET", f"/patients/{pid}/appointments?when=upcoming", patient, b""),
        ("GET", "/staff/schedule?provider=dr-rivera&days=1", staff, b""),
    ]


def _add_patients(first: int, last: int) -> None:
    """Patients p-bench<n> with a profile and a past appointment each (so the table grows like a clinic's)."""
    from chalicelib.core import aws

    start = (datetime.now(UTC) - timedelta(days=30)).replace(microsecond=0)
    with aws.table().batch_writer() as batch:
        for n in range(first, last):
            pid = f"p-bench{n:05d}"
            batch.put_item(
                Item={
                    "PK": f"PATIENT#{pid}",
                    "SK": "PROFILE",
                    "id": pid,
                    "legal_name": {"given": "Bench", "family": f"Patient{n}"},
                    "birth_date": "1980-01-01",
                    "updated_at": start.isoformat(),
                }
            )
            at = (start + timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
            batch.put_item(
                Item={
                    "PK": f"PATIENT#{pid}",
                    "SK": f"APPT#{at}#apt-bench{n}",
                    "GSI1PK": "PROVIDER#dr-rivera",
                    "GSI1SK": f"APPT#{at}#apt-bench{n}",
                    "id": f"apt-bench{n}",
                    "status": "booked",
                }
            )


def _p50_ms(client: Any, path: str, headers: dict[str, str], runs: int = 40) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.http.get(path, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.body
    return statistics.median(samples)


def search_p50_by_clinic_size(client: Any, pid: str, patient: dict[str, str]) -> None:
    path = f"/patients/{pid}/slots?visit_type=follow-up&days=7"
    _add_patients(0, 100)
    small = _p50_ms(client, path, patient)
    _add_patients(100, 10_000)
    large = _p50_ms(client, path, patient)
    print("\nSlot search p50 (GET /patients/{pid}/slots: 7 days, any provider, one Query on sparse GSI1)")
    print(f"  100 patients     {small:7.1f} ms")
    print(f"  10,000 patients  {large:7.1f} ms")
    print(f"  ratio = {large / small:.2f}x (goal: flat; open slots do not grow with patients)")
