"""Proxy (caregiver) access: granted by the front desk, seen by the patient, revoked by either side."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from chalicelib.core import aws, errors
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.proxies import service as proxies
from chalicelib.proxies.models import ProxyGrantIn
from tests.unit.conftest import CallerFactory, PatientFactory

NOTE = "Photo ID and birth certificate checked at the desk"


def _body(username: str, **overrides: Any) -> ProxyGrantIn:
    data: dict[str, Any] = {"username": username, "relationship": "parent", "verification_note": NOTE}
    return ProxyGrantIn.model_validate({**data, **overrides})


def _partition(pk: str) -> list[dict[str, Any]]:
    """The partition in the clinic's table and in the audit table."""
    items = []
    for table in (aws.table(), aws.audit_table()):
        response = table.query(KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": pk})
        items += response["Items"]
    return items


@pytest.fixture
def front_desk(caller_for: CallerFactory) -> Caller:
    return caller_for(Role.FRONT_DESK, sub="sub-desk", name="Sam Desk")


@pytest.fixture
def patient(make_patient: PatientFactory, caller_for: CallerFactory) -> tuple[str, Caller]:
    profile = make_patient()
    return profile.id, caller_for(acts_for={profile.id: "self"}, sub="sub-patient", name="Pat Patient")


@pytest.fixture
def carer(make_patient: PatientFactory, caller_for: CallerFactory) -> Caller:
    own = make_patient()
    return caller_for(acts_for={own.id: "self"}, sub="sub-carer", name="Cara Carer")


def _fresh(caller: Caller) -> Caller:
    """The caller as the next request would see them: the account is read afresh every time."""
    account = user_store.get_account(caller.sub)
    assert account is not None
    return Caller(
        sub=caller.sub,
        username=caller.username,
        role=caller.role,
        display_name=caller.display_name,
        request_id="req-next",
        acts_for=dict(account.acts_for),
    )


def test_grant_links_both_sides_and_audits_with_the_note(
    front_desk: Caller, patient: tuple[str, Caller], carer: Caller
) -> None:
    pid, _ = patient
    out = proxies.grant_proxy(front_desk, pid, _body("sub-carer", relationship="guardian"))

    assert (out.sub, out.display_name, out.relationship, out.status) == (
        "sub-carer",
        "Cara Carer",
        "guardian",
        "active",
    )
    assert out.granted_by_role is Role.FRONT_DESK
    assert out.expires_at is None
    assert _fresh(carer).acts_for[pid] == "caregiver"
    audits = [i for i in _partition(f"PATIENT#{pid}") if i["SK"].startswith("AUDIT#")]
    assert [(a["action"], a["target"], a["verification_note"]) for a in audits] == [
        ("proxy.grant", "sub-carer", NOTE)
    ]


def test_username_lookup_ignores_case(front_desk: Caller, patient: tuple[str, Caller], carer: Caller) -> None:
    pid, _ = patient
    assert proxies.grant_proxy(front_desk, pid, _body("  SUB-Carer ")).sub == "sub-carer"


def test_the_patient_sees_the_list_but_not_the_note(
    front_desk: Caller, patient: tuple[str, Caller], carer: Caller
) -> None:
    pid, me = patient
    proxies.grant_proxy(front_desk, pid, _body("sub-carer"))

    listed = proxies.list_proxies(me, pid)

    assert [(p.sub, p.display_name, p.relationship) for p in listed.items] == [
        ("sub-carer", "Cara Carer", "parent")
    ]
    assert "note" not in listed.model_dump_json()  # the patient's own "self" link is not a grant


def test_a_caregiver_may_not_see_the_other_caregivers(
    front_desk: Caller, patient: tuple[str, Caller], carer: Caller
) -> None:
    pid, _ = patient
    proxies.grant_proxy(front_desk, pid, _body("sub-carer"))
    with pytest.raises(errors.Forbidden):
        proxies.list_proxies(_fresh(carer), pid)


@pytest.mark.parametrize(
    ("username", "error", "field"),
    [
        ("nobody-here", errors.NotFound, "username"),
        ("sub-patient", errors.BadRequest, "username"),
        ("sub-desk", errors.BadRequest, "username"),
    ],
    ids=["unknown username", "the patient themself", "a staff account"],
)
def test_refused_grants_write_nothing(
    front_desk: Caller,
    patient: tuple[str, Caller],
    carer: Caller,
    username: str,
    error: type[errors.PortalError],
    field: str,
) -> None:
    pid, _ = patient
    user_store.put_account(sub="sub-desk", username="sub-desk", display_name="Sam Desk", role=Role.FRONT_DESK)
    before = _partition(f"PATIENT#{pid}")

    with pytest.raises(error) as raised:
        proxies.grant_proxy(front_desk, pid, _body(username))

    assert raised.value.fields
    assert field in raised.value.fields
    assert _partition(f"PATIENT#{pid}") == before


def test_a_past_end_date_is_refused(front_desk: Caller, patient: tuple[str, Caller], carer: Caller) -> None:
    pid, _ = patient
    with pytest.raises(errors.BadRequest) as raised:
        proxies.grant_proxy(front_desk, pid, _body("sub-carer", expires_on=date(2020, 1, 1)))
    assert raised.value.fields == {"expires_on": "choose today or a later date"}
    assert "caregiver" not in _fresh(carer).acts_for.values()


@pytest.mark.parametrize("expires_on", ["9999-12-31", "0001-01-01", "2101-01-01"])
def test_an_end_date_in_an_impossible_year_is_refused_naming_the_field(expires_on: str) -> None:
    with pytest.raises(ValidationError) as raised:
        _body("sub-carer", expires_on=expires_on)
    assert [e["loc"] for e in raised.value.errors()] == [("expires_on",)]
    assert _body("sub-carer", expires_on="2100-12-31").expires_on == date(2100, 12, 31)


def test_a_second_grant_is_a_conflict(front_desk: Caller, patient: tuple[str, Caller], carer: Caller) -> None:
    pid, _ = patient
    proxies.grant_proxy(front_desk, pid, _body("sub-carer"))
    with pytest.raises(errors.Conflict):
        proxies.grant_proxy(front_desk, pid, _body("sub-carer", relationship="spouse"))


def test_an_expired_grant_stops_working_and_can_be_granted_again(
    front_desk: Caller, patient: tuple[str, Caller], carer: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, me = patient
    today = datetime.now(UTC).date()
    out = proxies.grant_proxy(front_desk, pid, _body("sub-carer", expires_on=today + timedelta(days=1)))
    assert out.expires_at is not None
    assert out.expires_at > datetime.now(UTC)
    assert pid in _fresh(carer).acts_for

    later = out.expires_at + timedelta(seconds=1)
    monkeypatch.setattr("chalicelib.core.dynamo.utcnow", lambda: later)

    assert pid not in _fresh(carer).acts_for
    assert [p.status for p in proxies.list_proxies(me, pid).items] == ["expired"]
    renewed = proxies.grant_proxy(front_desk, pid, _body("sub-carer"))
    assert renewed.status == "active"
    assert pid in _fresh(carer).acts_for


def test_the_patient_revokes_and_a_retry_is_not_found(
    front_desk: Caller, patient: tuple[str, Caller], carer: Caller
) -> None:
    pid, me = patient
    proxies.grant_proxy(front_desk, pid, _body("sub-carer"))

    proxies.revoke_proxy(me, pid, "sub-carer")

    assert pid not in _fresh(carer).acts_for
    assert proxies.list_proxies(me, pid).items == []
    assert not [i for i in _partition(f"PATIENT#{pid}") if i["SK"] == "PROXY#sub-carer"]
    with pytest.raises(errors.NotFound):
        proxies.revoke_proxy(me, pid, "sub-carer")
    actions = [i["action"] for i in _partition(f"PATIENT#{pid}") if i["SK"].startswith("AUDIT#")]
    assert sorted(actions) == ["proxy.grant", "proxy.list", "proxy.revoke"]


def test_the_caregiver_gives_up_access_but_cannot_remove_others(
    front_desk: Caller,
    patient: tuple[str, Caller],
    carer: Caller,
    make_patient: PatientFactory,
    caller_for: CallerFactory,
) -> None:
    pid, _ = patient
    other = caller_for(acts_for={make_patient().id: "self"}, sub="sub-other", name="Otto Other")
    proxies.grant_proxy(front_desk, pid, _body("sub-carer"))
    proxies.grant_proxy(front_desk, pid, _body("sub-other"))

    with pytest.raises(errors.NotFound):
        proxies.revoke_proxy(_fresh(carer), pid, "sub-other")
    proxies.revoke_proxy(_fresh(carer), pid, "sub-carer")

    assert pid not in _fresh(carer).acts_for
    assert pid in _fresh(other).acts_for


def test_nobody_can_remove_the_patients_own_link(front_desk: Caller, patient: tuple[str, Caller]) -> None:
    pid, me = patient
    with pytest.raises(errors.NotFound):
        proxies.revoke_proxy(front_desk, pid, me.sub)
    with pytest.raises(errors.NotFound):
        proxies.revoke_proxy(me, pid, me.sub)
    assert _fresh(me).acts_for[pid] == "self"
