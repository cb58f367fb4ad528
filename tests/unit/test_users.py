"""Portal accounts (core/users.py): written whole, written again without losing what the account's life
recorded on it."""

from __future__ import annotations

import pytest

from chalicelib.core import aws, errors
from chalicelib.core import users as user_store
from chalicelib.core.identity import Role


def _put(**overrides: object) -> None:
    fields: dict[str, object] = {
        "sub": "sub-sam",
        "username": "sam",
        "display_name": "Sam Lee",
        "role": Role.PATIENT,
        "email": "sam@home.example",
        **overrides,
    }
    user_store.put_account(**fields)  # type: ignore[arg-type]


def test_putting_an_account_again_keeps_its_flags_and_updates_its_names() -> None:
    _put()
    user_store.change_account("sub-sam", before=user_store.get_account("sub-sam"), disabled=True)
    user_store.change_account("sub-sam", mfa_enabled=True)
    user_store.record_sign_out("sub-sam", 1_700_000_000)

    _put(display_name="Samuel Lee", email="samuel@home.example")  # a seed run again, an activation's retry

    account = user_store.get_account("sub-sam")
    assert account is not None
    assert (account.disabled, account.mfa_enabled, account.signed_out_at) == (True, True, 1_700_000_000)
    assert (account.display_name, account.email) == ("Samuel Lee", "samuel@home.example")
    assert user_store.find_by_username("SAM") == account


def test_putting_an_account_again_moves_its_pools() -> None:
    _put(role=Role.CLINICIAN, pools=["nurses"])
    _put(role=Role.CLINICIAN, pools=["doctors", "nurses"])
    assert [m.pools for m in user_store.list_pool_members()] == [("doctors", "nurses")]

    _put(role=Role.CLINICIAN, pools=[])
    assert user_store.list_pool_members() == []
    item = aws.table().get_item(Key={"PK": "USER#sub-sam", "SK": "PROFILE"})["Item"]
    assert "GSI1PK" not in item


def test_putting_an_account_again_never_changes_its_role() -> None:
    _put(role=Role.CLINICIAN)

    with pytest.raises(errors.Conflict):
        _put(role=Role.ADMIN)

    assert user_store.get_account("sub-sam").role is Role.CLINICIAN  # type: ignore[union-attr]


def test_a_username_of_another_account_is_refused() -> None:
    _put()
    with pytest.raises(errors.Conflict):
        _put(sub="sub-other")
    assert user_store.find_by_username("sam").sub == "sub-sam"  # type: ignore[union-attr]
    assert user_store.get_account("sub-other") is None
