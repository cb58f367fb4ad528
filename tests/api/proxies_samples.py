"""Security-matrix samples for proxy access: a grantee account to grant to, and a grant to revoke.

Each maker gets the owning patient's id. The grantee is a portal account in the table only (the routes
never ask Cognito), with a fresh username so that repeated calls do not collide.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from chalicelib.core import users as user_store
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.identity import Role
from chalicelib.enrolment import invitations
from chalicelib.enrolment import store as enrolment_store
from chalicelib.enrolment.models import Invitation
from chalicelib.proxies.models import ProxyScope

if TYPE_CHECKING:
    from tests.api.test_security_matrix import Sample


def _sample(**kwargs: object) -> Sample:
    from tests.api.test_security_matrix import Sample

    return Sample(**kwargs)  # type: ignore[arg-type]


def grantee() -> str:
    """A patient-portal account that may be given access; returns its sub (also its username)."""
    sub = f"sub-proxy-{uuid.uuid4().hex[:10]}"
    user_store.put_account(sub=sub, username=sub, display_name="Casey Carer", role=Role.PATIENT)
    return sub


def _grant_body(_patient_id: str) -> Sample:
    return _sample(
        body={"username": grantee(), "relationship": "spouse", "verification_note": "ID checked at the desk"}
    )


def _existing_grant(patient_id: str) -> Sample:
    sub = grantee()
    user_store.link_patient(sub=sub, patient_id=patient_id, relationship="caregiver")
    return _sample(params={"proxy_sub": sub})


def _update_grant(patient_id: str) -> Sample:
    sub = grantee()
    user_store.link_patient(sub=sub, patient_id=patient_id, relationship="caregiver")
    return _sample(params={"proxy_sub": sub}, body={"scope": {"areas": ["billing"], "access": "read"}})


def _invite_body(_patient_id: str) -> Sample:
    return _sample(
        body={
            "caregiver_name": "Casey Carer",
            "email": "casey@example.com",
            "relationship": "spouse",
            "scope": {"areas": ["appointments", "billing"], "access": "act"},
        }
    )


def pending_caregiver_invitation(patient_id: str, scope: ProxyScope | None = None) -> str:
    """A caregiver invitation to this patient's record, as a patient makes it; returns its code."""
    return caregiver_invitation(patient_id, scope)[1]


def caregiver_invitation(patient_id: str, scope: ProxyScope | None = None) -> tuple[str, str]:
    """A pending caregiver invitation as a patient makes it; returns its id and its code."""
    code = invitations.new_code()
    now = datetime.now(UTC)
    invitation = Invitation(
        id=f"inv-{uuid.uuid4().hex[:10]}",
        patient_id=patient_id,
        kind="caregiver",
        delivery="email",
        email="casey@example.com",
        caregiver_name="Casey Carer",
        relationship="spouse",
        code_hash=enrolment_store.code_hash(code),
        created_at=now,
        created_by="sub-inviter",
        expires_at=now + timedelta(days=7),
        scope=scope or ProxyScope(areas=["appointments", "billing"]),
        invited_by_role=Role.PATIENT,
    )
    event = AuditEvent(
        id=f"ev-{uuid.uuid4().hex[:10]}",
        patient_id=patient_id,
        at=now,
        actor_sub="sub-inviter",
        actor_name="Inviter",
        actor_role=Role.PATIENT,
        action="proxy.invite",
        target=invitation.id,
        request_id="req-sample",
    )
    enrolment_store.create_invitation(invitation, audit=event)
    return invitation.id, invitations.grouped(code)


def _accept_body(_patient_id: str) -> Sample:
    # an invitation to someone else's record: the caller becomes their caregiver
    return _sample(body={"code": pending_caregiver_invitation(f"p-other{uuid.uuid4().hex[:8]}")})


def _pending_invitation(patient_id: str) -> Sample:
    return _sample(params={"invitation_id": caregiver_invitation(patient_id)[0]})


SAMPLES: dict[str, Callable[[str], Sample]] = {
    "POST /patients/{patient_id}/proxies": _grant_body,
    "DELETE /patients/{patient_id}/proxies/{proxy_sub}": _existing_grant,
    "PATCH /patients/{patient_id}/proxies/{proxy_sub}": _update_grant,
    "POST /patients/{patient_id}/caregiver-invitations": _invite_body,
    "POST /me/caregiver-invitations/accept": _accept_body,
    "DELETE /patients/{patient_id}/caregiver-invitations/{invitation_id}": _pending_invitation,
}
