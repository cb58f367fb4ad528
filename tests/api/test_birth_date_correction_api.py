"""The front desk corrects a teenager's birth date: the profile and the parent's grant end move together."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from chalice.test import Client

from chalicelib.core import config
from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory
from tests.api.test_teen_access_api import _born, _parent_of, _send, _years_ago


def _midnight(day: date) -> str:
    zone = ZoneInfo(config.clinic().time_zone)
    return datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC).isoformat()


def test_the_front_desk_corrects_a_birth_date_and_the_parents_grant_ends_on_the_new_18th_birthday(
    api: Client, make_user: UserFactory
) -> None:
    teen: User = make_user(Role.PATIENT, name="Riley Teen")
    pid = teen.patient_id
    assert pid
    born = _years_ago(15)
    _born(pid, born)
    parent = _parent_of(api, make_user, teen)
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")
    url = f"/staff/patients/{pid}/birth-date"
    version = api.http.get(f"/patients/{pid}/profile", headers=desk.auth).json_body["version"]

    corrected = born.replace(year=born.year + 1)  # a year younger than entered
    saved = _send(api, "PUT", url, desk, {"version": version, "birth_date": corrected.isoformat()})
    assert saved.status_code == 200, saved.body
    assert saved.json_body["birth_date"] == corrected.isoformat()

    [grant] = api.http.get(f"/patients/{pid}/proxies", headers=desk.auth).json_body["items"]
    assert grant["sub"] == parent.sub
    eighteen = corrected.replace(year=corrected.year + 18)
    assert datetime.fromisoformat(grant["expires_at"]) == datetime.fromisoformat(_midnight(eighteen))

    stale = _send(api, "PUT", url, desk, {"version": version, "birth_date": born.isoformat()})
    assert stale.status_code == 409
    future = _send(api, "PUT", url, desk, {"version": version + 1, "birth_date": "2999-01-01"})
    assert future.status_code == 400
    assert "birth_date" in future.json_body["error"]["fields"]
    assert (
        _send(api, "PUT", url, teen, {"version": version + 1, "birth_date": "2010-01-01"}).status_code == 403
    )
