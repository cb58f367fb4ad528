"""Refusals from the modules a patient reaches beyond appointments (billing, messages, the record, refills,
caregivers) come back in the patient's saved language, with the values filled in; English readers keep
English. Staff read refusals in the language on screen (Accept-Language)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from chalice.test import Client

from chalicelib.core import config
from chalicelib.core.identity import Role
from tests.api.billing_samples import make_statement
from tests.api.conftest import User, UserFactory
from tests.api.language_samples import reader, send
from tests.api.messages_samples import saved_pharmacy


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.body
    error: dict[str, Any] = response.json_body["error"]
    return error


def _plan_on_a_voided_statement(api: Client, patient: User, billing: User) -> dict[str, Any]:
    base = f"/patients/{patient.patient_id}"
    statement_id = make_statement(str(patient.patient_id))
    voided = send(api, "POST", f"{base}/statements/{statement_id}/void", billing, {"reason": "Wrong visit"})
    assert voided.status_code == 200, voided.body
    first = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    body = {"statement_id": statement_id, "months": 3, "first_due_date": first}
    # The browser says English: the saved language decides a patient's refusals.
    return _error(send(api, "POST", f"{base}/payment-plans", patient, body, **{"Accept-Language": "en"}), 409)


def _refill_of_an_unknown_medication(api: Client, patient: User) -> dict[str, Any]:
    pid = str(patient.patient_id)
    body = {"medication_id": "med-nothing-here", "pharmacy_id": saved_pharmacy(pid)}
    return _error(send(api, "POST", f"/patients/{pid}/refill-requests", patient, body), 400)


def _teen_invites_a_caregiver(api: Client, patient: User) -> dict[str, Any]:
    from chalicelib.patients import store as patient_store

    pid = str(patient.patient_id)
    profile = patient_store.get_profile(pid)
    teen = datetime.now(UTC).date().replace(year=datetime.now(UTC).year - 15, month=1, day=15)
    patient_store.create_profile(profile.model_copy(update={"birth_date": teen}))
    invite = {
        "caregiver_name": "Alex Morgan",
        "email": "alex.morgan@example.org",
        "relationship": "adult_child",
        "scope": {"areas": ["appointments"], "access": "act"},
    }
    return _error(send(api, "POST", f"/patients/{pid}/caregiver-invitations", patient, invite), 403)


def test_a_spanish_reader_gets_refusals_from_every_area_in_spanish_with_the_values_filled_in(
    api: Client, make_user: UserFactory
) -> None:
    maria = reader(api, make_user, "María González", "es")
    billing = make_user(Role.BILLING, name="Bill Ing")

    plan = _plan_on_a_voided_statement(api, maria, billing)
    assert plan["code"] == "conflict"  # codes stay English: the web app keys on them
    assert (
        plan["message"]
        == "solo un estado de cuenta abierto puede tener un plan de pagos (este está: anulado)"
    )

    thread = _error(
        api.http.get(f"/patients/{maria.patient_id}/threads/t-nothing-here", headers=maria.auth), 404
    )
    assert thread["message"] == "no se encontró la conversación"

    refill = _refill_of_an_unknown_medication(api, maria)
    assert refill["message"] == "algunos datos no son válidos"
    assert refill["fields"] == {"medication_id": "no es una medicina de su lista"}

    adult_at = config.clinic().minors.adult_at_age
    caregiver = _teen_invites_a_caregiver(api, maria)
    assert caregiver["message"] == (
        f"para pacientes menores de {adult_at} años, el padre, la madre o el tutor decide quién es cuidador"
    )


def test_an_english_reader_gets_the_same_refusals_in_english(api: Client, make_user: UserFactory) -> None:
    alex = reader(api, make_user, "Alex Adams", "en")
    billing = make_user(Role.BILLING, name="Bill Ing")

    plan = _plan_on_a_voided_statement(api, alex, billing)
    assert plan["message"] == "only open statements can go on a payment plan; this one is void"

    thread = _error(
        api.http.get(f"/patients/{alex.patient_id}/threads/t-nothing-here", headers=alex.auth), 404
    )
    assert thread["message"] == "conversation not found"

    refill = _refill_of_an_unknown_medication(api, alex)
    assert refill["fields"] == {"medication_id": "not a medication on this patient's list"}

    adult_at = config.clinic().minors.adult_at_age
    caregiver = _teen_invites_a_caregiver(api, alex)
    assert (
        caregiver["message"]
        == f"a parent or guardian arranges caregiver access for patients under {adult_at}"
    )


def test_a_record_entry_not_found_is_named_in_the_language_on_screen_for_staff(
    api: Client, make_user: UserFactory
) -> None:
    patient = make_user(Role.PATIENT, name="Paula Patient")
    nurse = make_user(Role.CLINICIAN, name="Nora Nurse")
    url = f"/patients/{patient.patient_id}/allergies/al-nothing-here"
    body = {"substance": "Penicillin", "severity": "mild", "status": "active", "version": 1}

    spanish = send(api, "PUT", url, nurse, body, **{"Accept-Language": "es-US"})
    english = send(api, "PUT", url, nurse, body, **{"Accept-Language": "en-US"})

    assert _error(spanish, 404)["message"] == "no se encontró la alergia"
    assert _error(english, 404)["message"] == "allergy not found"


def test_a_card_processor_that_does_not_answer_is_explained_in_spanish(
    api: Client, make_user: UserFactory
) -> None:
    # A 503 a patient can act on (nothing was charged, try again) is worded for them too.
    maria = reader(api, make_user, "María González", "es")
    base = f"/patients/{maria.patient_id}"
    statement_id = make_statement(str(maria.patient_id))
    body = {"statement_id": statement_id, "amount_cents": 5_000, "currency": "USD"}
    started = send(
        api, "POST", f"{base}/payments", maria, body, **{"Idempotency-Key": f"api-{uuid.uuid4().hex}"}
    )
    assert started.status_code == 201, started.body
    secret = started.json_body["next_action"]["client_secret"]
    confirm = {"client_secret": secret, "card_token": "sim_tok_unreachable"}

    refused = send(
        api, "POST", f"{base}/payments/{started.json_body['id']}/simulated-confirmation", maria, confirm
    )

    assert _error(refused, 503)["message"] == (
        "el procesador de tarjetas no respondió; no se cobró nada, inténtelo de nuevo"
    )
    assert refused.headers["Retry-After"]
