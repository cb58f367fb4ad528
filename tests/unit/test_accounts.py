"""Who am I: the signed-in user and the patients whose records they may open."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from chalicelib.accounts import service as accounts
from chalicelib.accounts import store as account_store
from chalicelib.core import account_events, aws
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from tests.unit.conftest import CallerFactory, PatientFactory


def test_whoami_lists_self_first_then_people_in_my_care_by_name(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    me = make_patient(legal_name={"given": "Maria", "family": "Lopez"}, preferred_name="Mari")
    zoe = make_patient(legal_name={"given": "Zoe", "family": "Lopez"})
    ana = make_patient(legal_name={"given": "Anastasia", "family": "Lopez"}, preferred_name="Ana")
    caller = caller_for(
        acts_for={zoe.id: "caregiver", me.id: "self", ana.id: "caregiver"},
        sub="sub-maria",
        name="Mari Lopez",
    )

    result = accounts.whoami(caller)

    assert [(p.id, p.display_name, p.relationship) for p in result.patients] == [
        (me.id, "Mari Lopez", "self"),
        (ana.id, "Ana Lopez", "caregiver"),
        (zoe.id, "Zoe Lopez", "caregiver"),
    ]
    assert (result.user.sub, result.user.display_name, result.user.role) == (
        "sub-maria",
        "Mari Lopez",
        Role.PATIENT,
    )


def test_a_link_to_a_patient_without_a_profile_is_left_out(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    me = make_patient()
    caller = caller_for(acts_for={me.id: "self", "p-deleted": "caregiver"})

    result = accounts.whoami(caller)

    assert [p.id for p in result.patients] == [me.id]


def test_staff_see_themselves_and_no_patients(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    make_patient()

    result = accounts.whoami(caller_for(Role.CLINICIAN, sub="sub-doc", name="Dr. Rivera"))

    assert result.patients == []
    assert (result.user.display_name, result.user.role) == ("Dr. Rivera", Role.CLINICIAN)


@contextmanager
def failing_writes_to(pk_prefix: str) -> Iterator[None]:
    """Every DynamoDB write that would put an item under `pk_prefix` fails as AWS would (a 500)."""

    def touches(item: Any) -> bool:
        return isinstance(item, dict) and str(item.get("PK", {}).get("S", "")).startswith(pk_prefix)

    def refuse(params: dict[str, Any], **_: Any) -> None:
        request = json.loads(params.get("body") or b"{}")  # as sent: DynamoDB's typed JSON
        puts = [entry.get("Put", {}) for entry in request.get("TransactItems", [])]
        items = [request.get("Item"), *(put.get("Item") for put in puts)]
        if any(touches(item) for item in items):
            raise ClientError({"Error": {"Code": "InternalServerError", "Message": "injected"}}, "write")

    boto3.setup_default_session()
    boto3.DEFAULT_SESSION.events.register("before-call.dynamodb", refuse)
    aws.reset_caches()
    try:
        yield
    finally:
        boto3.DEFAULT_SESSION = None
        aws.reset_caches()


def test_an_authenticator_is_not_recorded_unless_its_security_event_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user_store.put_account(sub="sub-pat", username="pat", display_name="Pat", role=Role.PATIENT)
    caller = Caller(sub="sub-pat", username="pat", role=Role.PATIENT, display_name="Pat", request_id="r-1")
    monkeypatch.setattr(account_store, "verify_software_token", lambda token, code: True)
    monkeypatch.setattr(account_store, "set_software_token_mfa", lambda token, *, enabled: None)

    with failing_writes_to("ACCOUNT_AUDIT#"), pytest.raises(ClientError):
        accounts.verify_totp(caller, "123456")

    assert user_store.get_account("sub-pat").mfa_enabled is False  # type: ignore[union-attr]
    assert account_events.list_for_account("sub-pat") == []
    accounts.verify_totp(caller, "123456")
    assert user_store.get_account("sub-pat").mfa_enabled is True  # type: ignore[union-attr]
    assert [e["action"] for e in account_events.list_for_account("sub-pat")] == ["mfa.enrolled"]
