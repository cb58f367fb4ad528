"""Importing existing patients: the file formats, the duplicate rules, the writes, invitations, the CLI."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.core import config, errors, notify
from chalicelib.core.access import Caller
from chalicelib.core.audit_log import list_for_patient
from chalicelib.core.identity import Role
from chalicelib.core.schema import audit_table_for
from chalicelib.enrolment import cli, importer, registration
from chalicelib.enrolment import store as enrolment_store
from chalicelib.enrolment.models import RegistrationIn
from chalicelib.enrolment.patient_files import read_csv, read_fhir
from chalicelib.patients import profiles as profile_service
from chalicelib.staff_admin import store as staff_store
from tests.unit.conftest import TABLE

HEADER = (
    "mrn,given_name,family_name,birth_date,sex,email,phone,address_line1,address_line2,city,state,postal_code"
)
OPERATOR = importer.importer_caller("jdoe", "import-unit")
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def csv_of(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def row(n: int, *, mrn: str | None = None, born: str = "1980-05-17", email: str = "") -> str:
    mrn = f"M{n:05d}" if mrn is None else mrn
    return f"{mrn},Given{n},Family{n},{born},female,{email},,{n} Main St,,Portland,OR,97201"


def patients_in_table() -> int:
    """Profiles in the table, counted in moto's own store (a Scan of 15,000 items takes moto seconds)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_DEFAULT_REGION"]].tables[TABLE]
    return sum(
        1
        for hash_key, partition in table.items.items()
        if str(hash_key.value).startswith("PATIENT#") and any(str(k.value) == "PROFILE" for k in partition)
    )


# --- the file formats ----------------------------------------------------------------------------------


def test_each_bad_csv_row_is_named_by_its_line_with_the_reason() -> None:
    content = csv_of(
        row(1),
        "",  # a blank line keeps the numbering of the lines after it
        row(3, born="1890-13-01"),
        'M4,"Two\nLines",Family4,1980-05-17,female,,,,,,,',
        row(6, mrn="not an mrn"),
        "M7,Given7,Family7,1980-05-17,x,nope,555,1 Main St,,,ZZ,123",
        row(8) + ",extra",
    )
    rows = read_csv(content)
    assert [r.number for r in rows] == [2, 4, 5, 7, 8, 9]
    problems = {r.number: r.problem for r in rows if r.problem}
    assert rows[0].registration is not None
    assert problems[4] == "birth date 1890-13-01 is not a date (YYYY-MM-DD)"
    assert problems[5].startswith("given name Two Lines: must be one line")
    assert problems[7] == "MRN not an mrn may hold only letters, digits and dashes"
    assert problems[8] == (
        "sex x is not one of female, male, other or unknown; phone 555: not a valid phone number; "
        "email nope: an email address must have an @-sign; city is missing; "
        "state ZZ: not a US state or territory "
        "code; postal code 123: enter a 5-digit ZIP code (or ZIP+4)"
    )
    assert problems[9] == "has 13 cells; the header has 12 columns"


def test_a_chunk_keeps_the_files_line_numbers() -> None:
    rows = read_csv(csv_of(row(1), row(2, born="2099-01-01")), first_row=402)
    assert [(r.number, r.problem) for r in rows] == [
        (402, None),
        (403, "birth date 2099-01-01: a birth date cannot be in the future"),
    ]


def test_the_header_must_name_the_required_columns_and_no_others() -> None:
    with pytest.raises(errors.BadRequest) as refused:
        read_csv("given_name,surname,birth_date\nA,B,1980-01-01\n")
    assert refused.value.fields == {"content": "missing columns: family_name, sex; unknown columns: surname"}


def test_the_example_file_is_valid() -> None:
    rows = read_csv((config.PROJECT_ROOT / "clinics" / "patients-example.csv").read_text())
    assert rows
    assert all(r.registration is not None for r in rows)


def bundle(*resources: dict[str, Any]) -> str:
    return json.dumps(
        {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}
    )


def fhir_patient(**overrides: Any) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "identifier": [
            {"system": "urn:oid:1.2.3", "value": "X-1"},
            {
                "type": {
                    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]
                },
                "value": "A-77",
            },
        ],
        "name": [
            {"use": "nickname", "given": ["Bea"], "family": "K"},
            {"use": "official", "given": ["Beatriz", "Ana"], "family": "Kowalski"},
        ],
        "gender": "female",
        "birthDate": "1972-08-14",
        "telecom": [
            {"system": "email", "value": "bea@example.org"},
            {"system": "phone", "value": "503-555-0100"},
        ],
        "address": [
            {
                "use": "home",
                "line": ["9 Elm St", "Apt 4"],
                "city": "Salem",
                "state": "OR",
                "postalCode": "97301",
                "country": "USA",
            }
        ],
        **overrides,
    }


def test_a_fhir_bundle_gives_one_row_per_patient_entry() -> None:
    rows = read_fhir(
        bundle(
            fhir_patient(),
            {"resourceType": "Organization", "name": "Not a patient"},
            fhir_patient(birthDate="1890-13-01"),
            fhir_patient(birthDate="1972"),
            fhir_patient(gender=None),
        )
    )
    first = rows[0].registration
    assert first is not None
    assert (first.legal_name.given, first.legal_name.family, first.mrn, first.email, first.phone) == (
        "Beatriz Ana",
        "Kowalski",
        "A-77",
        "bea@example.org",
        "+15035550100",
    )
    assert first.address is not None
    assert (first.address.line2, first.address.postal_code) == (
        "Apt 4",
        "97301",
    )
    assert [(r.number, r.problem) for r in rows[1:]] == [
        (2, "a Organization, not a Patient"),
        (3, rows[2].problem),
        (4, "birth date 1972 is not a date (YYYY-MM-DD)"),
        (5, "sex is missing"),
    ]
    assert rows[2].problem is not None
    assert rows[2].problem.startswith("not a valid FHIR Patient: birthDate")


def test_a_patient_the_fhir_models_cannot_read_is_one_rejected_entry() -> None:
    odd = {"resourceType": "Patient", "contained": [{"resourceType": "Nope"}]}
    rows = read_fhir(bundle(odd, fhir_patient()))
    assert [(r.number, r.problem) for r in rows] == [(1, "not a valid FHIR Patient"), (2, None)]


def test_a_file_that_is_no_bundle_is_refused_whole() -> None:
    for content in ("{", '{"resourceType": "Patient"}', '{"resourceType": "Bundle", "entry": {}}'):
        with pytest.raises(errors.BadRequest):
            read_fhir(content)


# --- the rules and the writes ------------------------------------------------------------------------


def test_dry_run_writes_nothing_then_the_import_lands_and_a_rerun_doubles_nothing() -> None:
    rows = read_csv(csv_of(row(1), row(2, mrn="", email="two@example.org"), row(3, born="1890-01-01")))
    dry = importer.check_rows(OPERATOR, rows, dry_run=True)
    assert (dry.accepted, dry.new, dry.new_with_email, dry.created) == (2, 2, 1, [])
    assert [(r.row, r.reason) for r in dry.rejected] == [
        (4, "birth date 1890-01-01: must be between 1900-01-01 and 2100-12-31")
    ]
    assert patients_in_table() == 0

    done = importer.check_rows(OPERATOR, rows, dry_run=False, now=NOW)
    assert (done.new, [c.row for c in done.created], [c.has_email for c in done.created]) == (
        2,
        [2, 3],
        [False, True],
    )
    assert patients_in_table() == 2
    first = done.created[0].patient_id
    assert enrolment_store.patient_with_mrn("m00001") == first
    [event] = list_for_patient(first, limit=10, cursor=None)[0]
    assert (event.action, event.actor_sub, event.actor_name) == (
        "patient.import",
        "importer:jdoe",
        "Patient import (jdoe)",
    )
    assert profile_service.born_on(date(1980, 5, 17))  # in the staff directory

    again = importer.check_rows(OPERATOR, rows, dry_run=False, now=NOW)
    assert again.new == 0
    assert again.created == []
    assert [(e.row, e.patient_id, e.matched_by) for e in again.already_registered] == [
        (2, first, "mrn"),
        (3, done.created[1].patient_id, "name_and_birth_date"),
    ]
    assert patients_in_table() == 2


def test_repeats_inside_a_file_are_rejected_naming_the_first_row() -> None:
    rows = read_csv(
        csv_of(row(1), row(2, mrn="M00001"), row(3, mrn=""), "M9,Given3,FAMILY3,1980-05-17,f,,,,,,,")
    )
    report = importer.check_rows(OPERATOR, rows, dry_run=True)
    assert [(r.row, r.reason) for r in report.rejected] == [
        (3, "MRN M00001 is also on line 2"),
        (
            5,
            "the same name and birth date as line 4; if they are two people, "
            "register this one at the front desk",
        ),
    ]


def test_a_new_mrn_for_someone_already_registered_by_name_is_left_to_a_person(caller_for: Any) -> None:
    desk = caller_for(Role.FRONT_DESK, sub="sub-desk", name="Dana Desk")
    body = RegistrationIn.model_validate(
        {"legal_name": {"given": "Given1", "family": "Family1"}, "birth_date": "1980-05-17", "sex": "female"}
    )
    existing = registration.register_patient(desk, body).id
    report = importer.check_rows(OPERATOR, read_csv(csv_of(row(1))), dry_run=False)
    assert report.created == []
    assert [r.reason for r in report.rejected] == [
        f"a patient with the same name and birth date is registered ({existing}) without MRN M00001: "
        "check that record"
    ]


def test_an_mrn_registered_between_the_check_and_the_write_is_still_one_patient(
    monkeypatch: pytest.MonkeyPatch, caller_for: Any
) -> None:
    desk = caller_for(Role.FRONT_DESK, sub="sub-desk", name="Dana Desk")
    rows = read_csv(csv_of(row(1), row(2)))
    checked = enrolment_store.patients_with_mrns

    def meanwhile(mrns: list[str]) -> dict[str, str]:
        found = checked(mrns)  # nothing yet; then the front desk registers M00002 under another name
        body = RegistrationIn.model_validate(
            {
                "legal_name": {"given": "Other", "family": "Person"},
                "birth_date": "1970-01-01",
                "sex": "male",
                "mrn": "M00002",
            }
        )
        registration.register_patient(desk, body)
        return found

    monkeypatch.setattr(enrolment_store, "patients_with_mrns", meanwhile)
    report = importer.check_rows(OPERATOR, rows, dry_run=False)
    assert [c.row for c in report.created] == [2]
    assert [(e.row, e.matched_by) for e in report.already_registered] == [(3, "mrn")]
    assert patients_in_table() == 2


def test_5000_rows_with_20_bad_ones() -> None:
    """The go-live size: the dry run names exactly the 20 bad lines, the import lands 4,980, a re-run none.

    Stock moto reads the whole table for every Query and copies it before every transaction, which makes
    5,000 rows take the better part of an hour; the bench's patches (bench/moto_patches.py, answers checked
    against stock moto in test_bench.py) give it DynamoDB's costs. Measured on 2 CPUs shared with other
    work: 54 s at a load average of 5 (the dry run 15 s, the import 36 s, the re-run 3 s), 133 s at 8.
    """
    from bench import moto_patches

    uninstall = moto_patches.install()  # both tables: each transaction writes audit events too
    try:
        bad_lines: dict[int, str] = {}
        lines = []
        for n in range(1, 5001):
            line = n + 1
            born = (date(1930, 1, 1) + timedelta(days=n * 7)).isoformat()
            if n % 500 == 0:
                lines.append(row(n, born="1890-13-01"))
                bad_lines[line] = "birth date 1890-13-01 is not a date (YYYY-MM-DD)"
            elif n % 500 == 250:
                lines.append(row(n, born=born, mrn="bad mrn"))
                bad_lines[line] = "MRN bad mrn may hold only letters, digits and dashes"
            else:  # every 40th without an MRN: the name and birth date check
                lines.append(row(n, born=born, mrn="" if n % 40 == 0 else None, email=f"p{n}@example.org"))
        rows = read_csv(csv_of(*lines))
        started = time.perf_counter()
        dry = _in_chunks(rows, dry_run=True)
        assert len(bad_lines) == 20
        assert {r.row: r.reason for r in dry.rejected} == bad_lines
        assert (dry.new, patients_in_table()) == (4980, 0)

        done = _in_chunks(rows, dry_run=False)
        assert (done.new, len(done.rejected), patients_in_table()) == (4980, 20, 4980)

        again = _in_chunks(rows, dry_run=False)
        assert (again.new, len(again.already_registered), patients_in_table()) == (0, 4980, 4980)
        print(f"5,000 rows: dry run, import and re-run in {time.perf_counter() - started:.1f} s")
    finally:
        uninstall()


def _in_chunks(rows: list[Any], *, dry_run: bool) -> Any:
    seen = importer.Seen()
    parts = [
        importer.check_rows(OPERATOR, rows[i : i + 100], dry_run=dry_run, seen=seen)
        for i in range(0, len(rows), 100)
    ]

    class Total:
        new = sum(p.new for p in parts)
        rejected = [r for p in parts for r in p.rejected]
        already_registered = [e for p in parts for e in p.already_registered]

    return Total


# --- invitations -------------------------------------------------------------------------------------


@pytest.fixture
def mail() -> None:
    region = os.environ["AWS_DEFAULT_REGION"]
    boto3.client("ses", region_name=region).verify_email_identity(EmailAddress=config.clinic().mail_from)


def sent_emails() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_DEFAULT_REGION"]].sent_messages)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.mark.usefixtures("mail")
def test_invitations_go_at_ses_pace_once_each_and_only_to_those_with_email() -> None:
    rows = read_csv(csv_of(row(1, email="one@example.org"), row(2), row(3, email="three@example.org")))
    created = [c.patient_id for c in importer.check_rows(OPERATOR, rows, dry_run=False).created]
    clock = FakeClock()
    pacer = importer.Pacer(notify.send_quota().max_per_second, clock=clock, sleep=clock.sleep)
    out = importer.invite_imported(OPERATOR, created, seconds=None, pacer=pacer, clock=clock)
    assert out.sent == [created[0], created[2]]
    assert [(n.patient_id, n.reason) for n in out.not_sent] == [(created[1], "no email address on file")]
    assert clock.slept == [1.0]  # moto's SES sends one a second, like the sandbox
    assert sorted(m.destinations["ToAddresses"][0] for m in sent_emails()) == [
        "one@example.org",
        "three@example.org",
    ]

    again = importer.invite_imported(OPERATOR, created, seconds=None, pacer=pacer, clock=clock)
    assert again.sent == []
    assert len(sent_emails()) == 2
    assert {n.reason for n in again.not_sent} == {
        "already has a pending invitation",
        "no email address on file",
    }


@pytest.mark.usefixtures("mail")
def test_invitations_stop_at_the_daily_quota_and_the_time_given(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = read_csv(csv_of(*(row(n, email=f"p{n}@example.org") for n in range(1, 5))))
    created = [c.patient_id for c in importer.check_rows(OPERATOR, rows, dry_run=False).created]
    monkeypatch.setattr(notify, "send_quota", lambda: notify.SendQuota(200, 199, 14))
    out = importer.invite_imported(OPERATOR, created, seconds=None)
    assert (len(out.sent), out.remaining, out.quota_left) == (1, created[1:], 0)

    monkeypatch.setattr(notify, "send_quota", lambda: notify.SendQuota(-1, 0, 1))
    clock = FakeClock()
    pacer = importer.Pacer(1, clock=clock, sleep=clock.sleep)
    timed = importer.invite_imported(OPERATOR, created[1:], seconds=1.5, pacer=pacer, clock=clock)
    assert (len(timed.sent), timed.remaining, timed.quota_left) == (2, created[3:], None)  # at 0 s and 1 s


# --- the command line -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("mail")
def test_the_command_line_reports_imports_and_records_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    file = tmp_path / "patients.csv"
    file.write_text(csv_of(row(1, email="one@example.org"), row(2, born="1890-13-01")))
    assert cli.main([str(file), "--operator", "jdoe"]) == 0
    out = capsys.readouterr().out
    assert "Accepted 1: 1 would be created (1 with an email address), 0 already registered" in out
    assert "line 3: birth date 1890-13-01 is not a date (YYYY-MM-DD)" in out
    assert "Nothing was written" in out
    assert patients_in_table() == 0

    assert cli.main([str(file), "--apply", "--invite", "--operator", "jdoe"]) == 0
    out = capsys.readouterr().out
    assert "Accepted 1: 1 created" in out
    assert "Invitations sent: 1" in out
    assert patients_in_table() == 1
    assert len(sent_emails()) == 1
    [run], _ = staff_store.list_audit(limit=10, cursor=None)
    assert (run.action, run.actor_sub, run.target_username) == (
        "patients.import",
        "importer:jdoe",
        "patients.csv",
    )
    assert run.detail == "Command line, operator jdoe: 2 rows: 1 created, 0 already registered, 1 rejected"


def test_invite_needs_apply(tmp_path: Path) -> None:
    file = tmp_path / "patients.csv"
    file.write_text(csv_of(row(1)))
    assert cli.main([str(file), "--invite"]) == 2


def test_importer_caller_is_an_admin_actor_of_its_own() -> None:
    caller = importer.importer_caller("jdoe", "run-1")
    assert isinstance(caller, Caller)
    assert caller.role is Role.ADMIN
    assert caller.sub == "importer:jdoe"


def test_the_command_line_reads_a_fhir_bundle_by_its_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    file = tmp_path / "bundle.json"
    file.write_text(bundle(fhir_patient(), fhir_patient(birthDate="1972")))
    assert cli.main([str(file), "--apply", "--operator", "jdoe"]) == 0
    out = capsys.readouterr().out
    assert "(FHIR, 2 rows)" in out
    assert "Accepted 1: 1 created" in out
    assert "entry 2: birth date 1972 is not a date (YYYY-MM-DD)" in out
    assert enrolment_store.patient_with_mrn("A-77") is not None


def test_a_bundle_without_its_type_says_so() -> None:
    with pytest.raises(errors.BadRequest) as refused:
        read_fhir('{"resourceType": "Bundle", "entry": []}')
    assert refused.value.fields is not None
    assert refused.value.fields["content"].startswith("type: ")


def test_the_command_line_finds_a_deployed_stacks_table_from_its_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (
        "STAGE",
        "TABLE_NAME",
        "AUDIT_TABLE_NAME",
        "USER_POOL_ID",
        "USER_POOL_CLIENT_ID",
        "CLINIC_CONFIG_FILE",
    ):
        monkeypatch.setenv(name, "before")  # restored after the test, whatever the command line sets
    template = {
        "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
        "Outputs": {
            "TableName": {"Value": TABLE},
            "AuditTableName": {"Value": audit_table_for(TABLE)},
            "UserPoolId": {"Value": "us-east-1_stack"},
            "UserPoolClientId": {"Value": "stack-client"},
        },
    }
    cloudformation = boto3.client("cloudformation", region_name=os.environ["AWS_DEFAULT_REGION"])
    cloudformation.create_stack(StackName="clinic-portal-unit", TemplateBody=json.dumps(template))
    file = tmp_path / "patients.csv"
    file.write_text(csv_of(row(1)))
    clinic = config.PROJECT_ROOT / "clinics" / "lakeside.json"
    monkeypatch.setenv("COLUMNS", "120")
    assert cli.main([str(file), "--stack", "clinic-portal-unit", "--clinic", str(clinic)]) == 0
    assert "into stack clinic-portal-unit (table portal-unit)" in capsys.readouterr().out
    assert (
        os.environ["STAGE"],
        os.environ["AUDIT_TABLE_NAME"],
        os.environ["USER_POOL_ID"],
        os.environ["CLINIC_CONFIG_FILE"],
    ) == ("prod", audit_table_for(TABLE), "us-east-1_stack", str(clinic))
