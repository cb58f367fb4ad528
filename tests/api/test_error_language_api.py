"""Refusals a patient reads come in their language: a patient who saved Spanish gets Spanish error
messages (and field messages); before sign-in the request's Accept-Language decides; staff and English
speakers keep English."""

from __future__ import annotations

import json

from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory


def _save_language(api: Client, user: User, language: str) -> None:
    pid = user.patient_id
    profile = api.http.get(f"/patients/{pid}/profile", headers=user.auth).json_body
    saved = api.http.request(
        "PATCH",
        f"/patients/{pid}/profile",
        headers={**user.auth, "Content-Type": "application/json"},
        body=json.dumps({"version": profile["version"], "preferred_language": language}).encode(),
    )
    assert saved.status_code == 200, saved.body


def _bad_phone(api: Client, user: User, headers: dict[str, str] | None = None) -> dict[str, object]:
    pid = user.patient_id
    profile = api.http.get(f"/patients/{pid}/profile", headers=user.auth).json_body
    response = api.http.request(
        "PATCH",
        f"/patients/{pid}/profile",
        headers={**user.auth, "Content-Type": "application/json", **(headers or {})},
        body=json.dumps({"version": profile["version"], "phone": "12"}).encode(),
    )
    assert response.status_code == 400
    error: dict[str, object] = response.json_body["error"]
    return error


def test_a_patient_who_saved_spanish_reads_refusals_in_spanish(api: Client, make_user: UserFactory) -> None:
    maria = make_user(Role.PATIENT, name="María González")
    _save_language(api, maria, "es")

    error = _bad_phone(api, maria, {"Accept-Language": "en-US"})  # her saved choice wins

    assert error["code"] == "bad_request"  # codes stay as they are: the web app keys on them
    assert error["message"] == "algunos datos no son válidos"
    fields = error["fields"]
    assert isinstance(fields, dict)
    assert fields["phone"] == "no es un número de teléfono válido"

    missing = api.http.get("/patients/p_nobody_here/profile", headers=maria.auth)
    assert missing.status_code == 404
    assert missing.json_body["error"]["message"] == "no se encontró al paciente"


def test_an_english_patient_keeps_english_whatever_the_browser_says(
    api: Client, make_user: UserFactory
) -> None:
    alex = make_user(Role.PATIENT, name="Alex Adams")

    error = _bad_phone(api, alex, {"Accept-Language": "es-MX,es;q=0.9"})

    assert error["message"] == "some fields are not valid"


def test_without_a_patient_preference_accept_language_decides(api: Client, make_user: UserFactory) -> None:
    nurse = make_user(Role.CLINICIAN, name="Nora Nurse")

    spanish = api.http.get(
        "/patients/p_nobody_here/profile", headers={**nurse.auth, "Accept-Language": "es-US"}
    )
    english = api.http.get(
        "/patients/p_nobody_here/profile", headers={**nurse.auth, "Accept-Language": "fr;q=1, es;q=0"}
    )
    signed_out = api.http.get("/patients/p_nobody_here/profile", headers={"Accept-Language": "es"})

    assert spanish.json_body["error"]["message"] == "no se encontró al paciente"
    assert english.json_body["error"]["message"] == "patient not found"
    assert signed_out.status_code == 401
    assert signed_out.json_body["error"]["code"] == "unauthorized"
