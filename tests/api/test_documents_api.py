"""Documents through the API, with the browser's real form POST to the (moto) S3 presigned URL."""

from __future__ import annotations

import json
from typing import Any

import requests
from chalice.test import Client

from chalicelib.core import aws
from chalicelib.core.config import settings
from chalicelib.core.identity import Role
from tests.api.conftest import User, UserFactory
from tests.api.records_samples import PDF


def _send(api: Client, method: str, url: str, user: User, body: Any = None) -> Any:
    raw = json.dumps(body).encode() if body is not None else b""
    return api.http.request(method, url, headers={**user.auth, "Content-Type": "application/json"}, body=raw)


def _objects(prefix: str) -> list[str]:
    listed = aws.s3_client().list_objects_v2(Bucket=settings().documents_bucket, Prefix=prefix)
    return [o["Key"] for o in listed.get("Contents", [])]


def _post_file(ticket: dict[str, Any], data: bytes, content_type: str) -> requests.Response:
    upload = ticket["upload"]
    return requests.post(
        upload["url"], data=upload["fields"], files={"file": ("x", data, content_type)}, timeout=10
    )


def test_a_patient_uploads_an_insurance_card_and_downloads_it(api: Client, make_user: UserFactory) -> None:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    pid = patient.patient_id
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

    ticket = _send(
        api,
        "POST",
        f"/patients/{pid}/documents",
        patient,
        {
            "filename": "C:\\scans\\Alice card front.png",
            "content_type": "image/png",
            "size": len(png),
            "category": "insurance_card_front",
        },
    )
    assert ticket.status_code == 201, ticket.body
    body = ticket.json_body
    assert body["document"]["status"] == "pending"
    assert "Alice" not in body["upload"]["fields"]["key"]
    assert _post_file(body, png, "image/png").status_code in (200, 201, 204)

    done = _send(api, "POST", f"/patients/{pid}/documents/{body['document']['id']}/finalize", patient)
    assert done.status_code == 200, done.body
    assert (done.json_body["status"], done.json_body["filename"]) == ("available", "Alice card front.png")

    listed = api.http.get(f"/patients/{pid}/documents", headers=patient.auth).json_body["items"]
    assert [d["id"] for d in listed] == [body["document"]["id"]]
    link = api.http.get(f"/patients/{pid}/documents/{body['document']['id']}", headers=patient.auth).json_body
    downloaded = requests.get(link["url"], timeout=10)
    assert downloaded.content == png
    assert 'filename="Alice card front.png"' in downloaded.headers.get("Content-Disposition", "")


def test_wrong_type_too_big_never_uploaded_or_lying_bytes_are_clear_4xx_and_leave_nothing(
    api: Client, make_user: UserFactory
) -> None:
    patient = make_user(Role.PATIENT, name="Alice Alpha")
    pid = patient.patient_id
    url = f"/patients/{pid}/documents"

    wrong_type = _send(
        api,
        "POST",
        url,
        patient,
        {"filename": "x.exe", "content_type": "application/x-msdownload", "size": 10},
    )
    too_big = _send(
        api,
        "POST",
        url,
        patient,
        {"filename": "x.pdf", "content_type": "application/pdf", "size": 11 * 1024 * 1024},
    )
    assert (wrong_type.status_code, too_big.status_code) == (400, 400)
    assert (
        wrong_type.json_body["error"]["fields"]["content_type"]
        == "only PDF, JPEG and PNG files can be uploaded"
    )
    assert too_big.json_body["error"]["fields"]["size"] == "files can be at most 10 MB"

    never = _send(
        api, "POST", url, patient, {"filename": "x.pdf", "content_type": "application/pdf", "size": len(PDF)}
    )
    missing = _send(api, "POST", f"{url}/{never.json_body['document']['id']}/finalize", patient)
    assert missing.status_code == 409
    assert "no file was uploaded" in missing.json_body["error"]["message"]

    fake = b"MZ\x90\x00" + b"\x00" * 60  # an executable declared as a PDF
    liar = _send(
        api, "POST", url, patient, {"filename": "x.pdf", "content_type": "application/pdf", "size": len(fake)}
    )
    assert _post_file(liar.json_body, fake, "application/pdf").status_code in (200, 201, 204)
    refused = _send(api, "POST", f"{url}/{liar.json_body['document']['id']}/finalize", patient)
    assert refused.status_code == 415
    assert refused.json_body["error"]["code"] == "unsupported_media_type"

    assert _objects(f"patients/{pid}/") == []  # no orphan objects
    assert api.http.get(url, headers=patient.auth).json_body["items"] == []
    for document_id in (never.json_body["document"]["id"], liar.json_body["document"]["id"]):
        assert api.http.get(f"{url}/{document_id}", headers=patient.auth).status_code == 404
        assert (
            _send(api, "POST", f"{url}/{document_id}/finalize", patient).status_code == 404
        )  # item gone too
    assert (
        _send(
            api,
            "POST",
            "/patients/p-nobody/documents",
            patient,
            {"filename": "x.pdf", "content_type": "application/pdf", "size": 5},
        ).status_code
        == 404
    )
