"""Everyone saves the language the portal speaks to them: a patient's goes on their record (the clinic's
emails follow it), staff and caregivers without a record of their own keep theirs on the account, and the
next sign-in, on any device, and the API's refusals follow it."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from chalicelib.core import audit_log
from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory


def _save(api: Client, user: User | None, language: Any) -> Any:
    headers = {"Content-Type": "application/json", **(user.auth if user else {})}
    return api.http.put("/me/language", headers=headers, body=json.dumps({"language": language}).encode())


def _me(api: Client, user: User) -> dict[str, Any]:
    answer = api.http.get("/me", headers=user.auth)
    assert answer.status_code == 200, answer.body
    return dict(answer.json_body["user"])


def _missing_patient(api: Client, user: User, screen: str) -> str:
    answer = api.http.get("/patients/p_nobody_here/profile", headers={**user.auth, "Accept-Language": screen})
    assert answer.status_code == 404
    return str(answer.json_body["error"]["message"])


def test_a_staff_member_saves_spanish_and_the_portal_and_its_refusals_keep_it(
    api: Client, make_user: UserFactory
) -> None:
    nurse = make_user(Role.CLINICIAN, name="Nora Nurse")
    assert _me(api, nurse)["language"] is None
    assert _missing_patient(api, nurse, "en-US") == "patient not found"

    assert _save(api, nurse, "es").status_code == 204

    assert _me(api, nurse)["language"] == "es"  # what the next sign-in, on any device, opens in
    assert _missing_patient(api, nurse, "en-US") == "no se encontró al paciente"
    assert _save(api, nurse, "en").status_code == 204
    assert _me(api, nurse)["language"] == "en"
    assert _missing_patient(api, nurse, "es") == "patient not found"


def test_a_staff_member_not_enrolled_yet_may_choose_the_language_of_the_enrolment_page(
    api: Client, make_user: UserFactory
) -> None:
    desk = make_user(Role.FRONT_DESK, name="Sam Desk", mfa_enabled=False)
    assert _save(api, desk, "es").status_code == 204
    assert _me(api, desk)["language"] == "es"


def test_a_patient_saves_it_on_their_record_where_the_clinics_emails_read_it(
    api: Client, make_user: UserFactory
) -> None:
    maria = make_user(Role.PATIENT, name="María González")

    assert _save(api, maria, "es").status_code == 204

    profile = api.http.get(f"/patients/{maria.patient_id}/profile", headers=maria.auth).json_body
    assert profile["preferred_language"] == "es"
    assert _me(api, maria)["language"] == "es"
    events, _ = audit_log.list_for_patient(str(maria.patient_id), limit=50, cursor=None)
    assert [e.actor_sub for e in events if e.action == "profile.update"] == [maria.sub]
    assert _save(api, maria, "es").status_code == 204  # saving it again changes nothing, and is no error


def test_a_caregiver_without_a_record_of_their_own_keeps_it_on_the_account(
    api: Client, make_user: UserFactory
) -> None:
    caregiver = make_user(Role.PATIENT, name="Cara Giver", with_patient=False)
    assert _save(api, caregiver, "es").status_code == 204
    assert _me(api, caregiver)["language"] == "es"


def test_only_the_portals_languages_and_only_signed_in(api: Client, make_user: UserFactory) -> None:
    nurse = make_user(Role.CLINICIAN, name="Nora Nurse")
    refused = _save(api, nurse, "fr")
    assert refused.status_code == 400
    assert "language" in refused.json_body["error"]["fields"]
    assert _me(api, nurse)["language"] is None
    assert _save(api, None, "es").status_code == 401
