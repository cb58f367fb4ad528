"""Security-matrix samples for registration and invitations.

Each maker gets the owning patient's id. A registration gets a name of its own each time (the duplicate
check would refuse a second one); invitations need a ZIP code on the record (what activation asks for).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.enrolment import invitations
from chalicelib.enrolment import store as enrolment_store
from chalicelib.enrolment.models import InvitationIn, RegistrationRequest
from chalicelib.patients import store as patient_store
from chalicelib.patients.models import Address

if TYPE_CHECKING:
    from tests.api.test_security_matrix import Sample

DESK = Caller(
    sub="sub-sample-desk", username="desk", role=Role.FRONT_DESK, display_name="Desk", request_id="r"
)


def _sample(**kwargs: object) -> Sample:
    from tests.api.test_security_matrix import Sample

    return Sample(**kwargs)  # type: ignore[arg-type]


def with_zip(patient_id: str) -> None:
    """Give a test patient an address, so that an invitation can be made for them."""
    profile = patient_store.get_profile(patient_id)
    address = Address(line1="1 Main St", city="Portland", state="OR", postal_code="97201")
    patient_store.create_profile(profile.model_copy(update={"address": address}))


def new_name() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=10)).title()


def _registration(_patient_id: str) -> Sample:
    return _sample(
        body={
            "legal_name": {"given": "Ana", "family": new_name()},
            "birth_date": "1990-04-05",
            "sex": "female",
        }
    )


def _invitation(patient_id: str) -> Sample:
    with_zip(patient_id)
    return _sample(body={"delivery": "letter"})


def _existing_invitation(patient_id: str) -> Sample:
    with_zip(patient_id)
    invitations.invite(DESK, patient_id, InvitationIn(delivery="letter"))
    [newest, *_] = enrolment_store.list_invitations(patient_id)
    return _sample(params={"invitation_id": newest.id})


def _open_request(_patient_id: str) -> Sample:
    request = RegistrationRequest.model_validate(
        {
            "id": f"rr-{new_name().lower()}",
            "legal_name": {"given": "Lee", "family": new_name()},
            "birth_date": "1990-02-03",
            "sex": "male",
            "email": "lee@example.org",
            "submitted_at": datetime.now(UTC),
        }
    )
    enrolment_store.create_request(request)
    return _sample(params={"request_id": request.id}, body={"decision": "decline"})


def _import_chunk(_patient_id: str) -> Sample:
    content = f"given_name,family_name,birth_date,sex\nAna,{new_name()},1990-04-05,female\n"
    return _sample(body={"format": "csv", "content": content, "dry_run": True})


def _import_invitations(patient_id: str) -> Sample:
    return _sample(body={"patient_ids": [patient_id]})


SAMPLES: dict[str, Callable[[str], Sample]] = {
    "POST /admin/patient-import": _import_chunk,
    "POST /admin/patient-import/invitations": _import_invitations,
    "POST /staff/registrations": _registration,
    "POST /patients/{patient_id}/invitations": _invitation,
    "POST /patients/{patient_id}/invitations/{invitation_id}/resend": _existing_invitation,
    "DELETE /patients/{patient_id}/invitations/{invitation_id}": _existing_invitation,
    "POST /staff/registration-requests/{request_id}/decision": _open_request,
}
