"""The access log reads in the patient's language: every action label and role word has Spanish, kept next
to the English in patients/models.py, so a new action cannot reach a Spanish reader in English."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.identity import Role
from chalicelib.patients.models import (
    ACTION_LABELS,
    ACTION_LABELS_ES,
    ROLE_WORDS,
    ROLE_WORDS_ES,
    AccessLogEntryOut,
    action_label,
    who_of,
)


def _event(action: str, role: Role, relationship: str | None = None) -> AuditEvent:
    return AuditEvent.model_validate(
        {
            "id": "evt-1",
            "patient_id": "p-1",
            "at": datetime(2026, 3, 2, 15, 0, tzinfo=UTC),
            "actor_sub": "sub-1",
            "actor_name": "Sam Lee",
            "actor_role": role,
            "actor_relationship": relationship,
            "action": action,
            "target": "profile",
            "request_id": "req-1",
        }
    )


def test_every_action_label_has_spanish_and_nothing_else_does() -> None:
    assert sorted(set(ACTION_LABELS) - set(ACTION_LABELS_ES)) == []
    assert sorted(set(ACTION_LABELS_ES) - set(ACTION_LABELS)) == []
    # a label pasted across untranslated
    assert [a for a, label in ACTION_LABELS_ES.items() if label == ACTION_LABELS[a]] == []


def test_every_role_has_a_spanish_word() -> None:
    assert set(ROLE_WORDS) == set(ROLE_WORDS_ES) == set(Role)


def test_an_entry_reads_in_the_readers_language() -> None:
    desk = _event("record.read", Role.FRONT_DESK)
    spanish = AccessLogEntryOut.from_event(desk, locale="es")
    english = AccessLogEntryOut.from_event(desk)
    assert (spanish.who, spanish.action_label) == ("Sam Lee, recepción", "Vio el resumen de salud")
    assert (english.who, english.action_label) == ("Sam Lee, front desk", "Viewed health summary")

    carer = _event("appointment.list", Role.PATIENT, "caregiver")
    assert who_of(carer, "es") == "Sam Lee, como cuidador"
    assert who_of(carer, "en") == "Sam Lee, as caregiver"


def test_an_action_with_no_label_shows_its_code_in_either_language() -> None:
    assert action_label("something.new", "es") == "something.new"
    assert action_label("something.new", "en") == "something.new"
