"""Importing a clinic's existing patients at go-live: a dry run that reports, then the real run.

Every row is the front desk's registration form (RegistrationIn) and meets the same duplicate rules:
- a row whose MRN is registered is "already registered" (skipped, never doubled: re-runs are safe);
- a row without an MRN whose name and birth date are registered is "already registered" too;
- a row with a new MRN whose name and birth date are registered is rejected: the same person may be on
  file without that MRN (or with another), which a person must check;
- a row that repeats an earlier row's MRN, or its name and birth date, is rejected, naming that row.

Nothing is half-imported: each patient's profile, directory entry, MRN index entry and audit event land in
one transaction. Rows are written ROWS_PER_TRANSACTION at a time; a refused transaction (an MRN taken
meanwhile) lands nothing, and its rows go through `register_patient` one by one.

DynamoDB work per row: the MRN index is read with one BatchGetItem per 100 rows, the directory with one
Query per birth date in the chunk, and the writes are one TransactWriteItems per 12 new patients.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, Literal

from chalicelib.core import dynamo, errors, notify
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.core.observability import logger
from chalicelib.enrolment import invitations as invitation_service
from chalicelib.enrolment import registration
from chalicelib.enrolment import store as enrolment_store
from chalicelib.enrolment.models import (
    MAX_IMPORT_ROWS,
    ImportCreated,
    ImportExisting,
    ImportInvitationsOut,
    ImportNotInvited,
    ImportRejected,
    InvitationIn,
    PatientImportIn,
    PatientImportOut,
    RegistrationIn,
)
from chalicelib.enrolment.patient_files import Row, rows_of
from chalicelib.patients import profiles as profile_service
from chalicelib.patients.models import DirectoryEntry
from chalicelib.staff_admin import service as staff_admin_service

ACTION: Final = "patient.import"  # the patient's audit event: "Registered by the clinic's import"
CHUNK_ROWS: Final = 100  # rows checked together: one BatchGetItem of their MRNs
# 8 items a patient (profile, five directory entries, MRN index, audit) <= 100
ROWS_PER_TRANSACTION: Final = 12
INVITE_SECONDS: Final = 20.0  # what one admin-page request may spend sending invitations (Lambda: 30 s)


def importer_caller(operator: str, run_id: str) -> Caller:
    """The actor of a command-line import: the operator, recorded as the importer (not a person's login)."""
    return Caller(
        sub=f"importer:{operator}",
        username=operator,
        role=Role.ADMIN,
        display_name=f"Patient import ({operator})",
        request_id=run_id,
    )


@dataclass
class Seen:
    """What earlier rows of the same file registered, so a repeat names the row it repeats."""

    rows: dict[tuple[str, ...], int] = field(default_factory=dict)


def _keys(body: RegistrationIn) -> list[tuple[str, ...]]:
    family, given = profile_service.folded_name(body.legal_name.family, body.legal_name.given)
    keys: list[tuple[str, ...]] = [("person", family, given, body.birth_date.isoformat())]
    if body.mrn:
        keys.insert(0, ("mrn", body.mrn.upper()))
    return keys


def _repeat(body: RegistrationIn, number: int, seen: Seen, unit: str) -> str | None:
    keys = _keys(body)
    for key in keys:
        earlier = seen.rows.get(key)
        if earlier is not None:
            if key[0] == "mrn":
                return f"MRN {body.mrn} is also on {unit} {earlier}"
            return (
                f"the same name and birth date as {unit} {earlier}; if they are two people, "
                "register this one at the front desk"
            )
    for key in keys:
        seen.rows[key] = number
    return None


@dataclass
class _Outcome:
    rejected: list[ImportRejected] = field(default_factory=list)
    existing: list[ImportExisting] = field(default_factory=list)
    new: list[tuple[int, RegistrationIn]] = field(default_factory=list)
    created: list[ImportCreated] = field(default_factory=list)


def check_rows(
    caller: Caller,
    rows: Sequence[Row],
    *,
    dry_run: bool,
    unit: Literal["line", "entry"] = "line",
    seen: Seen | None = None,
    now: datetime | None = None,
) -> PatientImportOut:
    """Check rows (and, unless a dry run, register the new patients): the report of this chunk."""
    seen = seen if seen is not None else Seen()
    outcome = _Outcome()
    valid: list[tuple[int, RegistrationIn]] = []
    for row in rows:
        if row.registration is None:
            outcome.rejected.append(ImportRejected(row=row.number, reason=row.problem or "not valid"))
            continue
        repeated = _repeat(row.registration, row.number, seen, unit)
        if repeated:
            outcome.rejected.append(ImportRejected(row=row.number, reason=repeated))
        else:
            valid.append((row.number, row.registration))
    for start in range(0, len(valid), CHUNK_ROWS):
        _sort(valid[start : start + CHUNK_ROWS], outcome)
    if not dry_run:
        now = now or dynamo.utcnow()
        for start in range(0, len(outcome.new), ROWS_PER_TRANSACTION):
            _write(caller, outcome.new[start : start + ROWS_PER_TRANSACTION], outcome, now)
    outcome.rejected.sort(key=lambda r: r.row)
    outcome.existing.sort(key=lambda r: r.row)
    new_count = len(outcome.created) if not dry_run else len(outcome.new)
    with_email = (
        sum(1 for c in outcome.created if c.has_email)
        if not dry_run
        else sum(1 for _, body in outcome.new if body.email)
    )
    return PatientImportOut(
        dry_run=dry_run,
        numbered_by=unit,
        read=len(rows),
        accepted=new_count + len(outcome.existing),
        new=new_count,
        new_with_email=with_email,
        created=sorted(outcome.created, key=lambda c: c.row),
        already_registered=outcome.existing,
        rejected=outcome.rejected,
    )


def _sort(chunk: list[tuple[int, RegistrationIn]], outcome: _Outcome) -> None:
    """New, already registered, or rejected: one BatchGetItem of the MRNs, one Query per birth date."""
    known = enrolment_store.patients_with_mrns([body.mrn for _, body in chunk if body.mrn])
    born: dict[date, list[DirectoryEntry]] = {}
    for number, body in chunk:
        patient_id = known.get(body.mrn.upper()) if body.mrn else None
        if patient_id:
            outcome.existing.append(ImportExisting(row=number, patient_id=patient_id, matched_by="mrn"))
            continue
        if body.birth_date not in born:
            born[body.birth_date] = profile_service.born_on(body.birth_date)
        wanted = profile_service.folded_name(body.legal_name.family, body.legal_name.given)
        same = next(
            (
                entry
                for entry in born[body.birth_date]
                if profile_service.folded_name(entry.legal_name.family, entry.legal_name.given) == wanted
            ),
            None,
        )
        if same is None:
            outcome.new.append((number, body))
        elif body.mrn:
            outcome.rejected.append(
                ImportRejected(
                    row=number,
                    reason=(
                        f"a patient with the same name and birth date is registered ({same.id}) without "
                        f"MRN {body.mrn}: check that record"
                    ),
                )
            )
        else:
            outcome.existing.append(
                ImportExisting(row=number, patient_id=same.id, matched_by="name_and_birth_date")
            )


def _write(caller: Caller, group: list[tuple[int, RegistrationIn]], outcome: _Outcome, now: datetime) -> None:
    """One transaction for the group; rows a refusal names go one by one through register_patient."""
    pending = list(group)
    while pending:
        built = [
            (number, body, *registration.new_registration(caller, body, now=now, action=ACTION))
            for number, body in pending
        ]
        entries = [entry for *_, rows_entries in built for entry in rows_entries]
        failed_entries = enrolment_store.write_registrations(entries)
        if not failed_entries:
            outcome.created += [
                ImportCreated(row=number, patient_id=profile.id, has_email=bool(profile.email))
                for number, _, profile, _ in built
            ]
            return
        # Which rows the refused entries belong to: those are tried alone, the rest together again.
        owners: list[int] = []
        for index, (*_, rows_entries) in enumerate(built):
            owners += [index] * len(rows_entries)
        refused = {owners[i] for i in failed_entries}
        for index in sorted(refused):
            number, body, _, _ = built[index]
            _register_one(caller, number, body, outcome, now)
        pending = [(number, body) for index, (number, body, _, _) in enumerate(built) if index not in refused]


def _register_one(
    caller: Caller, number: int, body: RegistrationIn, outcome: _Outcome, now: datetime
) -> None:
    try:
        result = registration.register_patient(caller, body, now=now, same_mrn="skip", action=ACTION)
    except registration.DuplicatePatient as duplicate:
        if not body.mrn:  # the same person, registered meanwhile: as on a re-run
            outcome.existing.append(
                ImportExisting(row=number, patient_id=duplicate.existing.id, matched_by="name_and_birth_date")
            )
            return
        outcome.rejected.append(
            ImportRejected(
                row=number,
                reason=(
                    "a patient with the same name and birth date was registered meanwhile "
                    f"({duplicate.existing.id})"
                ),
            )
        )
        return
    except errors.Conflict:
        outcome.rejected.append(
            ImportRejected(row=number, reason="could not be registered; run the import again")
        )
        return
    if result.created:
        outcome.created.append(ImportCreated(row=number, patient_id=result.id, has_email=bool(body.email)))
    else:
        outcome.existing.append(ImportExisting(row=number, patient_id=result.id, matched_by="mrn"))


# --- the admin page: one chunk a request ----------------------------------------------------------------


def import_chunk(caller: Caller, body: PatientImportIn, *, now: datetime | None = None) -> PatientImportOut:
    """One chunk of a file from the admin page: checked, and registered unless a dry run."""
    rows = rows_of(body.content, body.format, body.first_row)
    if len(rows) > MAX_IMPORT_ROWS:
        raise errors.BadRequest(
            "too many rows in one request",
            fields={"content": f"send at most {MAX_IMPORT_ROWS} rows at a time"},
        )
    report = check_rows(caller, rows, dry_run=body.dry_run, unit=unit_of(body.format), now=now)
    log_report(report, run_id=caller.request_id)
    if not body.dry_run:
        first, last = (rows[0].number, rows[-1].number) if rows else (0, 0)
        unit = "entries" if body.format == "fhir" else "lines"
        record_run(
            caller,
            run_id=caller.request_id,
            file_name=body.file_name or "patients file",
            detail=f"Admin page, {unit} {first}-{last}: {summary(report)}",
        )
    return report


def unit_of(file_format: str) -> Literal["line", "entry"]:
    return "entry" if file_format == "fhir" else "line"


def summary(report: PatientImportOut) -> str:
    """Counts only (the admin audit and logs never see a row's contents)."""
    verb = "would be created" if report.dry_run else "created"
    return (
        f"{report.read} rows: {report.new} {verb}, {len(report.already_registered)} already registered, "
        f"{len(report.rejected)} rejected"
    )


def log_report(report: PatientImportOut, *, run_id: str) -> None:
    logger.info(
        "patient import chunk",
        extra={
            "run_id": run_id,
            "dry_run": report.dry_run,
            "read": report.read,
            "new": report.new,
            "already_registered": len(report.already_registered),
            "rejected": len(report.rejected),
        },
    )


def record_run(caller: Caller, *, run_id: str, file_name: str, detail: str) -> None:
    staff_admin_service.record_patient_import(
        caller, run_id=run_id, file_name=file_name[:120] or "patients file", detail=detail
    )


# --- invitations: SES's pace and daily quota ---------------------------------------------------------


class Pacer:
    """Spaces sends 1/rate seconds apart (SES's MaxSendRate)."""

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None

    def wait(self) -> None:
        now = self._clock()
        if self._next is not None and now < self._next:
            self._sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


def invite_imported(
    caller: Caller,
    patient_ids: Sequence[str],
    *,
    seconds: float | None = INVITE_SECONDS,
    pacer: Pacer | None = None,
    clock: Callable[[], float] = time.monotonic,
    now: datetime | None = None,
) -> ImportInvitationsOut:
    """Email invitations to imported patients at SES's pace, within its daily quota and `seconds`.

    Those with no email, an invitation still pending (a retried batch) or used, are skipped; those not
    tried (time or quota ran out) come back as `remaining`, to send again.
    """
    quota = notify.send_quota()
    left = quota.left
    pacer = pacer or Pacer(quota.max_per_second)
    started = clock()
    now = now or dynamo.utcnow()
    out = ImportInvitationsOut(
        sent=[], not_sent=[], remaining=[], quota_left=left, max_per_second=quota.max_per_second
    )
    for index, patient_id in enumerate(patient_ids):
        if left == 0 or (seconds is not None and clock() - started + pacer.interval > seconds):
            out.remaining += list(patient_ids[index:])
            break
        not_sent = _not_invitable(patient_id, now)
        if not_sent:
            out.not_sent.append(ImportNotInvited(patient_id=patient_id, reason=not_sent))
            continue
        pacer.wait()
        try:
            issued = invitation_service.invite(caller, patient_id, InvitationIn(delivery="email"), now=now)
        except errors.PortalError as exc:  # nothing to activate with (no ZIP code or phone on file)
            out.not_sent.append(ImportNotInvited(patient_id=patient_id, reason=exc.message))
            continue
        if issued.email_sent:
            out.sent.append(patient_id)
            left = None if left is None else left - 1
        else:
            out.not_sent.append(
                ImportNotInvited(
                    patient_id=patient_id,
                    reason="the email could not be sent; resend the invitation from the patient's page",
                )
            )
    out.quota_left = left
    logger.info(
        "import invitations",
        extra={"sent": len(out.sent), "not_sent": len(out.not_sent), "remaining": len(out.remaining)},
    )
    return out


def _not_invitable(patient_id: str, now: datetime) -> str | None:
    try:
        profile = profile_service.profile_of(patient_id)
    except errors.NotFound:
        return "no such patient"
    if not profile.email:
        return "no email address on file"
    states = {i.status(now) for i in enrolment_store.list_invitations(patient_id)}
    if "used" in states:
        return "already has a portal account"
    if states & {"pending", "locked"}:
        return "already has a pending invitation"
    return None
