"""eCheck-in review routes: staff see the answers beside the record and accept them into it, once."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.appointments_samples import CHECKIN_BODY, visit_in_two_days
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
