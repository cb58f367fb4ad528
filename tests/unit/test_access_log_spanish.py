"""The access log reads in the patient's language: every action label and role word has Spanish, kept next
to the English in patients/models.py, so a new action cannot reach a Spanish reader in English."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

from chalicelib.appointments.models import VisitStep
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
from chalicelib.records.models import RECORD_KINDS


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


# Calls whose `action` goes to the staff-only admin audit, never to a patient's access log.
_ADMIN_AUDIT = {"AdminAuditEvent", "entry"}
_ACTION = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")


def _recorded_actions() -> dict[str, str]:
    """Action -> where, for every `...(action="x.y")` in chalicelib (and `action = "x.y" if ... else "x.z"`
    kept in a variable first). Actions built with an f-string are not seen."""
    found: dict[str, str] = {}
    root = Path(__file__).resolve().parents[2]
    for path in sorted((root / "chalicelib").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            values: list[ast.expr] = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name not in _ADMIN_AUDIT:
                    values = [k.value for k in node.keywords if k.arg == "action"]
            elif isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["action"]:
                values = [node.value]
            for value in values:
                for part in [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]:
                    text = part.value if isinstance(part, ast.Constant) else None
                    if isinstance(text, str) and _ACTION.match(text):
                        found[text] = f"{path.relative_to(root)}:{part.lineno}"
    return found


def test_every_action_a_service_records_has_a_label() -> None:
    recorded = _recorded_actions()
    assert {"record.read", "card.save", "document.mark_confidential", "video.wait"} <= set(recorded)
    assert {a: where for a, where in recorded.items() if a not in ACTION_LABELS} == {}


def test_every_action_built_from_parts_has_a_label() -> None:
    # The f-string actions the scan above cannot see, spelled out from the values they are built from.
    built = [
        *(f"{kind}.{verb}" for kind in RECORD_KINDS for verb in ("mark_confidential", "unmark_confidential")),
        *(f"visit.{step}" for step in get_args(VisitStep)),
        *(f"visit.undo_{step}" for step in get_args(VisitStep)),
        *(f"checkin_review.{decision}" for decision in ("accept", "decline")),
        *(f"payment.{status}" for status in ("declined", "canceled", "failed")),
        *(f"appointment.{verb}" for verb in ("approve", "decline")),
    ]
    assert [action for action in built if action not in ACTION_LABELS] == []
