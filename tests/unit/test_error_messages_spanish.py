"""Every refusal a patient may read while booking, changing, checking in to or joining a visit comes back
in their language: each message those services raise (a PortalError with an English literal or template,
and its field messages) has a Spanish entry in core/i18n.py. Read from the source, so a new message cannot
skip its translation. Add a module to PATIENT_FACING once its messages have Spanish."""

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
]
ERROR_NAMES = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, errors.PortalError) and value is not errors.InternalError
}


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """NAME = "literal" at module level, for messages kept in a constant (TAKEN, CHANGED)."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
    return found


def _raised_messages() -> dict[str, str]:
    """English message -> where it is raised, for every `raise SomeError("...")` of PATIENT_FACING."""
    found: dict[str, str] = {}
    for path in (ROOT / name for name in PATIENT_FACING):
        tree = ast.parse(path.read_text(), str(path))
        constants = _module_strings(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args):
                continue
            func = node.exc.func
            if (getattr(func, "attr", None) or getattr(func, "id", None)) not in ERROR_NAMES:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            first = node.exc.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found[first.value] = where
            elif isinstance(first, ast.Name) and first.id in constants:
                found[constants[first.id]] = where
            if isinstance(first, ast.JoinedStr):
                found[f"<an f-string: raise a template with params=... instead> {ast.unparse(first)}"] = where
            for keyword in node.exc.keywords:
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


def test_every_message_a_service_raises_has_spanish() -> None:
    missing = {m: where for m, where in _raised_messages().items() if m not in i18n.SPANISH}
    assert missing == {}


def test_templates_keep_their_placeholders_in_spanish() -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    templates = [m for m in _raised_messages() if fields(m)]
    assert templates, "the scan should find templated messages"
    assert {m: i18n.SPANISH[m] for m in templates if fields(i18n.SPANISH.get(m, m)) != fields(m)} == {}
