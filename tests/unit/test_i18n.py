"""Patient emails in the patient's language: Spanish for a patient who saved Spanish, English otherwise;
never PHI in either. Every English template the code passes to a patient email has a Spanish entry."""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.core import config, i18n, notify
from chalicelib.messaging import email as messaging_email
from chalicelib.patients import profiles as patient_profiles
from tests.unit.conftest import PatientFactory

ROOT = Path(__file__).resolve().parents[2]


def sent_emails() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_DEFAULT_REGION"]].sent_messages)


@pytest.fixture(autouse=True)
def _verified_sender() -> None:
    boto3.client("ses", region_name=os.environ["AWS_DEFAULT_REGION"]).verify_email_identity(
        EmailAddress=config.clinic().mail_from
    )


def test_maria_who_saved_spanish_gets_her_result_email_in_spanish(make_patient: PatientFactory) -> None:
    maria = make_patient(
        legal_name={"given": "María", "family": "González"},
        email="maria@patients.example",
        preferred_language="es",
    )

    assert patient_profiles.notify_patient(maria.id, notify.new_result_notice)

    [email] = sent_emails()
    assert email.destinations["ToAddresses"] == ["maria@patients.example"]
    assert email.subject == f"Hay un resultado nuevo de {config.clinic().name}"
    first_line = "Hay un resultado nuevo en su portal del paciente. Inicie sesión para verlo:"
    assert email.body.startswith(first_line)
    assert "Para proteger su privacidad" in email.body
    assert f"Llámenos al {config.clinic().phone_display}" in email.body
    for english in ("Sign in", "result is available", "privacy", "Questions?"):
        assert english not in email.body
    for phi in ("María", "González", "1957"):
        assert phi not in f"{email.subject} {email.body}"


def test_english_and_unsupported_preferences_get_english(make_patient: PatientFactory) -> None:
    alex = make_patient(email="alex@patients.example")  # saved English, the default
    linh = make_patient(email="linh@patients.example", preferred_language="vi")  # not offered yet

    for patient in (alex, linh):
        assert patient_profiles.notify_patient(patient.id, messaging_email.new_message_notice)

    subjects = [email.subject for email in sent_emails()]
    assert subjects == [f"You have a new message from {config.clinic().name}"] * 2
    assert all("Sign in to read it:" in email.body for email in sent_emails())


def test_a_notice_built_in_advance_is_sent_as_it_is(make_patient: PatientFactory) -> None:
    maria = make_patient(email="maria@patients.example", preferred_language="es")

    assert patient_profiles.notify_patient(maria.id, notify.new_result_notice())

    [email] = sent_emails()
    assert email.subject.startswith("A new result is available")


def _email_templates() -> set[str]:
    """The English templates passed to notify.patient_notice anywhere in chalicelib (first two arguments
    and sign_in_to), read from the source so a new email cannot skip its translation."""
    found: set[str] = set()
    for path in (ROOT / "chalicelib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            if "patient_notice" not in (getattr(node.func, "attr", None), getattr(node.func, "id", None)):
                continue
            args = [*node.args[:2], *(k.value for k in node.keywords if k.arg == "sign_in_to")]
            for arg in args:
                where = f"{path}:{node.lineno}: pass an English template, not a built string"
                assert isinstance(arg, ast.Constant), where
                assert isinstance(arg.value, str), where
                found.add(arg.value)
    return found


def test_every_patient_email_template_has_spanish() -> None:
    templates = _email_templates()
    assert "A new result is available from {clinic}" in templates
    missing = sorted(t for t in templates if t not in i18n.SPANISH)
    assert missing == []


def test_spanish_keeps_every_placeholder() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert {k: v for k, v in i18n.SPANISH.items() if fields(k) != fields(v)} == {}


def test_text_falls_back_to_english() -> None:
    assert i18n.text("Not in any catalog {x}", "es", x=1) == "Not in any catalog 1"
    assert i18n.locale_of("es") == "es"
    assert i18n.locale_of("zh") == "en"
    assert i18n.locale_of(None) == "en"
