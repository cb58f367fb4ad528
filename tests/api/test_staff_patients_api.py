"""POST /staff/patients/search: who may search, the 400s, the result shape, and the audit trail it leaves."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.conftest import UserFactory

LISTED_FIELDS = {"id", "display_name", "birth_date", "age", "phone_last_four"}


def search(api: Client, auth: dict[str, str], body: dict[str, Any]) -> Any:
    """The search with its words in the body: a name or birth date never goes into a URL."""
    headers = {**auth, "Content-Type": "application/json"}
    return api.http.post("/staff/patients/search", headers=headers, body=json.dumps(body))


def _unique_family() -> str:
    # Letters only (a digit would make the query an id lookup); the API tests share one table.
    return "Zz" + uuid.uuid4().hex[:10].translate(str.maketrans("0123456789", "ghijklmnop"))


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.FRONT_DESK, Role.BILLING, Role.ADMIN])
def test_staff_find_a_patient_by_family_name(api: Client, make_user: UserFactory, role: Role) -> None:
    family = _unique_family()
    patient = make_user(Role.PATIENT, name=f"Robin {family}")
    staff = make_user(role, name="Staff Member")

    response = search(api, staff.auth, {"q": f"{family[:6].upper()}"})

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
    response = search(api, patient.auth, {"q": "Searcher"})
    assert response.status_code == 403
    assert response.json_body["error"]["code"] == "forbidden"


def test_no_token_is_401(api: Client) -> None:
    assert search(api, {}, {"q": "Smith"}).status_code == 401


@pytest.mark.parametrize(
    "body", [{}, {"q": ""}, {"q": "a"}, {"q": " x "}, {"q": "a" * 81}, {"q": "Smith", "extra": 1}]
)
def test_q_is_required_and_2_to_80_characters(
    api: Client, make_user: UserFactory, body: dict[str, Any]
) -> None:
    desk = make_user(Role.FRONT_DESK)
    response = search(api, desk.auth, body)
    assert response.status_code == 400, response.body
    error = response.json_body["error"]
    assert error["code"] == "bad_request"
    assert error["fields"]


def test_impossible_date_names_the_field(api: Client, make_user: UserFactory) -> None:
    desk = make_user(Role.FRONT_DESK)
    response = search(api, desk.auth, {"q": "13/45/1990"})
    assert response.status_code == 400
    assert set(response.json_body["error"]["fields"]) == {"q"}


def test_birth_date_and_id_searches(api: Client, make_user: UserFactory) -> None:
    family = _unique_family()
    patient = make_user(Role.PATIENT, name=f"Kim {family}")
    desk = make_user(Role.FRONT_DESK)

    by_date = search(api, desk.auth, {"q": "05/17/1980"}).json_body
    assert by_date["matched_by"] == "birth_date"
    assert patient.patient_id in {item["id"] for item in by_date["items"]}

    by_id = search(api, desk.auth, {"q": f"{patient.patient_id}"}).json_body
    assert by_id["matched_by"] == "id"
    assert [item["id"] for item in by_id["items"]] == [patient.patient_id]


def test_the_patient_sees_who_found_them(api: Client, make_user: UserFactory) -> None:
    family = _unique_family()
    patient = make_user(Role.PATIENT, name=f"Lee {family}")
    desk = make_user(Role.FRONT_DESK, name="Sam Desk")

    search(api, desk.auth, {"q": f"{family}"})

    log = api.http.get(f"/patients/{patient.patient_id}/access-log", headers=patient.auth).json_body
    entry = next(e for e in log["items"] if e["action"] == "patient.search")
    assert (entry["actor_name"], entry["actor_role"], entry["action_label"]) == (
        "Sam Desk",
        "front_desk",
        "Appeared in a staff search",
    )


def test_a_bad_cursor_is_400(api: Client, make_user: UserFactory) -> None:
    desk = make_user(Role.FRONT_DESK)
    response = search(api, desk.auth, {"q": "Smith", "cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert "cursor" in response.json_body["error"]["fields"]


def test_the_search_words_are_never_in_a_url(api: Client, make_user: UserFactory) -> None:
    """The old GET with ?q= is gone: CloudFront logs every URL, and those logs are not for PHI."""
    desk = make_user(Role.FRONT_DESK)

    response = api.http.get("/staff/patients?q=Smith", headers=desk.auth)

    assert response.status_code in (403, 404, 405)
