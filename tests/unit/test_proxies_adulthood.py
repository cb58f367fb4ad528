"""A parent's or guardian's grant on a minor's record ends at local midnight starting their 18th birthday
in the clinic's time zone (daylight saving or not), the scheduled job ends it once and tells both sides,
and the new adult may invite a caregiver of their own afterwards. A corrected birth date moves that end
(in the profile's own transaction), and the one-off backfill gives grants made before `adult_at` existed
theirs, once, by key and index Queries only."""

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
from chalicelib.patients import profiles as profile_service
from chalicelib.patients.models import BirthDateCorrectionIn
from chalicelib.proxies import cli as backfill
from chalicelib.proxies import service as proxies
from chalicelib.proxies import store as proxy_store
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
# The demo clinic is in Chicago: midnight starting 15 March is 05:00 UTC (daylight time).
EIGHTEEN_2027 = datetime(2027, 3, 15, 5, 0, tzinfo=UTC)  # born 15 March 2009
EIGHTEEN_2028 = datetime(2028, 3, 15, 5, 0, tzinfo=UTC)  # born 15 March 2010


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


def _correct(desk: Caller, patient_id: str, born: date) -> None:
    version = profile_service.profile_of(patient_id).version
    body = BirthDateCorrectionIn(version=version, birth_date=born)
    profile_service.correct_birth_date(desk, patient_id, body)


def _as_before_adult_at_existed(patient_id: str, sub: str) -> None:
    """A grant written before grants ended at coming of age: no adult_at, no cap, not in the index."""
    for key in (proxy_store.proxy_key(patient_id, sub), proxy_store.acts_for_key(sub, patient_id)):
        remove = "REMOVE adult_at, expires_at"
        if key["PK"].startswith("USER#"):
            remove += ", GSI1PK, GSI1SK"
        aws.table().update_item(Key=key, UpdateExpression=remove)


def _actions(patient_id: str) -> list[str]:
    items = aws.audit_table().query(
        KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": f"PATIENT#{patient_id}"}
    )["Items"]
    return [str(item["action"]) for item in items]


def test_a_corrected_birth_date_moves_the_end_of_every_parental_grant_with_the_profile(
    clock: Clock,
    make_patient: PatientFactory,
    caller_for: CallerFactory,
    desk: Caller,
    parent: Caller,
) -> None:
    teen = make_patient(birth_date="2009-03-15")
    caller_for(sub="sub-aunt", name="Ann Aunt", acts_for={make_patient().id: "self"})
    assert _grant(desk, teen.id).expires_at == EIGHTEEN_2027
    aunt = proxies.grant_proxy(
        desk,
        teen.id,
        ProxyGrantIn.model_validate(
            {
                "username": "sub-aunt",
                "relationship": "other",
                "verification_note": NOTE,
                "expires_on": "2029-06-30",
            }
        ),
    )

    _correct(desk, teen.id, date(2010, 3, 15))  # a year younger than entered

    grants = {g.sub: g for g in proxy_store.list_for_patient(teen.id)}
    assert (grants["sub-parent"].adult_at, grants["sub-parent"].expires_at) == (EIGHTEEN_2028, EIGHTEEN_2028)
    assert grants["sub-aunt"].expires_at == aunt.expires_at  # not parental: untouched
    assert profile_service.profile_of(teen.id).birth_date == date(2010, 3, 15)
    assert "profile.birth_date_correct" in _actions(teen.id)

    clock.now = EIGHTEEN_2027  # the old 18th birthday: nothing ends
    assert _reaches(parent, teen.id)
    assert proxies.end_grants_at_adulthood() == 0
    clock.now = EIGHTEEN_2028 - timedelta(seconds=1)
    assert _reaches(parent, teen.id)
    clock.now = EIGHTEEN_2028
    assert not _reaches(parent, teen.id)
    assert proxies.end_grants_at_adulthood() == 1


def test_a_chosen_end_before_coming_of_age_is_kept_and_an_older_date_ends_access_at_once(
    clock: Clock, make_patient: PatientFactory, desk: Caller, parent: Caller
) -> None:
    teen = make_patient(birth_date="2010-03-15")
    chosen = _grant(desk, teen.id, expires_on="2027-01-31").expires_at
    assert chosen is not None
    assert chosen < EIGHTEEN_2028

    _correct(desk, teen.id, date(2009, 3, 15))
    [grant] = proxy_store.list_for_patient(teen.id)
    assert (grant.adult_at, grant.expires_at) == (EIGHTEEN_2027, chosen)

    # Entered as a minor, really an adult already: the grant stops now and the job removes it.
    _correct(desk, teen.id, date(2000, 1, 2))
    [grant] = proxy_store.list_for_patient(teen.id)
    assert grant.adult_at is not None
    assert grant.adult_at < clock.now
    assert grant.expires_at == grant.adult_at
    assert not _reaches(parent, teen.id)
    assert proxies.end_grants_at_adulthood() == 1
    assert proxy_store.list_for_patient(teen.id) == []


def test_a_stale_version_changes_neither_the_profile_nor_the_grants(
    clock: Clock, make_patient: PatientFactory, desk: Caller, parent: Caller
) -> None:
    teen = make_patient(birth_date="2009-03-15")
    _grant(desk, teen.id)
    stale = BirthDateCorrectionIn(
        version=profile_service.profile_of(teen.id).version + 5, birth_date=date(2010, 3, 15)
    )
    from chalicelib.core import errors

    with pytest.raises(errors.Conflict):
        profile_service.correct_birth_date(desk, teen.id, stale)
    [grant] = proxy_store.list_for_patient(teen.id)
    assert grant.adult_at == EIGHTEEN_2027
    assert profile_service.profile_of(teen.id).birth_date == date(2009, 3, 15)


def test_the_backfill_sets_coming_of_age_on_old_grants_once(
    clock: Clock,
    make_patient: PatientFactory,
    caller_for: CallerFactory,
    desk: Caller,
    parent: Caller,
) -> None:
    teen = make_patient(birth_date="2009-03-15")
    grown = make_patient(birth_date="2008-12-20")  # a minor when granted, 18 on 20 December 2026
    adult = make_patient(birth_date="1990-01-01")  # a parent's grant on an adult: a plain grant
    _grant(desk, teen.id, expires_on="2030-01-01")
    _grant(desk, grown.id)
    _grant(desk, adult.id)
    for pid in (teen.id, grown.id):
        _as_before_adult_at_existed(pid, "sub-parent")
    clock.now = datetime(2027, 1, 10, 15, 0, tzinfo=UTC)
    assert proxies.end_grants_at_adulthood() == 0  # nothing in the index: old grants never ended
    assert _reaches(parent, grown.id)

    today = date(2027, 1, 10)
    patients, changed = backfill.run(date(2026, 11, 1), today=today)
    assert changed == 2
    assert patients >= 2
    assert backfill.run(date(2026, 11, 1), today=today)[1] == 0  # idempotent

    [teen_grant] = proxy_store.list_for_patient(teen.id)
    assert (teen_grant.adult_at, teen_grant.expires_at) == (EIGHTEEN_2027, EIGHTEEN_2027)
    [adult_grant] = proxy_store.list_for_patient(adult.id)
    assert (adult_grant.adult_at, adult_grant.expires_at) == (None, None)
    assert "proxy.adulthood_set" in _actions(teen.id)

    # Already 18: access stopped at once; the job removes the grant.
    assert not _reaches(parent, grown.id)
    assert proxies.end_grants_at_adulthood() == 1
    clock.now = EIGHTEEN_2027
    assert proxies.end_grants_at_adulthood() == 1
    assert _reaches(parent, adult.id)


def test_the_backfill_walks_only_the_birth_dates_that_could_be_minors(
    clock: Clock, make_patient: PatientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[date] = []

    def born_on(day: date) -> list[Any]:
        asked.append(day)
        return []

    monkeypatch.setattr(profile_service, "born_on", born_on)
    backfill.run(date(2026, 11, 1), today=date(2026, 11, 3))
    assert asked[0] == date(2008, 11, 1)
    assert asked[-1] == date(2026, 11, 3)
    assert len(asked) == len(set(asked))
