"""Proxy (caregiver) access: who may act for a patient, granted by the front desk, revocable by the
patient, the front desk or the caregiver themself. A patient never reaches another patient's data except
through one of these explicit grants."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chalicelib.core import audit, config, dynamo, errors
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.identity import Role
from chalicelib.core.observability import logger
from chalicelib.proxies import store as proxy_store
from chalicelib.proxies.models import (
    ProxyGrant,
    ProxyGrantIn,
    ProxyList,
    ProxyOut,
    ProxyRelationship,
    ProxyScope,
    ProxyUpdateIn,
)

_MANAGERS = frozenset({Role.FRONT_DESK, Role.ADMIN})


def list_proxies(caller: Caller, patient_id: str) -> ProxyList:
    """Everyone who may act for this patient, expired grants included (marked) so they can be removed."""
    if caller.role is Role.PATIENT and caller.acts_for.get(patient_id) != "self":
        # A caregiver does not see or manage the patient's other caregivers.
        raise errors.Forbidden("only the patient themself can see who has access to this record")
    grants = proxy_store.list_for_patient(patient_id)
    audit.record(caller, patient_id=patient_id, action="proxy.list", target="proxies")
    now = dynamo.utcnow()
    return ProxyList(items=[ProxyOut.from_grant(_named(grant), now) for grant in grants])


def _named(grant: ProxyGrant) -> ProxyGrant:
    if grant.display_name:
        return grant
    account = user_store.get_account(grant.sub)  # links from before proxy management carry no name
    return grant.model_copy(update={"display_name": account.display_name if account else "Unknown account"})


def expiry(expires_on_day: date | None, now: datetime) -> datetime | None:
    """The grant works through its last day in the clinic's time zone; a day already past is refused."""
    if expires_on_day is None:
        return None
    zone = ZoneInfo(config.clinic().time_zone)
    if expires_on_day < now.astimezone(zone).date():
        raise errors.BadRequest(
            "the end date is in the past", fields={"expires_on": "choose today or a later date"}
        )
    return datetime.combine(expires_on_day + timedelta(days=1), time.min, tzinfo=zone)


def grant_proxy(caller: Caller, patient_id: str, body: ProxyGrantIn) -> ProxyOut:
    """Let an existing patient-portal account act for this patient (front desk or admin, identity checked)."""
    if caller.role not in _MANAGERS:  # the policy already says so; the rule lives here too
        raise errors.Forbidden("only the front desk can grant access")
    now = dynamo.utcnow()
    expires_at = expiry(body.expires_on, now)
    account = user_store.find_by_username(body.username)
    if account is None:
        raise errors.NotFound(
            "no portal account has that username; the person must sign up first",
            fields={"username": "no portal account with this username"},
        )
    if account.role is not Role.PATIENT:
        raise errors.BadRequest(
            "staff accounts cannot be given access to a patient's record",
            fields={"username": "this is a staff account"},
        )
    if account.acts_for.get(patient_id) == "self":
        raise errors.BadRequest(
            "a patient already has access to their own record", fields={"username": "this is the patient"}
        )
    grant = ProxyGrant(
        patient_id=patient_id,
        sub=account.sub,
        display_name=account.display_name,
        relationship=body.relationship,
        granted_at=now,
        granted_by_role=caller.role,
        expires_at=expires_at,
        scope=body.scope,
    )
    event = audit.event(caller, patient_id=patient_id, action="proxy.grant", target=account.sub)
    proxy_store.create(grant, audit=event, verification_note=body.verification_note)
    logger.info("proxy access granted", extra={"patient_id": patient_id, "proxy_sub": account.sub})
    return ProxyOut.from_grant(grant, now)


def revoke_proxy(caller: Caller, patient_id: str, proxy_sub: str) -> None:
    """End a grant: the patient themself, the front desk or admin, or the caregiver giving up access.

    A second call finds nothing and answers NotFound, as does anyone who may not see the grant.
    """
    if caller.role is Role.PATIENT:
        relationship = caller.acts_for.get(patient_id)
        own_grant = relationship == "caregiver" and proxy_sub == caller.sub
        if relationship != "self" and not own_grant:
            raise errors.NotFound("access grant not found")
    elif caller.role not in _MANAGERS:
        raise errors.Forbidden("your role may not do this")
    event = audit.event(caller, patient_id=patient_id, action="proxy.revoke", target=proxy_sub)
    proxy_store.delete(patient_id, proxy_sub, audit=event)
    logger.info("proxy access revoked", extra={"patient_id": patient_id, "proxy_sub": proxy_sub})


def update_proxy(caller: Caller, patient_id: str, proxy_sub: str, body: ProxyUpdateIn) -> ProxyOut:
    """Change what a grant covers and until when: the patient themself, or the front desk."""
    if caller.role is Role.PATIENT and caller.acts_for.get(patient_id) != "self":
        raise errors.NotFound("access grant not found")  # the guard already says so for caregivers
    if caller.role is not Role.PATIENT and caller.role not in _MANAGERS:
        raise errors.Forbidden("your role may not do this")
    now = dynamo.utcnow()
    expires_at = expiry(body.expires_on, now)
    current = proxy_store.get(patient_id, proxy_sub)
    grant = current.model_copy(update={"scope": body.scope, "expires_at": expires_at})
    event = audit.event(caller, patient_id=patient_id, action="proxy.update", target=proxy_sub)
    proxy_store.update(grant, audit=event)
    logger.info("proxy access changed", extra={"patient_id": patient_id, "proxy_sub": proxy_sub})
    return ProxyOut.from_grant(_named(grant), now)


def grant_on_activation(
    *,
    patient_id: str,
    sub: str,
    display_name: str,
    relationship: ProxyRelationship,
    audit: AuditEvent,
    scope: ProxyScope | None = None,
    expires_at: datetime | None = None,
    granted_by_role: Role = Role.FRONT_DESK,
) -> None:
    """A caregiver invited by the front desk (or by the patient) activated their account, or accepted the
    invitation with the account they have: the grant the invitation promised, with its scope and end.

    Identity and authority were checked when the invitation was made. A retry finds the grant made.
    """
    grant = ProxyGrant(
        patient_id=patient_id,
        sub=sub,
        display_name=display_name,
        relationship=relationship,
        granted_at=dynamo.utcnow(),
        granted_by_role=granted_by_role,
        expires_at=expires_at,
        scope=scope or ProxyScope(),
    )
    note = (
        "invited by the patient"
        if granted_by_role is Role.PATIENT
        else "checked when the invitation was made"
    )
    try:
        proxy_store.create(grant, audit=audit, verification_note=note)
    except errors.Conflict:
        proxy_store.get(patient_id, sub)  # already granted by an earlier try: done (NotFound otherwise)
    logger.info("proxy access granted on activation", extra={"patient_id": patient_id, "proxy_sub": sub})
