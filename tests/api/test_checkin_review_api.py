"""eCheck-in review routes: staff see the answers beside the record and accept them into it, once."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.appointments_samples import CHECKIN_BODY, PENICILLIN_ITEM, checked_in_visit, visit_in_two_days
from tests.api.billing_samples import coverage_body
from tests.api.conftest import User, UserFactory


def _send(api: Client, method: str, path: str, who: User, body: Any = None) -> Any:
    payload = json.dumps(body).encode() if body is not None else b""
    return api.http.request(
        method, path, headers={**who.auth, "Content-Type": "application/json"}, body=payload
    )


def test_front_desk_accepts_a_new_allergy_and_card_from_the_checkin(
    api: Client, make_user: UserFactory
) -> None:
    patient = make_user(Role.PATIENT, name="Cora Checkin")
    desk = make_user(Role.FRONT_DESK, name="Desk Person")
    doctor = make_user(Role.CLINICIAN, name="Doc Person")
    pid = patient.patient_id
    assert pid is not None
    on_file = _send(api, "POST", f"/patients/{pid}/insurance", patient, coverage_body())
    assert on_file.status_code == 201, on_file.body
    visit = visit_in_two_days(pid)
    review_path = f"/staff/patients/{pid}/checkins/{visit.id}"
    assert api.http.get(review_path, headers=desk.auth).status_code == 404  # nothing sent yet

    sent = _send(api, "PUT", f"/patients/{pid}/appointments/{visit.id}/checkin", patient, CHECKIN_BODY)
    assert sent.status_code == 200, sent.body
    assert sent.json_body["on_file"]["insurance"]["member_id"] == coverage_body()["member_id"]

    review = api.http.get(review_path, headers=desk.auth)
    assert review.status_code == 200, review.body
    items = {i["kind"]: i for i in review.json_body["items"]}
    assert (items["allergy"]["submitted"], items["allergy"]["on_file"], items["allergy"]["change"]) == (
        "Penicillin (Hives)",
        None,
        "new",
    )
    assert items["insurance"]["submitted"] == "Acme Health, member ACM123456"
    assert items["insurance"]["change"] == "changed"
    assert api.http.get(review_path, headers=patient.auth).status_code == 403

    allergy = f"{review_path}/items/{items['allergy']['id']}"
    first = _send(api, "POST", allergy, desk, {"decision": "accept"})
    second = _send(api, "POST", allergy, doctor, {"decision": "accept"})
    assert (first.status_code, second.status_code) == (200, 200)
    accepted = next(i for i in second.json_body["items"] if i["kind"] == "allergy")
    assert (accepted["state"], accepted["decided_by"]) == ("accepted", "Desk Person")
    chart = api.http.get(f"/patients/{pid}/summary", headers=doctor.auth).json_body
    penicillin = [a for a in chart["allergies"] if a["substance"] == "Penicillin"]
    assert len(penicillin) == 1
    assert penicillin[0]["source"]["appointment_id"] == visit.id
    assert penicillin[0]["source"]["accepted_by"] == "Desk Person"
    declined = _send(api, "POST", allergy, desk, {"decision": "decline"})
    assert (declined.status_code, declined.json_body["error"]["code"]) == (409, "conflict")

    card = _send(api, "POST", f"{review_path}/items/{items['insurance']['id']}", desk, {"decision": "accept"})
    assert card.status_code == 200, card.body
    [primary] = api.http.get(f"/patients/{pid}/insurance", headers=patient.auth).json_body["items"]
    assert (primary["payer_name"], primary["member_id"], primary["verification"]) == (
        "Acme Health",
        "ACM123456",
        "unverified",
    )
    assert primary["source"]["accepted_by"] == "Desk Person"


def test_bad_decisions_and_unknown_items(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT)
    desk = make_user(Role.FRONT_DESK)
    billing = make_user(Role.BILLING)
    pid = patient.patient_id
    assert pid is not None
    visit = visit_in_two_days(pid)
    sent = _send(api, "PUT", f"/patients/{pid}/appointments/{visit.id}/checkin", patient, CHECKIN_BODY)
    assert sent.status_code == 200, sent.body
    base = f"/staff/patients/{pid}/checkins/{visit.id}/items"

    bad = _send(api, "POST", f"{base}/allergy-0123456789abcdef", desk, {"decision": "maybe"})
    assert (bad.status_code, list(bad.json_body["error"]["fields"])) == (400, ["decision"])
    unknown = _send(api, "POST", f"{base}/allergy-0123456789abcdef", desk, {"decision": "accept"})
    assert unknown.status_code == 404
    assert (
        _send(api, "POST", f"{base}/allergy-0123456789abcdef", billing, {"decision": "accept"}).status_code
        == 403
    )
    other = api.http.get(f"/staff/patients/{pid}/checkins/apt-nosuch", headers=desk.auth)
    assert other.status_code == 404


def _search(api: Client, who: User, q: str) -> list[str]:
    response = _send(api, "POST", "/staff/patients/search", who, {"q": q})
    assert response.status_code == 200, response.body
    return [item["id"] for item in response.json_body["items"]]


def test_new_phone_and_email_from_the_checkin_are_accepted_into_the_profile_and_directory(
    api: Client, make_user: UserFactory
) -> None:
    patient = make_user(Role.PATIENT, name="Dana Contact")
    desk = make_user(Role.FRONT_DESK, name="Desk Contact")
    pid = patient.patient_id
    assert pid is not None
    visit = visit_in_two_days(pid)
    email = f"dana-{pid}@example.org"
    bad = _send(
        api,
        "PUT",
        f"/patients/{pid}/appointments/{visit.id}/checkin",
        patient,
        {**CHECKIN_BODY, "phone": "12", "email": "not-an-email"},
    )
    assert (bad.status_code, sorted(bad.json_body["error"]["fields"])) == (400, ["email", "phone"])
    sent = _send(
        api,
        "PUT",
        f"/patients/{pid}/appointments/{visit.id}/checkin",
        patient,
        {**CHECKIN_BODY, "phone": "(217) 555-0199", "email": email},
    )
    assert sent.status_code == 200, sent.body
    review_path = f"/staff/patients/{pid}/checkins/{visit.id}"
    items = {i["kind"]: i for i in api.http.get(review_path, headers=desk.auth).json_body["items"]}
    contact = items["contact"]
    assert (contact["change"], contact["action"]) == ("changed", "update")
    assert contact["submitted"] == f"phone +12175550199, email {email}"
    assert contact["on_file"] == "phone +12175550142"
    assert _search(api, desk, "217-555-0199") == []

    accepted = _send(api, "POST", f"{review_path}/items/{contact['id']}", desk, {"decision": "accept"})
    assert accepted.status_code == 200, accepted.body
    profile = api.http.get(f"/patients/{pid}/profile", headers=patient.auth).json_body
    assert (profile["phone"], profile["email"], profile["version"]) == ("+12175550199", email, 2)
    assert profile["contact_source"]["appointment_id"] == visit.id
    assert profile["contact_source"]["accepted_by"] == "Desk Contact"
    assert _search(api, desk, "217-555-0199") == [pid]
    assert _search(api, desk, email.upper()) == [pid]
    assert pid not in _search(api, desk, "217-555-0142")  # the old number's entry is gone
    log = api.http.get(f"/patients/{pid}/access-log", headers=patient.auth).json_body["items"]
    assert "Updated profile" in [e["action_label"] for e in log]

    # Now the same as the record: nothing left to accept for a second eCheck-in of the same details.
    again = visit_in_two_days(pid)
    resent = _send(
        api,
        "PUT",
        f"/patients/{pid}/appointments/{again.id}/checkin",
        patient,
        {**CHECKIN_BODY, "phone": "+1 217 555 0199", "email": email},
    )
    assert resent.status_code == 200, resent.body
    kinds = [
        i["kind"]
        for i in api.http.get(f"/staff/patients/{pid}/checkins/{again.id}", headers=desk.auth).json_body[
            "items"
        ]
    ]
    assert "contact" not in kinds


def test_a_medication_left_off_the_checkin_is_offered_as_stopped(api: Client, make_user: UserFactory) -> None:
    from tests.api.records_samples import RECORD_BODIES

    patient = make_user(Role.PATIENT, name="Milo Meds")
    desk = make_user(Role.FRONT_DESK, name="Desk Meds")
    doctor = make_user(Role.CLINICIAN, name="Doc Meds")
    pid = patient.patient_id
    assert pid is not None
    kept = {**RECORD_BODIES["medication"], "name": "Metformin 500 mg tablet", "dose": "500 mg"}
    for body in (RECORD_BODIES["medication"], kept):
        created = _send(api, "POST", f"/patients/{pid}/medications", doctor, body)
        assert created.status_code == 201, created.body
    visit = visit_in_two_days(pid)
    body = {
        **CHECKIN_BODY,
        "no_medications": False,
        "medications": [{"name": "Metformin 500 mg tablet", "dose": "500 mg"}],
    }
    sent = _send(api, "PUT", f"/patients/{pid}/appointments/{visit.id}/checkin", patient, body)
    assert sent.status_code == 200, sent.body
    review_path = f"/staff/patients/{pid}/checkins/{visit.id}"
    meds = [
        i
        for i in api.http.get(review_path, headers=desk.auth).json_body["items"]
        if i["kind"] == "medication"
    ]
    [stopped] = [i for i in meds if i["action"] == "stop"]
    assert (stopped["change"], stopped["on_file"]) == ("stopped", "Lisinopril 10 mg tablet (10 mg)")
    assert [i["change"] for i in meds if i is not stopped] == ["same"]

    accepted = _send(api, "POST", f"{review_path}/items/{stopped['id']}", desk, {"decision": "accept"})
    assert accepted.status_code == 200, accepted.body
    again = _send(api, "POST", f"{review_path}/items/{stopped['id']}", doctor, {"decision": "accept"})
    assert again.status_code == 200, again.body
    listed = api.http.get(f"/patients/{pid}/summary", headers=doctor.auth).json_body["medications"]
    by_name = {m["name"]: m for m in listed}
    assert by_name["Lisinopril 10 mg tablet"]["status"] == "stopped"
    assert by_name["Lisinopril 10 mg tablet"]["source"]["appointment_id"] == visit.id
    assert by_name["Lisinopril 10 mg tablet"]["end_date"] is not None
    assert by_name["Metformin 500 mg tablet"]["status"] == "active"


def test_an_accept_that_read_before_another_accept_committed_is_answered_with_that_decision(
    api: Client, make_user: UserFactory, monkeypatch: Any
) -> None:
    from chalicelib.appointments import store as appointment_store

    patient = make_user(Role.PATIENT)
    desk = make_user(Role.FRONT_DESK, name="Desk First")
    doctor = make_user(Role.CLINICIAN, name="Doc Second")
    pid = patient.patient_id
    assert pid is not None
    visit = checked_in_visit(pid)
    path = f"/staff/patients/{pid}/checkins/{visit.id}/items/{PENICILLIN_ITEM}"
    assert _send(api, "POST", path, desk, {"decision": "accept"}).status_code == 200

    # The doctor's request read the decisions just before the desk's accept committed, and the record
    # just after: the allergy is on file now, and the item was decided, not "nothing to accept".
    reads = appointment_store.review_decisions
    stale = iter([True])
    monkeypatch.setattr(
        appointment_store,
        "review_decisions",
        lambda p, a: [] if next(stale, False) else reads(p, a),
    )
    second = _send(api, "POST", path, doctor, {"decision": "accept"})
    assert second.status_code == 200, second.body
    item = next(i for i in second.json_body["items"] if i["id"] == PENICILLIN_ITEM)
    assert (item["state"], item["decided_by"]) == ("accepted", "Desk First")
    declined = _send(api, "POST", path, doctor, {"decision": "decline"})
    assert declined.json_body["error"]["message"] == "this item was already accepted by Desk First"
