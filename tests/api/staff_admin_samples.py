"""Security-matrix samples for staff administration: a staff account to act on, a new one to create.

Each target is a real Cognito user (the routes call Cognito) still on its invitation's temporary
password, with a portal account, under a fresh username so repeated calls do not collide.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from chalicelib.core import aws
from chalicelib.core import users as user_store
from chalicelib.core.config import settings
from chalicelib.core.identity import Role

if TYPE_CHECKING:
    from tests.api.test_security_matrix import Sample


def _sample(**kwargs: object) -> Sample:
    from tests.api.test_security_matrix import Sample

    return Sample(**kwargs)  # type: ignore[arg-type]


def staff_member(role: Role = Role.FRONT_DESK) -> tuple[str, str]:
    """An invited staff member who has not signed in yet: (sub, username)."""
    username = f"staff-{uuid.uuid4().hex[:10]}"
    email = f"{username}@clinic.example"
    created = aws.cognito_client().admin_create_user(
        UserPoolId=settings().user_pool_id,
        Username=username,
        TemporaryPassword="Temp-Password-2026!",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}],
    )["User"]
    aws.cognito_client().admin_add_user_to_group(
        UserPoolId=settings().user_pool_id, Username=username, GroupName=role.value
    )
    sub = next(a["Value"] for a in created["Attributes"] if a["Name"] == "sub")
    user_store.put_account(sub=sub, username=username, display_name="Sam Staff", role=role, email=email)
    return sub, username


def _on_member(body: dict[str, object] | None = None) -> Callable[[str], Sample]:
    def make(_patient_id: str) -> Sample:
        return _sample(params={"sub": staff_member()[0]}, body=body)

    return make


def new_staff_body() -> dict[str, object]:
    username = f"new-{uuid.uuid4().hex[:10]}"
    return {
        "username": username,
        "display_name": "Nico New",
        "email": f"{username}@clinic.example",
        "role": "front_desk",
        "pools": ["front-desk"],
    }


SAMPLES: dict[str, Callable[[str], Sample]] = {
    "POST /admin/staff": lambda _pid: _sample(body=new_staff_body()),
    "GET /admin/staff/{sub}": _on_member(),
    "PATCH /admin/staff/{sub}": _on_member({"display_name": "Samantha Staff"}),
    "POST /admin/staff/{sub}/disable": _on_member(),
    "POST /admin/staff/{sub}/enable": _on_member(),
    "POST /admin/staff/{sub}/resend-invitation": _on_member(),
    "POST /admin/staff/{sub}/reset-mfa": _on_member({"reason": "Phone lost; identity checked in person"}),
    # the privacy report needs its range (the access review's filters are optional)
    "GET /admin/privacy-report": lambda _pid: _sample(query={"from": "2026-12-01", "to": "2026-12-07"}),
    "GET /admin/privacy-report/export": lambda _pid: _sample(
        query={"from": "2026-12-01", "to": "2026-12-07"}
    ),
}
