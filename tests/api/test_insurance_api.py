"""Insurance routes: a patient adds coverage, front desk verifies it, edits need a new check."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from chalicelib.core.identity import Role
from tests.api.billing_samples import coverage_body
from tests.api.conftest import User, UserFactory


def _send(api: Client, method: str, path: str, who: User, body: Any = None) -> Any:
    payload = json.dumps(body).encode() if body is not None else b""
    return api.http.request(
        method, path, headers={**who.auth, "Content-Type": "application/json"}, body=payload
    )


def test_insurance_on_file(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Ina Sured")
    desk = make_user(Role.FRONT_DESK, name="Desk Person")
    base = f"/patients/{patient.patient_id}/insurance"
    added = _send(api, "POST", base, patient, coverage_body())
    assert added.status_code == 201, added.body
    item = added.json_body
    assert item["verification"] == "unverified"
    assert (
        _send(
            api, "POST", f"{base}/{item['id']}/verify", patient, {"result": "verified", "version": 1}
        ).status_code
        == 403
    )
    verified = _send(api, "POST", f"{base}/{item['id']}/verify", desk, {"result": "verified", "version": 1})
    assert (verified.status_code, verified.json_body["verified_by_name"]) == (200, "Desk Person")
    stale = _send(api, "PUT", f"{base}/{item['id']}", patient, {**coverage_body(), "version": 1})
    assert (stale.status_code, stale.json_body["error"]["code"]) == (409, "conflict")
    edited = _send(
        api, "PUT", f"{base}/{item['id']}", patient, {**coverage_body(), "member_id": "NEW1", "version": 2}
    )
    assert (edited.json_body["member_id"], edited.json_body["verification"]) == ("NEW1", "unverified")
    bad = _send(api, "POST", base, patient, {**coverage_body(), "member_id": "!!"})
    assert (bad.status_code, list(bad.json_body["error"]["fields"])) == (400, ["member_id"])
    listed = api.http.get(base, headers=desk.auth).json_body["items"]
    assert [i["id"] for i in listed] == [item["id"]]
    assert _send(api, "POST", f"{base}/{item['id']}/remove", patient).json_body["status"] == "removed"
    assert api.http.get(base, headers=patient.auth).json_body["items"] == []
