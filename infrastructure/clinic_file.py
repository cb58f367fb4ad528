"""Load a clinic file for deployment, failing with one line per bad field before any CDK code runs."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from chalicelib.core.clinic import ClinicConfig


class ClinicFileError(Exception):
    """A clinic file that is missing or invalid; the message names the file and each bad field."""


def describe(path: Path, error: ValidationError) -> str:
    lines = [f"{path}: this clinic configuration is not valid:"]
    for problem in error.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in problem["loc"])
        message = problem["msg"].removeprefix("Value error, ")
        # Checks across fields (duplicate pool names, certificate without domain) name it in the message.
        lines.append(f"  - {field}: {message}" if field else f"  - {message}")
    return "\n".join(lines)


def load(path: Path) -> ClinicConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        known = ", ".join(sorted(p.stem for p in path.parent.glob("*.json"))) or "none"
        raise ClinicFileError(f"{path}: no such clinic file (clinics available: {known})") from None
    try:
        return ClinicConfig.model_validate_json(text)
    except ValidationError as error:
        raise ClinicFileError(describe(path, error)) from None
