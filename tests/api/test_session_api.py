"""Signing out ends the session at the API too, not only in the browser that signed out."""

from __future__ import annotations

import time

from chalice.test import Client

from chalicelib.local.bootstrap import LocalResources
from tests.api.conftest import UserFactory, sign_in


def test_sign_out_ends_every_token_of_the_user_at_once(
    api: Client, make_user: UserFactory, local_cloud: LocalResources
) -> None:
    patient = make_user()
    other_device = {"Authorization": f"Bearer {sign_in(local_cloud, patient.username)['AccessToken']}"}
    bystander = make_user()
    assert api.http.get("/me", headers=other_device).status_code == 200
    time.sleep(1.1)  # tokens carry whole seconds; those from the very second of a sign-out still pass

    assert api.http.post("/session/sign-out", headers=patient.auth).status_code == 204

    for headers in (patient.auth, other_device):  # a stolen or forgotten token is dead too
        response = api.http.get(f"/patients/{patient.patient_id}/profile", headers=headers)
        assert response.status_code == 401
        assert response.json_body["error"]["code"] == "unauthorized"
        assert "sign in again" in response.json_body["error"]["message"]
    assert api.http.get("/me", headers=bystander.auth).status_code == 200  # nobody else is signed out

    fresh = {"Authorization": f"Bearer {sign_in(local_cloud, patient.username)['AccessToken']}"}
    assert api.http.get("/me", headers=fresh).status_code == 200


def test_signing_out_twice_is_harmless(api: Client, make_user: UserFactory) -> None:
    patient = make_user()
    time.sleep(1.1)
    assert api.http.post("/session/sign-out", headers=patient.auth).status_code == 204
    # The second call comes with a token the first one ended: refused, and nothing else changes.
    assert api.http.post("/session/sign-out", headers=patient.auth).status_code == 401


def test_sign_out_needs_a_valid_token(api: Client) -> None:
    assert api.http.post("/session/sign-out").status_code == 401
