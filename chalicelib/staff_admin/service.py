"""Staff administration: an administrator invites, changes, turns off and on staff accounts, and resets
a lost authenticator. Every action is recorded in the admin audit (who, what, when, on whom).

Creating spans Cognito and the table, which share no transaction, so it is written to be finished by a
retry: the Cognito user is reused when it is the same person (same email), the account items are
written only if missing, and a new temporary password goes out with the invitation. Changing, turning
off and on write the table first (its transaction keeps the last active admin: core/users), then Cognito,
which a retry of the same request sets again.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence

from chalicelib.core import config, dynamo, errors, notify
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller
from chalicelib.core.identity import STAFF_ROLES, Role
from chalicelib.core.observability import logger
from chalicelib.staff_admin import store as staff_store
from chalicelib.staff_admin.models import (
    AdminAction,
    AdminAuditEvent,
    AdminAuditList,
    AdminAuditQuery,
    ResetMfaIn,
    StaffCreated,
    StaffCreateIn,
    StaffDetail,
    StaffInvitationOut,
    StaffList,
    StaffListQuery,
    StaffMember,
    StaffUpdateIn,
)

_TAKEN = "this username belongs to someone else; choose another"
# Symbols Cognito counts as symbols, less those easily misread or mistyped from an email.
_SYMBOLS = "!#%*+-=?@"
_LETTERS = string.ascii_letters + string.digits + _SYMBOLS


def temporary_password(length: int = 16) -> str:
    """Random, and meeting the pool's policy (upper, lower, digit, symbol) whatever the draw."""
    chars = [
        secrets.choice(string.ascii_uppercase),
        secrets.choice(string.ascii_lowercase),
        secrets.choice(string.digits),
        secrets.choice(_SYMBOLS),
        *(secrets.choice(_LETTERS) for _ in range(length - 4)),
    ]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _event(
    caller: Caller, action: AdminAction, target: StaffMember | tuple[str, str], detail: str = ""
) -> AdminAuditEvent:
    sub, username = (target.sub, target.username) if isinstance(target, StaffMember) else target
    return AdminAuditEvent(
        id=dynamo.new_id(),
        at=dynamo.utcnow(),
        actor_sub=caller.sub,
        actor_name=caller.display_name,
        action=action,
        target_sub=sub,
        target_username=username,
        detail=detail,
        request_id=caller.request_id,
    )


def _check_pools(pools: Sequence[str]) -> list[str]:
    known = {pool.id for pool in config.clinic().care_team_pools}
    unknown = sorted(set(pools) - known)
    if unknown:
        raise errors.BadRequest(
            "unknown care-team pool", fields={"pools": "not a care-team pool of this clinic"}
        )
    return sorted(set(pools))


def _staff(sub: str) -> StaffMember:
    member = staff_store.get_staff(sub)
    if member is None:
        raise errors.NotFound("staff account not found")
    return member


def list_staff(query: StaffListQuery) -> StaffList:
    """A page of staff accounts, by username."""
    items, cursor = staff_store.list_staff(limit=query.limit, cursor=query.cursor)
    return StaffList(items=items, next_cursor=cursor)


def staff_detail(sub: str) -> StaffDetail:
    """One staff account, with whether its invitation is still pending."""
    member = _staff(sub)
    sign_in = staff_store.get_sign_in(member.username)
    status = (
        "other"
        if sign_in is None
        else {"FORCE_CHANGE_PASSWORD": "invited", "CONFIRMED": "active"}.get(sign_in.status, "other")
    )
    return StaffDetail(**member.model_dump(), sign_in_status=status)


def _invite(member: StaffMember, email: str, password: str) -> bool:
    clinic = config.clinic()
    notice = notify.Notice(
        subject=f"Your {clinic.name} staff account",
        text=(
            f"Hello {member.display_name},\n\n"
            f"An administrator at {clinic.name} created a staff account for you.\n\n"
            f"Username: {member.username}\n"
            f"Temporary password: {password}\n\n"
            f"Sign in at {notify.portal_url()} within 3 days. You will choose your own password at the "
            "first sign-in, then set up an authenticator app.\n"
            "If you did not expect this email, tell your clinic's administrator."
        ),
    )
    sent = notify.send(email, notice)
    logger.info("staff invitation", extra={"target_sub": member.sub, "sent": sent})
    return sent


def _same_person(email: str | None, other: str) -> bool:
    return (email or "").lower() == other.lower()


def create_staff(caller: Caller, body: StaffCreateIn) -> tuple[StaffCreated, bool]:
    """Create (or, on a retry, finish creating) a staff account and send its invitation.

    The same username with the same email is a retry: what exists is kept, what is missing is written.
    Returns the result and whether anything was created (False: a retry found everything in place).
    """
    role = Role(body.role)
    pools = _check_pools(body.pools)
    email = str(body.email)
    existing = user_store.find_by_username(body.username)
    if existing is not None and (existing.role not in STAFF_ROLES or not _same_person(existing.email, email)):
        raise errors.Conflict(_TAKEN, fields={"username": "already taken"})
    password = temporary_password()
    sign_in = staff_store.create_sign_in(username=body.username, email=email, temporary_password=password)
    fresh_sign_in = sign_in is not None
    if sign_in is None:  # taken in Cognito: ours from a try that stopped half-way, or someone else's
        sign_in = staff_store.get_sign_in(body.username)
        if sign_in is None or not _same_person(sign_in.email, email):
            raise errors.Conflict(_TAKEN, fields={"username": "already taken"})
    if existing is not None and existing.sub != sign_in.sub:
        raise errors.Conflict(_TAKEN, fields={"username": "already taken"})
    member = StaffMember(
        sub=sign_in.sub,
        username=body.username,
        display_name=body.display_name,
        role=role,
        pools=pools,
        email=email,
    )
    if existing is None:
        staff_store.set_group(body.username, role)
        staff_store.create_account(
            sub=member.sub,
            username=member.username,
            display_name=member.display_name,
            role=role,
            pools=pools,
            email=email,
            audit=_event(caller, "staff.create", member, detail=f"role {role.value}"),
        )
    else:  # the account is there: it stays as it is (changes go through update_staff)
        member = _staff(existing.sub)
        staff_store.set_group(body.username, member.role)
        staff_store.ensure_listed(member.sub, member.username)
    invited = False
    if sign_in.status == "FORCE_CHANGE_PASSWORD":  # not signed in yet: (re)send the invitation
        if not fresh_sign_in:
            staff_store.set_temporary_password(body.username, password)
        invited = _invite(member, email, password)
    created = fresh_sign_in or existing is None
    logger.info("staff account created", extra={"target_sub": member.sub, "created": created})
    return StaffCreated(staff=member, invitation_sent=invited), created


def update_staff(caller: Caller, sub: str, body: StaffUpdateIn) -> StaffMember:
    """Change a staff member's name, role or care-team pools. A new role applies from their next request
    (the guard reads the account); their refresh tokens are revoked, so they sign in again into it."""
    member = _staff(sub)
    details: list[str] = []
    display_name = body.display_name if body.display_name not in (None, member.display_name) else None
    if display_name is not None:
        details.append("display name")
    new_role = Role(body.role) if body.role is not None else member.role
    if new_role is not member.role:
        if sub == caller.sub:
            raise errors.Conflict("you cannot change your own role; ask another administrator")
        details.append(f"role {member.role.value} -> {new_role.value}")
    pools = _check_pools(body.pools) if body.pools is not None else sorted(member.pools)
    pools_changed = pools != sorted(member.pools)
    if pools_changed:
        details.append("pools " + (", ".join(pools) or "none"))
    if not details:
        return member
    # The table first: its transaction refuses taking away the last admin (LastAdmin, 409).
    staff_store.change_account(
        member,
        audit=_event(caller, "staff.update", member, detail="; ".join(details)),
        role=new_role if new_role is not member.role else None,
        display_name=display_name,
        pools=pools if pools_changed else None,
    )
    if new_role is not member.role:
        staff_store.set_group(member.username, new_role, previous=member.role)
        staff_store.revoke_refresh_tokens(member.username)
    return _staff(sub)


def disable_staff(caller: Caller, sub: str) -> StaffMember:
    """Turn an account off: no sign-in, refresh tokens revoked, live tokens refused by the guard."""
    if sub == caller.sub:
        raise errors.Conflict("you cannot disable your own account")
    member = _staff(sub)
    if not member.disabled:  # the table first: its transaction refuses turning off the last admin
        staff_store.change_account(member, disabled=True, audit=_event(caller, "staff.disable", member))
    staff_store.disable_sign_in(member.username)  # again on a retry: Cognito may have missed the first
    return _staff(sub)


def enable_staff(caller: Caller, sub: str) -> StaffMember:
    """Turn an account back on."""
    member = _staff(sub)
    if member.disabled:
        staff_store.change_account(member, disabled=False, audit=_event(caller, "staff.enable", member))
    staff_store.enable_sign_in(member.username)  # again on a retry: Cognito may have missed the first
    return _staff(sub)


def resend_invitation(caller: Caller, sub: str) -> StaffInvitationOut:
    """A new temporary password by email, while the person has not signed in yet."""
    member = _staff(sub)
    sign_in = staff_store.get_sign_in(member.username)
    if sign_in is None or sign_in.status != "FORCE_CHANGE_PASSWORD":
        raise errors.Conflict("this person has already signed in; there is no invitation to resend")
    if member.disabled:
        raise errors.Conflict("enable the account before resending its invitation")
    email = member.email or sign_in.email
    if not email:
        raise errors.Conflict("this account has no email address to send the invitation to")
    password = temporary_password()
    staff_store.set_temporary_password(member.username, password)
    staff_store.record(_event(caller, "staff.resend_invitation", member))
    return StaffInvitationOut(invitation_sent=_invite(member, email, password))


def reset_mfa(caller: Caller, sub: str, body: ResetMfaIn) -> StaffMember:
    """Remove a lost authenticator: the person enrols a new one at their next sign-in."""
    member = _staff(sub)
    staff_store.turn_off_authenticator(member.username)
    staff_store.change_account(
        member, mfa_enabled=False, audit=_event(caller, "staff.reset_mfa", member, detail=body.reason)
    )
    return _staff(sub)


def list_admin_audit(query: AdminAuditQuery) -> AdminAuditList:
    """What administrators did, newest first."""
    items, cursor = staff_store.list_audit(limit=query.limit, cursor=query.cursor)
    return AdminAuditList(items=items, next_cursor=cursor)


def record_patient_import(caller: Caller, *, run_id: str, file_name: str, detail: str) -> None:
    """An import of existing patients (the command line or the admin page) in the admin audit: counts only."""
    staff_store.record(_event(caller, "patients.import", (run_id, file_name), detail))
