"""`make bench`, importing existing patients: a 5,000-row CSV with 20 bad rows, checked, imported and
imported again (what `make import-patients` does), timed, with the DynamoDB calls per row; one admin-page
chunk; and the front desk's registration one row at a time, for comparison.

Every call goes over HTTP to the moto server (with the bench's patches, so a Query reads what DynamoDB
would), as `make import-patients` against `make run` does.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bench.localcloud import local_cloud, progress
from bench.meter import DynamoMeter, Reading
from bench.report import OK, Part

if TYPE_CHECKING:
    from chalicelib.enrolment.models import PatientImportOut

NAME = "import patients"
ROWS = 5000
BAD = 20
CHUNK = 100  # as the command line sends them to the importer
HEADER = (
    "mrn,given_name,family_name,birth_date,sex,email,phone,address_line1,address_line2,city,state,postal_code"
)


def go_live_csv(rows: int = ROWS, bad: int = BAD, prefix: str = "B") -> str:
    """`rows` patients, every 250th a bad row (a birth date that is no date, or an MRN with a space); every
    40th without an MRN (the name and birth date check)."""
    every = rows // bad
    lines = [HEADER]
    for n in range(1, rows + 1):
        born = (date(1930, 1, 1) + timedelta(days=n * 7 % 34000)).isoformat()
        mrn = "" if n % 40 == 0 else f"{prefix}{n:06d}"
        if n % every == 0:
            born, mrn = ("1890-13-01", mrn) if (n // every) % 2 else (born, "bad mrn")
        lines.append(
            f"{mrn},Given{n},{prefix}Family{n},{born},female,p{n}@example.org,,{n} Main St,,Portland,OR,97201"
        )
    return "\n".join(lines) + "\n"


def _per_row(reading: Reading, rows: int) -> str:
    ops = ", ".join(f"{op} {n:,}" for op, n in sorted(reading.operations.items()))
    return f"{reading.calls / rows:.3f} ({reading.calls:,} calls: {ops})"


def _verdict(reading: Reading, rows: int, goal: float) -> str:
    if "Scan" in reading.operations:
        return "a Scan"
    per_row = reading.calls / rows
    return OK if per_row <= goal else f"over goal ({per_row:.3f})"


def _run_file(
    meter: DynamoMeter, caller: Any, rows: list[Any], *, dry_run: bool
) -> tuple[float, Reading, int]:
    from chalicelib.enrolment import importer

    seen = importer.Seen()
    parts: list[PatientImportOut] = []
    meter.reset()
    started = time.perf_counter()
    for start in range(0, len(rows), CHUNK):
        parts.append(importer.check_rows(caller, rows[start : start + CHUNK], dry_run=dry_run, seen=seen))
    seconds = time.perf_counter() - started
    return seconds, meter.reading(), sum(p.new for p in parts)


def run() -> Part:
    part = Part(NAME)
    meter = DynamoMeter()
    meter.install()
    with local_cloud("bench-import", seed_demo=False):
        from chalicelib.enrolment import importer, registration
        from chalicelib.enrolment.models import PatientImportIn
        from chalicelib.enrolment.patient_files import read_csv

        caller = importer.importer_caller("bench", "bench-run")
        rows = read_csv(go_live_csv())
        unit = "s; DynamoDB calls per row"
        figures = (
            ("dry run (nothing written)", True, 1.1, "<= 1.1 calls per row; no Scan"),
            ("import", False, 1.1, "<= 1.1 calls per row; no Scan"),
            ("the same file again (nothing new)", False, 0.1, "<= 0.1 calls per row; no Scan"),
        )
        for what, dry_run, goal, goal_text in figures:
            progress(f"{what}: {len(rows):,} rows")
            seconds, reading, new = _run_file(meter, caller, rows, dry_run=dry_run)
            part.add(
                f"{len(rows):,}-row CSV with {BAD} bad rows, {CHUNK} rows a chunk: {what}",
                f"{seconds:.1f} s ({len(rows) / seconds:,.0f} rows/s), {new:,} new; "
                + _per_row(reading, len(rows)),
                unit,
                goal_text,
                _verdict(reading, len(rows), goal),
            )

        progress("one admin-page chunk of 200 new rows")
        chunk = go_live_csv(rows=200, bad=1, prefix="C")
        meter.reset()
        started = time.perf_counter()
        report = importer.import_chunk(
            caller, PatientImportIn(format="csv", content=chunk, dry_run=False, file_name="bench.csv")
        )
        seconds = time.perf_counter() - started
        reading = meter.reading()
        part.add(
            "admin page: one request's chunk of 200 rows, imported (the service, without the handler)",
            f"{seconds * 1000:,.0f} ms, {report.new} new; {reading.describe()}",
            "ms; DynamoDB calls per chunk",
            "well under the 30 s of a Lambda call",
            OK if seconds < 10 else f"over goal ({seconds:.1f} s)",
        )

        progress("the front desk's registration, 200 rows one at a time")
        single = read_csv(go_live_csv(rows=200, bad=1, prefix="D"))
        meter.reset()
        started = time.perf_counter()
        for row in single:
            if row.registration is not None:
                registration.register_patient(caller, row.registration, same_mrn="skip")
        seconds = time.perf_counter() - started
        reading = meter.reading()
        part.add(
            "for comparison: register_patient one row at a time (the front desk's path), 200 rows",
            f"{seconds:.1f} s; {_per_row(reading, len(single))}",
            unit,
        )
    part.notes.append(
        "every 40th row has no MRN (checked by name and birth date); the bad rows are a birth date "
        "that is no date and an MRN with a space. DynamoDB calls per row: the MRN index read with one "
        "BatchGetItem per 100 rows, the directory with one Query per birth date in a chunk, one "
        "TransactWriteItems per 25 new patients (4 items each: profile, birth-date entry, MRN index, "
        "audit event)"
    )
    return part
