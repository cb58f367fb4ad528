"""Proxy (caregiver) access: who may act for a patient, granted by the front desk, revocable by the
patient, the front desk or the caregiver themself. A patient never reaches another patient's data except
through one of these explicit grants."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from chalicelib.core import audit, config, dynamo, errors, notify
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.i18n import Locale
from chalicelib.core.identity import Role
from chalicelib.core.observability import isolated, logger
from chalicelib.patients import profiles as profile_service
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
# A parent's or guardian's access to a minor's record ends by itself when the patient comes of age.
PARENTAL: Final = frozenset({"parent", "guardian"})
# Who ends grants on schedule, as the audit trail names it.
SCHEDULE = Caller(
    sub="system",
    username="system",
    role=Role.FRONT_DESK,
    display_name="Clinic portal (automatic)",
    request_id="scheduled",
)


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


def birthday(born: date, years: int) -> date:
    """The day someone turns `years`; born on 29 February, the 1st of March in a common year."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


def adulthood(patient_id: str, relationship: ProxyRelationship, now: datetime) -> datetime | None:
    """When a parental grant on this patient ends: local midnight starting the birthday of the clinic's
    age of majority. None for other relationships, and for a patient who is already of age."""
    if relationship not in PARENTAL:
        return None
    # combine() with the zone, not a UTC offset: the offset of that very night (standard or daylight).
    start = coming_of_age(profile_service.profile_of(patient_id).birth_date)
    return start if now < start else None


def coming_of_age(born: date) -> datetime:
    """Local midnight starting the birthday of the clinic's age of majority (the zone's own offset then)."""
    zone = ZoneInfo(config.clinic().time_zone)
    return datetime.combine(birthday(born, config.clinic().minors.adult_at_age), time.min, tzinfo=zone)


def restated_end(grant: ProxyGrant, born: date) -> tuple[datetime | None, datetime | None]:
    """(adult_at, expires_at) of a grant for this birth date: a parental grant made on a minor (it has an
    adult_at, or was made before this date's coming of age) ends then, even when that moment has passed
    (access stops at once and the job removes the grant); any other grant keeps the end that was chosen.
    The chosen end is the stored one unless it was the old cap."""
    chosen = None if grant.expires_at is None or grant.expires_at == grant.adult_at else grant.expires_at
    start = coming_of_age(born)
    made_on_a_minor = grant.adult_at is not None or grant.granted_at < start
    adult_at = start if grant.relationship in PARENTAL and made_on_a_minor else None
    return adult_at, _until(chosen, adult_at)


def adulthood_entries_for_birth_date(
    patient_id: str, born: date
) -> tuple[list[dict[str, Any]], list[ProxyGrant]]:
    """For a birth-date correction (patients/profiles.py): the transaction entries that restate coming of age
    on every grant whose end changes (one Query: a patient has a handful of grants), and those grants."""
    entries: list[dict[str, Any]] = []
    changed: list[ProxyGrant] = []
    for grant in proxy_store.list_for_patient(patient_id):
        adult_at, expires_at = restated_end(grant, born)
        if (adult_at, expires_at) == (grant.adult_at, grant.expires_at):
            continue
        entries += proxy_store.adulthood_entries(grant, adult_at=adult_at, expires_at=expires_at)
        changed.append(grant)
    return entries, changed


def backfill_adulthood(patient_id: str) -> int:
    """Set the coming of age on this patient's parental grants made before `adult_at` existed (none stored):
    each in one transaction with its audit event, conditional on still having none, so a second run (or
    one racing it) changes nothing. Returns how many grants it changed."""
    born = profile_service.profile_of(patient_id).birth_date
    changed = 0
    for grant in proxy_store.list_for_patient(patient_id):
        if grant.adult_at is not None or grant.relationship not in PARENTAL:
            continue
        adult_at, expires_at = restated_end(grant, born)
        if adult_at is None:
            continue  # granted when the patient was already of age: a plain grant
        event = audit.event(SCHEDULE, patient_id=patient_id, action="proxy.adulthood_set", target=grant.sub)
        if proxy_store.set_adulthood(grant, adult_at=adult_at, expires_at=expires_at, audit=event):
            changed += 1
            logger.info("proxy adulthood set", extra={"patient_id": patient_id, "proxy_sub": grant.sub})
    return changed


def _until(expires_at: datetime | None, adult_at: datetime | None) -> datetime | None:
    """The grant's end: the chosen one, or coming of age if that is sooner."""
    if adult_at is None:
        return expires_at
    return adult_at if expires_at is None else min(expires_at, adult_at)


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
    adult_at = adulthood(patient_id, body.relationship, now)
    grant = ProxyGrant(
        patient_id=patient_id,
        sub=account.sub,
        display_name=account.display_name,
        relationship=body.relationship,
        granted_at=now,
        granted_by_role=caller.role,
        expires_at=_until(expires_at, adult_at),
        scope=body.scope,
        adult_at=adult_at,
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
    # A parental grant keeps its end at coming of age, whatever end date is asked for.
    grant = current.model_copy(
        update={"scope": body.scope, "expires_at": _until(expires_at, current.adult_at)}
    )
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
    now = dynamo.utcnow()
    adult_at = adulthood(patient_id, relationship, now)
    grant = ProxyGrant(
        patient_id=patient_id,
        sub=sub,
        display_name=display_name,
        relationship=relationship,
        granted_at=now,
        granted_by_role=granted_by_role,
        expires_at=_until(expires_at, adult_at),
        scope=scope or ProxyScope(),
        adult_at=adult_at,
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


# --- the scheduled job: parental grants end when the patient comes of age ---


def _ended_notice(locale: Locale) -> notify.Notice:
    return notify.patient_notice(
        "A caregiver's access to a record has ended at {clinic}",
        "A caregiver's access to a record has ended.",
        locale=locale,
    )


def _tell_caregiver(sub: str) -> bool:
    """The caregiver's own patient record says how to reach them and in which language; without one,
    the account's email, in English."""
    account = user_store.get_account(sub)
    if account is None:
        return False
    own = next((pid for pid, relation in account.acts_for.items() if relation == "self"), None)
    if own is not None:
        return profile_service.notify_patient(own, _ended_notice)
    return notify.send(account.email, _ended_notice("en")) if account.email else False


def end_grants_at_adulthood(now: datetime | None = None) -> int:
    """End every parental grant whose patient has come of age, each in one transaction with its audit
    event, and tell both sides (no names, nothing of the record). Safe to run twice or concurrently: a
    grant ended already is not found again, so nothing is ended or emailed twice. Access itself stopped
    at the stroke of midnight (the grant's end); this removes the grant and says so."""
    ended = 0
    for due in proxy_store.due_at_adulthood(now or dynamo.utcnow()):
        with isolated("proxies-adulthood", patient_id=due.patient_id):
            event = audit.event(SCHEDULE, patient_id=due.patient_id, action="proxy.end", target=due.sub)
            try:
                proxy_store.end_at_adulthood(due, audit=event)
            except errors.NotFound:
                continue  # ended by another run, revoked, or granted again since
            ended += 1
            logger.info("proxy access ended at adulthood", extra={"patient_id": due.patient_id})
            profile_service.notify_patient(due.patient_id, _ended_notice)
            _tell_caregiver(due.sub)
    return ended
