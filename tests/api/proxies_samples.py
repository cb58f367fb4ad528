"""Security-matrix samples for proxy access: a grantee account to grant to, and a grant to revoke.

Each maker gets the owning patient's id. The grantee is a portal account in the table only (the routes
never ask Cognito), with a fresh username so that repeated calls do not collide.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from chalicelib.core import users as user_store
from chalicelib.core.identity import Role

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


SAMPLES: dict[str, Callable[[str], Sample]] = {
    "POST /patients/{patient_id}/proxies": _grant_body,
    "DELETE /patients/{patient_id}/proxies/{proxy_sub}": _existing_grant,
}
