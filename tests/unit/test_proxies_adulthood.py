"""A parent's or guardian's grant on a minor's record ends at local midnight starting their 18th birthday
in the clinic's time zone (daylight saving or not), the scheduled job ends it once and tells both sides,
and the new adult may invite a caregiver of their own afterwards."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import boto3
import pytest

from chalicelib.core import aws, config
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.enrolment import caregivers
from chalicelib.proxies import service as proxies
from chalicelib.proxies.models import (
    CaregiverInviteIn,
    InvitationAcceptIn,
    ProxyGrantIn,
    ProxyScope,
    ProxyUpdateIn,
)
from tests.unit.conftest import CallerFactory, PatientFactory

NOTE = "Birth certificate and photo ID checked at the desk"
GRANTED = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # the patient is 17


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(GRANTED)
    monkeypatch.setattr("chalicelib.core.dynamo.utcnow", clock)
    return clock


@pytest.fixture
def in_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    def use(zone: str) -> None:
        clinic = config.clinic().model_copy(update={"time_zone": zone})
        monkeypatch.setenv("CLINIC_CONFIG", clinic.model_dump_json())
        config.clinic.cache_clear()

    yield use
    config.clinic.cache_clear()


@pytest.fixture
def outbox() -> Any:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    region = os.environ["AWS_DEFAULT_REGION"]
    boto3.client("ses", region_name=region).verify_email_identity(EmailAddress=config.clinic().mail_from)
    return ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages


@pytest.fixture
def desk(caller_for: CallerFactory) -> Caller:
    return caller_for(Role.FRONT_DESK, sub="sub-desk", name="Sam Desk")


@pytest.fixture
def parent(make_patient: PatientFactory, caller_for: CallerFactory) -> Caller:
    own = make_patient(email="parent@example.org", preferred_language="es")
    return caller_for(acts_for={own.id: "self"}, sub="sub-parent", name="Pat Parent")


def _teen(make_patient: PatientFactory, caller_for: CallerFactory, born: date) -> tuple[str, Caller]:
    profile = make_patient(birth_date=born.isoformat(), email="teen@example.org")
    return profile.id, caller_for(acts_for={profile.id: "self"}, sub="sub-teen", name="Tia Teen")


def _grant(desk: Caller, patient_id: str, relationship: str = "parent", **extra: Any) -> Any:
    body = {"username": "sub-parent", "relationship": relationship, "verification_note": NOTE, **extra}
    return proxies.grant_proxy(desk, patient_id, ProxyGrantIn.model_validate(body))


def _reaches(caller: Caller, patient_id: str) -> bool:
    account = user_store.get_account(caller.sub)
    assert account is not None
    return patient_id in account.acts_for


def _ended_events(patient_id: str) -> list[dict[str, Any]]:
    items = aws.audit_table().query(
        KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": f"PATIENT#{patient_id}"}
    )["Items"]
    return [item for item in items if item.get("action") == "proxy.end"]


@pytest.mark.parametrize(
    ("zone", "born", "midnight_utc"),
    [
        # the 18th birthday is the day US daylight saving starts (14 March 2027): midnight is still standard
        ("America/New_York", date(2009, 3, 14), datetime(2027, 3, 14, 5, 0, tzinfo=UTC)),
        # the day after it starts: daylight time, an hour earlier in UTC
        ("America/New_York", date(2009, 3, 15), datetime(2027, 3, 15, 4, 0, tzinfo=UTC)),
        ("America/Chicago", date(2009, 3, 15), datetime(2027, 3, 15, 5, 0, tzinfo=UTC)),
        # the day after it ends (7 November 2027): standard time again
        ("America/New_York", date(2009, 11, 8), datetime(2027, 11, 8, 5, 0, tzinfo=UTC)),
        ("America/Chicago", date(2009, 11, 8), datetime(2027, 11, 8, 6, 0, tzinfo=UTC)),
    ],
)
def test_access_ends_at_local_midnight_of_the_18th_birthday_and_not_a_minute_before(
    in_zone: Callable[[str], None],
    clock: Clock,
    make_patient: PatientFactory,
    caller_for: CallerFactory,
    desk: Caller,
    parent: Caller,
    zone: str,
    born: date,
    midnight_utc: datetime,
) -> None:
    in_zone(zone)
    pid, _ = _teen(make_patient, caller_for, born)

    granted = _grant(desk, pid)
    assert granted.expires_at == midnight_utc

    clock.now = midnight_utc - timedelta(minutes=1)
    assert _reaches(parent, pid)
    assert proxies.end_grants_at_adulthood() == 0

    clock.now = midnight_utc
    assert not _reaches(parent, pid)
    assert proxies.end_grants_at_adulthood() == 1
    assert len(_ended_events(pid)) == 1


def test_the_job_ends_once_and_emails_both_sides_once_in_their_language(
    clock: Clock,
    make_patient: PatientFactory,
    caller_for: CallerFactory,
    desk: Caller,
    parent: Caller,
    outbox: Any,
) -> None:
    pid, teen = _teen(make_patient, caller_for, date(2009, 3, 15))
    adult_at = _grant(desk, pid, relationship="guardian").expires_at
    before = len(outbox)

    clock.now = adult_at + timedelta(hours=1)
    assert proxies.end_grants_at_adulthood() == 1
    assert proxies.end_grants_at_adulthood() == 0  # a second run: nothing ended, nothing sent

    mails = {m.destinations["ToAddresses"][0]: m for m in outbox[before:]}
    assert sorted(mails) == ["parent@example.org", "teen@example.org"]
    assert len(outbox) - before == 2
    assert "A caregiver's access to a record has ended" in mails["teen@example.org"].subject
    assert "Terminó el acceso de un cuidador" in mails["parent@example.org"].subject
    for mail in mails.values():
        for private in ("Tia", "Teen", "Parent", "2009"):  # names, the birth year
            assert private not in mail.body
    assert proxies.list_proxies(teen, pid).items == []
    assert len(_ended_events(pid)) == 1


def test_other_relationships_and_adult_patients_have_no_automatic_end(
    clock: Clock, make_patient: PatientFactory, caller_for: CallerFactory, desk: Caller, parent: Caller
) -> None:
    pid, _ = _teen(make_patient, caller_for, date(2009, 3, 15))
    assert _grant(desk, pid, relationship="spouse").expires_at is None
    adult = make_patient(birth_date="1990-01-01")
    assert _grant(desk, adult.id).expires_at is None
    clock.now = datetime(2030, 1, 1, tzinfo=UTC)
    assert proxies.end_grants_at_adulthood() == 0
    assert _reaches(parent, pid)
    assert _reaches(parent, adult.id)


def test_a_later_end_date_or_a_scope_change_never_outlasts_the_birthday(
    clock: Clock, make_patient: PatientFactory, caller_for: CallerFactory, desk: Caller, parent: Caller
) -> None:
    pid, _ = _teen(make_patient, caller_for, date(2009, 3, 15))
    adult_at = _grant(desk, pid, expires_on="2030-01-01").expires_at
    assert adult_at == datetime(2027, 3, 15, 5, 0, tzinfo=UTC)  # the demo clinic is in Chicago
    changed = proxies.update_proxy(
        desk, pid, "sub-parent", ProxyUpdateIn(scope=ProxyScope(areas=["appointments"]), expires_on=None)
    )
    assert changed.expires_at == adult_at
    clock.now = adult_at
    assert proxies.end_grants_at_adulthood() == 1


def test_the_new_adult_may_invite_their_parent_again(
    clock: Clock,
    make_patient: PatientFactory,
    caller_for: CallerFactory,
    desk: Caller,
    parent: Caller,
    outbox: Any,
) -> None:
    pid, teen = _teen(make_patient, caller_for, date(2009, 3, 15))
    adult_at = _grant(desk, pid).expires_at
    assert adult_at is not None
    clock.now = adult_at + timedelta(days=2)
    proxies.end_grants_at_adulthood()

    invite = CaregiverInviteIn.model_validate(
        {
            "caregiver_name": "Pat Parent",
            "email": "parent@example.org",
            "relationship": "parent",
            "scope": {"areas": ["billing"], "access": "read"},
        }
    )
    caregivers.invite_caregiver(teen, pid, invite)
    code = outbox[-1].body.split("Your invitation code: ")[1].split()[0]
    accepted = caregivers.accept(parent, InvitationAcceptIn(code=code), now=clock.now)

    assert accepted.patient_id == pid
    assert _reaches(parent, pid)
    [grant] = proxies.list_proxies(teen, pid).items
    assert (grant.status, grant.expires_at) == ("active", None)  # an adult's own choice: no automatic end
    clock.now = datetime(2040, 1, 1, tzinfo=UTC)
    assert proxies.end_grants_at_adulthood() == 0
    assert _reaches(parent, pid)
