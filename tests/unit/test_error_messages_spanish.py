"""Every refusal a patient or caregiver may read comes back in their language: each message the modules
they reach make (a PortalError with an English literal or template, its field messages, and their
validators' ValueErrors) has a Spanish entry in core/i18n.py. Read from the source, so a new message cannot
skip its translation. Staff-only modules (staff_admin, workqueue, importers, the staff side of scheduling,
refunds, provider webhooks, patient search) are left out: staff read English."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from chalicelib.core import errors, i18n

ROOT = Path(__file__).resolve().parents[2]
PATIENT_FACING = [
    "chalicelib/appointments/service.py",
    "chalicelib/appointments/clinic_time.py",
    "chalicelib/appointments/checkin.py",
    "chalicelib/appointments/waitlist.py",
    "chalicelib/appointments/video.py",
    "chalicelib/appointments/models.py",
    # Every other module a patient or caregiver reaches
    "chalicelib/core/access.py",
    "chalicelib/core/auth.py",
    "chalicelib/core/dynamo.py",
    "chalicelib/core/identity.py",
    "chalicelib/core/idempotency.py",
    "chalicelib/core/models.py",
    "chalicelib/core/rate_limit.py",
    "chalicelib/core/users.py",
    "chalicelib/accounts/service.py",
    "chalicelib/accounts/store.py",
    "chalicelib/enrolment/activation.py",
    "chalicelib/enrolment/caregivers.py",
    "chalicelib/enrolment/models.py",
    "chalicelib/enrolment/registration.py",
    "chalicelib/enrolment/requests.py",
    "chalicelib/patients/models.py",
    "chalicelib/patients/profiles.py",
    "chalicelib/patients/store.py",
    "chalicelib/proxies/models.py",
    "chalicelib/proxies/service.py",
    "chalicelib/proxies/store.py",
    "chalicelib/messaging/attachments.py",
    "chalicelib/messaging/models.py",
    "chalicelib/messaging/service.py",
    "chalicelib/messaging/store.py",
    "chalicelib/records/confidential.py",
    "chalicelib/records/export.py",
    "chalicelib/records/models.py",
    "chalicelib/records/printable.py",
    "chalicelib/records/service.py",
    "chalicelib/records/store.py",
    "chalicelib/results/service.py",
    "chalicelib/results/store.py",
    "chalicelib/documents/models.py",
    "chalicelib/documents/service.py",
    "chalicelib/documents/store.py",
    "chalicelib/refills/models.py",
    "chalicelib/refills/service.py",
    "chalicelib/refills/store.py",
    "chalicelib/pharmacies/models.py",
    "chalicelib/pharmacies/service.py",
    "chalicelib/pharmacies/store.py",
    "chalicelib/billing/cards.py",
    "chalicelib/billing/insurance.py",
    "chalicelib/billing/models.py",
    "chalicelib/billing/payments.py",
    "chalicelib/billing/plans.py",
    "chalicelib/billing/simulated.py",
    "chalicelib/billing/statements.py",
    "chalicelib/billing/store/statements.py",
    "chalicelib/home/service.py",
]
ERROR_NAMES = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, errors.PortalError) and value is not errors.InternalError
} | {"FieldMessage"}


VALIDATOR_ERRORS = {"ValueError", "InvalidValue"}


def _module_strings(tree: ast.Module) -> dict[str, list[str]]:
    """NAME = "literal" (or a dict of literals) at module level, for messages kept in a constant."""
    found: dict[str, list[str]] = {}
    for node in tree.body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            texts = [value.value]
        elif isinstance(value, ast.Dict):
            texts = [
                v.value for v in value.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
            ]
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                found[target.id] = texts
    return found


def _name(func: ast.expr) -> str | None:
    return getattr(func, "attr", None) or getattr(func, "id", None)


def _field_helpers(tree: ast.Module) -> dict[str, int]:
    """Functions that make a refusal with a field message they are given (`def refuse(why): return
    BadRequest(..., fields={where: why})`): name -> the position of that message among their arguments."""
    helpers: dict[str, int] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        names = [a.arg for a in node.args.args]
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call) and _name(inner.func) in ERROR_NAMES:
                for keyword in inner.keywords:
                    if keyword.arg == "fields" and isinstance(keyword.value, ast.Dict):
                        for value in keyword.value.values:
                            if isinstance(value, ast.Name) and value.id in names:
                                helpers[node.name] = names.index(value.id)
    return helpers


def _messages_of(first: ast.expr, constants: dict[str, list[str]]) -> list[str]:
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return [first.value]
    if isinstance(first, ast.Name):
        return constants.get(first.id, [])
    if isinstance(first, ast.Subscript) and isinstance(first.value, ast.Name):
        return constants.get(first.value.id, [])
    if isinstance(first, ast.Call) and _name(first.func) == "FieldMessage" and first.args:
        return _messages_of(first.args[0], constants)
    if isinstance(first, ast.BoolOp):  # provider_text or "our fallback"
        return [m for value in first.values for m in _messages_of(value, constants)]
    if isinstance(first, ast.IfExp):
        return _messages_of(first.body, constants) + _messages_of(first.orelse, constants)
    if isinstance(first, ast.JoinedStr):
        return [f"<an f-string: raise a template with params=... instead> {ast.unparse(first)}"]
    return []


def _raised_messages() -> dict[str, str]:
    """English message -> where it is made, for every `SomeError("...")` of PATIENT_FACING (raised or kept
    to raise later), its field messages, and the `raise ValueError("...")` of its validators (which come
    back as field messages)."""
    found: dict[str, str] = {}
    for path in (ROOT / name for name in PATIENT_FACING):
        tree = ast.parse(path.read_text(), str(path))
        constants = _module_strings(tree)
        helpers = _field_helpers(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in helpers:
                position = helpers[str(_name(node.func))]
                if len(node.args) > position:
                    for message in _messages_of(node.args[position], constants):
                        found[message] = f"{path.relative_to(ROOT)}:{node.lineno}"
            raised = node.exc if isinstance(node, ast.Raise) else None
            if isinstance(raised, ast.Call) and raised.args and _name(raised.func) in VALIDATOR_ERRORS:
                for message in _messages_of(raised.args[0], constants):
                    found[message] = f"{path.relative_to(ROOT)}:{raised.lineno}"
            if not (isinstance(node, ast.Call) and node.args):
                continue
            if _name(node.func) not in ERROR_NAMES:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            for message in _messages_of(node.args[0], constants):
                found[message] = where
            for keyword in node.keywords:
                if keyword.arg == "fields" and isinstance(keyword.value, ast.Dict):
                    for value in keyword.value.values:
                        if isinstance(value, ast.Constant) and isinstance(value.value, str):
                            found[value.value] = where
    return found


def test_the_scan_finds_the_booking_refusals() -> None:
    messages = _raised_messages()
    assert "this time has just been taken; please choose another" in messages  # via the TAKEN constant
    assert "online changes closed on {when}; please call the clinic at {phone}" in messages
    assert "please agree to continue" in messages  # a field message
    assert "allergy not found" in messages  # a dict of messages (records/store.py NOT_FOUND)
    assert "the card was not saved; please try again" in messages  # a fallback after `or`
    assert "at most {most} pharmacies can be saved; remove one first" in messages  # a template with params
    assert "must be between {first} and {last}" in messages  # a validator's InvalidValue
    assert "use at least one symbol" in messages  # a validator's ValueError
    assert "not one of this patient's saved pharmacies" in messages  # via a helper: _invalid(field, why)
    assert not [m for m in messages if m.startswith("<an f-string")]


def test_a_field_message_with_values_and_the_password_rules_come_back_in_spanish() -> None:
    from pydantic import BaseModel, ValidationError

    from chalicelib.core.access import _localized, field_errors
    from chalicelib.core.identity import rules_sentence
    from chalicelib.core.models import ScheduleDate

    class Form(BaseModel):
        day: ScheduleDate

    try:
        Form.model_validate({"day": "1950-01-01"})
    except ValidationError as exc:
        refusal = errors.BadRequest("some fields are not valid", fields=field_errors(exc))
    assert refusal.fields == {"day": "must be between 2000-01-01 and 2100-12-31"}
    assert _localized(refusal, "es").fields == {"day": "debe ser entre el 2000-01-01 y el 2100-12-31"}

    rules = rules_sentence(["an uppercase letter", "a number", "a symbol"])
    assert rules == "an uppercase letter, a number and a symbol"
    refusal = errors.BadRequest("a new password needs {rules}", params={"rules": rules})
    assert (
        _localized(refusal, "es").message
        == "la contraseña nueva necesita una letra mayúscula, un número y un símbolo"
    )


def test_every_message_a_service_raises_has_spanish() -> None:
    missing = {m: where for m, where in _raised_messages().items() if m not in i18n.SPANISH}
    assert missing == {}


def test_templates_keep_their_placeholders_in_spanish() -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    templates = [m for m in _raised_messages() if fields(m)]
    assert templates, "the scan should find templated messages"
    assert {m: i18n.SPANISH[m] for m in templates if fields(i18n.SPANISH.get(m, m)) != fields(m)} == {}


def test_pydantic_messages_with_a_limit_come_back_in_spanish_with_the_limit() -> None:
    from typing import Annotated

    from pydantic import BaseModel, Field, ValidationError

    from chalicelib.core.access import PYDANTIC_TEMPLATES, _localized, field_errors

    assert {t: i18n.SPANISH.get(t) for t in PYDANTIC_TEMPLATES.values() if t not in i18n.SPANISH} == {}

    class Form(BaseModel):
        note: Annotated[str, Field(max_length=5)]
        count: Annotated[int, Field(ge=1)]

    try:
        Form.model_validate({"note": "too long", "count": 0})
    except ValidationError as exc:
        refusal = errors.BadRequest("some fields are not valid", fields=field_errors(exc))
    # English reads exactly as pydantic words it.
    assert refusal.fields == {
        "note": "String should have at most 5 characters",
        "count": "Input should be greater than or equal to 1",
    }
    assert _localized(refusal, "es").fields == {
        "note": "Escriba como máximo 5 caracteres",
        "count": "Escriba un número mayor o igual a 1",
    }
