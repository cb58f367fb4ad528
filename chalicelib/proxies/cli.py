"""One-off: give parental grants made before grants ended at coming of age their `adult_at` and capped end.

    TABLE_NAME=<table> CLINIC_CONFIG_FILE=clinics/<clinic>.json \
        python -m chalicelib.proxies.cli --granted-since 2025-01-01

A grant made while the patient was a minor needs one if it lacks one; such a patient was born after
`granted-since` minus the age of majority. The command walks the staff directory's birth-date partitions
from that day to today (one Query a day, never a Scan), reads each patient's grants (one Query) and sets
the missing ones, each in one transaction with its audit event and only while none is set: running it
twice, or while the app runs, changes nothing more. A grant whose patient has come of age meanwhile gets
its past `adult_at`: access stops at once and the hourly `proxies-adulthood` job removes it and says so.
Prints counts only.
"""

from __future__ import annotations

import argparse
import os
from datetime import date, timedelta

from chalicelib.core import config, minors
from chalicelib.core.observability import isolated
from chalicelib.patients import profiles as profile_service
from chalicelib.proxies import service as proxy_service


def first_birth_date(granted_since: date) -> date:
    """The earliest birth date of a patient who could have been a minor on `granted_since`."""
    years = config.clinic().minors.adult_at_age
    try:
        return granted_since.replace(year=granted_since.year - years)
    except ValueError:  # 29 February
        return date(granted_since.year - years, 3, 1)


def run(granted_since: date, *, today: date | None = None) -> tuple[int, int]:
    """(patients looked at, grants changed)."""
    today = today or minors.clinic_today()
    day = first_birth_date(granted_since)
    patients = changed = 0
    while day <= today:
        for entry in profile_service.born_on(day):
            patients += 1
            with isolated("proxies-adulthood-backfill", patient_id=entry.id):
                changed += proxy_service.backfill_adulthood(entry.id)
        day += timedelta(days=1)
    return patients, changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m chalicelib.proxies.cli",
        description="Set the coming-of-age end on parental grants made before it existed (idempotent).",
    )
    parser.add_argument(
        "--granted-since",
        type=date.fromisoformat,
        required=True,
        help="the day the portal first granted caregiver access (YYYY-MM-DD)",
    )
    args = parser.parse_args(argv)
    if not os.environ.get("TABLE_NAME"):
        raise SystemExit("set TABLE_NAME (and CLINIC_CONFIG_FILE) to the table to update")
    patients, changed = run(args.granted_since)
    print(f"looked at {patients} patients; set coming of age on {changed} grants")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
