"""GET /staff/patients: who may search, the 400s, the result shape, and the audit trail it leaves."""

from __future__ import annotations

import uuid

import pytest
from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import UserFactory

LISTED_FIELDS = {"id", "display_name", "birth_date", "age", "phone_last_four"}


def _unique_family() -> str:
    # Letters only (a digit would make the query an id lookup); the API tests share one table.
    return "Zz" + uuid.uuid4().hex[:10].translate(str.maketrans("0123456789", "ghijklmnop"))


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.FRONT_DESK, Role.BILLING, Role.ADMIN])
def test_staff_find_a_patient_by_family_name(api: Client, make_user: UserFactory, role: Role) -> None:
    family = _unique_family()
    patient = make_user(Role.PATIENT, name=f"Robin {family}")
    staff = make_user(role, name="Staff Member")

    response = api.http.get(f"/staff/patients?q={family[:6].upper()}", headers=staff.auth)

    assert response.status_code == 200, response.body
    body = response.json_body
    assert body["matched_by"] == "name"
    assert [item["id"] for item in body["items"]] == [patient.patient_id]
    (item,) = body["items"]
    assert set(item) == LISTED_FIELDS  # nothing beyond the listed fields
    assert item["display_name"] == f"{family}, Robin"
    assert item["birth_date"] == "1980-05-17"
    assert item["phone_last_four"] == "0142"


def test_a_patient_may_not_search(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Pat Searcher")
    response = api.http.get("/staff/patients?q=Searcher", headers=patient.auth)
    assert response.status_code == 403
    assert response.json_body["error"]["code"] == "forbidden"


def test_no_token_is_401(api: Client) -> None:
    assert api.http.get("/staff/patients?q=Smith").status_code == 401


@pytest.mark.parametrize("query", ["", "q=", "q=a", "q=%20x%20", "q=" + "a" * 81, "q=Smith&extra=1"])
def test_q_is_required_and_2_to_80_characters(api: Client, make_user: UserFactory, query: str) -> None:
    desk = make_user(Role.FRONT_DESK)
    response = api.http.get(f"/staff/patients?{query}" if query else "/staff/patients", headers=desk.auth)
    assert response.status_code == 400, response.body
    error = response.json_body["error"]
    assert error["code"] == "bad_request"
    assert error["fields"]


def test_impossible_date_names_the_field(api: Client, make_user: UserFactory) -> None:
    desk = make_user(Role.FRONT_DESK)
    response = api.http.get("/staff/patients?q=13/45/1990", headers=desk.auth)
    assert response.status_code == 400
    assert set(response.json_body["error"]["fields"]) == {"q"}


def test_birth_date_and_id_searches(api: Client, make_user: UserFactory) -> None:
    family = _unique_family()
    patient = make_user(Role.PATIENT, name=f"Kim {family}")
    desk = make_user(Role.FRONT_DESK)

    by_date = api.http.get("/staff/patients?q=05/17/1980", headers=desk.auth).json_body
    assert by_date["matched_by"] == "birth_date"
    assert patient.patient_id in {item["id"] for item in by_date["items"]}

    by_id = api.http.get(f"/staff/patients?q={patient.patient_id}", headers=desk.auth).json_body
    assert by_id["matched_by"] == "id"
    assert [item["id"] for item in by_id["items"]] == [patient.patient_id]


def test_the_patient_sees_who_found_them(api: Client, make_user: UserFactory) -> None:
    family = _unique_family()
    patient = make_user(Role.PATIENT, name=f"Lee {family}")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")

    api.http.get(f"/staff/patients?q={family}", headers=desk.auth)

    log = api.http.get(f"/patients/{patient.patient_id}/access-log", headers=patient.auth).json_body
    entry = next(e for e in log["items"] if e["action"] == "patient.search")
    assert (entry["actor_name"], entry["actor_role"], entry["action_label"]) == (
        "Sam Desk",
        "front_desk",
        "Appeared in a staff search",
    )


def test_a_bad_cursor_is_400(api: Client, make_user: UserFactory) -> None:
    desk = make_user(Role.FRONT_DESK)
    response = api.http.get("/staff/patients?q=Smith&cursor=not-a-cursor", headers=desk.auth)
    assert response.status_code == 400
    assert "cursor" in response.json_body["error"]["fields"]
