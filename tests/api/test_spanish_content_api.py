"""What the server sends as data reaches a Spanish-reading patient in Spanish: the clinic's visit types and
why one cannot be booked, booking refusals, and the eCheck-in forms, whose signed consent keeps the version
and the language of the text signed. English readers keep English."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from chalicelib.appointments.models import Appointment
from chalicelib.core import config
from chalicelib.core.identity import Role
from tests.api.appointments_samples import CHECKIN_BODY, open_slot, video_visit_now
from tests.api.conftest import UserFactory
from tests.api.language_samples import reader, send
from tests.api.records_samples import result_body


def test_the_visit_types_and_why_not_follow_the_language_on_screen(
    api: Client, make_user: UserFactory
) -> None:
    # The booking page is worded in the language on screen (the web app's Accept-Language), so the
    # clinic's names and the reasons a visit cannot be booked match the page around them, whatever the
    # saved preference.
    maria = reader(api, make_user, "María González", "es")
    alex = reader(api, make_user, "Alex Adams", "en")

    options = api.http.get(
        f"/patients/{alex.patient_id}/booking-options", headers={**alex.auth, "Accept-Language": "es-US"}
    )
    english = api.http.get(
        f"/patients/{maria.patient_id}/booking-options", headers={**maria.auth, "Accept-Language": "en"}
    )

    assert options.status_code == 200, options.body
    assert options.json_body["language"] == "es"
    assert english.json_body["language"] == "en"
    spanish = {v["id"]: v for v in options.json_body["visit_types"]}
    assert spanish["new-patient"]["name"] == "Cita de paciente nuevo"
    assert spanish["video-follow-up"]["description"] == "Una cita de seguimiento desde su casa, por video."
    # A new patient cannot book a follow-up; a call-only visit names the clinic's number: both in Spanish.
    assert spanish["follow-up"]["not_bookable_reason"] == (
        "esta cita es para pacientes que ya vinieron antes; haga una cita de paciente nuevo"
    )
    phone = config.clinic().phone_display
    assert spanish["minor-procedure"]["not_bookable_reason"] == (
        f"llame a la clínica al {phone} para hacer esta cita"
    )
    by_id = {v["id"]: v for v in english.json_body["visit_types"]}
    assert by_id["new-patient"]["name"] == "New patient visit"  # María chose English on screen
    assert (
        by_id["minor-procedure"]["not_bookable_reason"]
        == f"please call the clinic at {phone} to book this visit"
    )


def test_a_taken_time_is_refused_in_spanish(api: Client, make_user: UserFactory) -> None:
    maria = reader(api, make_user, "María González", "es")
    other = make_user(Role.PATIENT, name="Bob Beta")
    slot = open_slot("new-patient", days=1)
    assert (
        send(
            api, "POST", f"/patients/{other.patient_id}/appointments", other, {"slot_id": slot.id}
        ).status_code
        == 201
    )

    refused = send(api, "POST", f"/patients/{maria.patient_id}/appointments", maria, {"slot_id": slot.id})

    assert refused.status_code == 409
    assert refused.json_body["error"]["code"] == "conflict"
    assert refused.json_body["error"]["message"] == "alguien acaba de tomar esta hora; elija otra"


def _visit_in_two_days(patient_id: str) -> Appointment:
    return video_visit_now(patient_id, provider_id="dr-rivera", minutes_from_now=2 * 24 * 60)


def _consent_body() -> dict[str, Any]:
    answers = {
        "reason-for-visit": {"reason": "Dolor de cabeza"},
        "telehealth-consent": {"agree": True, "signature": "María González"},
    }
    return {**CHECKIN_BODY, "answers": answers}


def test_maria_signs_the_consent_in_spanish_and_the_signature_keeps_version_and_language(
    api: Client, make_user: UserFactory
) -> None:
    maria = reader(api, make_user, "María González", "es")
    assert maria.patient_id
    visit = _visit_in_two_days(maria.patient_id)
    path = f"/patients/{maria.patient_id}/appointments/{visit.id}/checkin"

    shown = api.http.get(path, headers=maria.auth)
    assert shown.status_code == 200, shown.body
    consent = {q["id"]: q for q in shown.json_body["questionnaires"]}["telehealth-consent"]
    assert consent["title"] == "Permiso para una cita por video"
    assert [item["text"] for item in consent["items"]] == [
        "Las citas por video usan una conexión segura. Puede parar en cualquier momento y pedir una cita "
        "en persona.",
        "Acepto recibir atención por video.",
        "Escriba su nombre completo como firma",
    ]

    sent = send(api, "PUT", path, maria, _consent_body())

    assert sent.status_code == 200, sent.body
    submitted = sent.json_body["submitted"]
    [signed] = submitted["consents"]
    assert (signed["questionnaire_id"], signed["questionnaire_version"], signed["language"]) == (
        "telehealth-consent",
        "2026.1",
        "es",
    )
    assert signed["signed_name"] == "María González"
    # The stored answers keep the wording she read.
    response = {r["questionnaire"].split("|")[0]: r for r in submitted["questionnaire_responses"]}
    agreed = response["Questionnaire/telehealth-consent"]["item"][0]
    assert agreed["text"] == "Acepto recibir atención por video."


def test_an_english_reader_signs_the_english_text(api: Client, make_user: UserFactory) -> None:
    alex = reader(api, make_user, "Alex Adams", "en")
    assert alex.patient_id
    visit = _visit_in_two_days(alex.patient_id)
    path = f"/patients/{alex.patient_id}/appointments/{visit.id}/checkin"

    sent = send(api, "PUT", path, alex, _consent_body())

    assert sent.status_code == 200, sent.body
    [signed] = sent.json_body["submitted"]["consents"]
    assert (signed["questionnaire_version"], signed["language"]) == ("2026.1", "en")
    consent = {q["id"]: q for q in sent.json_body["questionnaires"]}["telehealth-consent"]
    assert consent["items"][1]["text"] == "I agree to receive care by video."


def test_maria_reads_result_categories_in_spanish_and_flags_as_codes(
    api: Client, make_user: UserFactory
) -> None:
    maria = reader(api, make_user, "María González", "es")
    doctor = make_user(Role.CLINICIAN, name="Dr. Who")
    pid = maria.patient_id
    made = send(api, "POST", f"/patients/{pid}/results", doctor, result_body())
    assert made.status_code == 201, made.body
    spanish = {"Accept-Language": "es"}  # the language on screen, which her saved Spanish sets

    listed = api.http.get(f"/patients/{pid}/results", headers={**maria.auth, **spanish}).json_body
    detail = api.http.get(
        f"/patients/{pid}/results/{made.json_body['id']}", headers={**maria.auth, **spanish}
    )
    prefs = api.http.get(f"/patients/{pid}/result-preferences", headers={**maria.auth, **spanish}).json_body

    assert listed["items"][0]["category_label"] == "Análisis de laboratorio"
    assert detail.status_code == 200, detail.body
    assert detail.json_body["category_label"] == "Análisis de laboratorio"
    # The flag is a stable code the page words in its language (the English flag_text stays for old readers).
    [glucose] = detail.json_body["components"]
    assert (glucose["flag"], listed["items"][0]["worst_flag"]) == ("high", "high")
    lab = next(c for c in prefs["categories"] if c["id"] == "lab")
    assert lab["label"] == "Análisis de laboratorio"
    assert lab["review_first_prompt"].startswith("Quiero que mi médico revise")

    english = api.http.get(f"/patients/{pid}/results", headers={**doctor.auth, "Accept-Language": "en"})
    assert english.json_body["items"][0]["category_label"] == "Lab tests"


REGISTRANT = {
    "legal_name": {"given": "Rosa", "family": "Méndez"},
    "birth_date": "1979-03-14",
    "sex": "female",
    "email": "rosa@example.org",
    "address": {"line1": "9 Elm St", "city": "Springfield", "state": "IL", "postal_code": "62704"},
}


def _post_public(api: Client, path: str, body: dict[str, Any], auth: dict[str, str] | None = None) -> Any:
    return api.http.post(
        path, headers={"Content-Type": "application/json", **(auth or {})}, body=json.dumps(body).encode()
    )


def test_activating_from_the_spanish_page_saves_spanish(api: Client, make_user: UserFactory) -> None:
    desk = make_user(Role.FRONT_DESK, name="Dana Desk")
    registered = _post_public(api, "/staff/registrations", REGISTRANT, desk.auth)
    assert registered.status_code == 201, registered.body
    pid = registered.json_body["id"]
    invited = _post_public(api, f"/patients/{pid}/invitations", {"delivery": "letter"}, desk.auth)
    assert invited.status_code == 201, invited.body
    facts = {"code": invited.json_body["code"], "birth_date": "1979-03-14", "second_fact": "62704"}

    done = _post_public(
        api,
        "/activation/complete",
        {**facts, "username": "rosa.mendez", "password": "Sunny-Garden-42!", "preferred_language": "es"},
    )

    assert done.status_code == 201, done.body
    profile = api.http.get(f"/patients/{pid}/profile", headers=desk.auth).json_body
    assert profile["preferred_language"] == "es"
    assert profile["version"] == 2  # one save, audited with the activation


def test_a_registration_request_from_the_spanish_page_registers_a_spanish_reader(
    api: Client, make_user: UserFactory, monkeypatch: Any
) -> None:
    clinic = config.clinic()
    enrolment = clinic.enrolment.model_copy(update={"self_registration": True})
    monkeypatch.setenv("CLINIC_CONFIG", clinic.model_copy(update={"enrolment": enrolment}).model_dump_json())
    config.clinic.cache_clear()
    desk = make_user(Role.FRONT_DESK, name="Dana Desk")

    sent = _post_public(api, "/registration-requests", {**REGISTRANT, "preferred_language": "es"})
    assert sent.status_code == 202, sent.body
    [queued] = api.http.get("/staff/registration-requests", headers=desk.auth).json_body["items"]
    decided = _post_public(
        api, f"/staff/registration-requests/{queued['id']}/decision", {"decision": "register"}, desk.auth
    )

    assert decided.status_code == 200, decided.body
    profile = api.http.get(
        f"/patients/{decided.json_body['patient_id']}/profile", headers=desk.auth
    ).json_body
    assert profile["preferred_language"] == "es"
    # The dumped clinic (as deployed) kept its Spanish: the visit types still read in Spanish.
    assert config.clinic().visit_types[0].name.translations == {"es": "Cita de paciente nuevo"}  # type: ignore[attr-defined]


def test_the_clinic_details_come_in_the_language_on_screen(api: Client) -> None:
    spanish = api.http.get("/clinic", headers={"Accept-Language": "es"}).json_body
    english = api.http.get("/clinic", headers={"Accept-Language": "en"}).json_body

    assert spanish["language"] == "es"
    assert spanish["hours"][0] == {"days": "Lunes a viernes", "hours": "8:00 a. m. – 6:00 p. m."}
    assert spanish["emergency_notice"].startswith("Si es una emergencia médica")
    assert (english["language"], english["hours"][0]["days"]) == ("en", "Monday–Friday")
