"""Files of existing patients: a CSV with the documented header, or a FHIR R4 Bundle of Patient resources.

Each row becomes the front desk's registration form (RegistrationIn), validated exactly as the form is, or
a reason in words that names the row by the file's own numbering: the CSV line where the row starts (the
header is line 1), or the Bundle entry's number (from 1). A chunk of a file keeps that numbering through
`first_row`. What is wrong with the whole file (no header, unknown columns, not a Bundle) is a 400.

Reasons may quote the value that is wrong ("birth date 1890-13-01 is not a date"): they go back to the
person importing the file, who has it anyway, and never into a log.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Final

from pydantic import ValidationError

from chalicelib.core import errors
from chalicelib.enrolment.models import RegistrationIn

# The CSV header (docs/patient-import.md): column -> required. Order in the file is free.
CSV_COLUMNS: Final[dict[str, bool]] = {
    "mrn": False,
    "given_name": True,
    "family_name": True,
    "birth_date": True,
    "sex": True,
    "email": False,
    "phone": False,
    "address_line1": False,
    "address_line2": False,
    "city": False,
    "state": False,
    "postal_code": False,
}
_ADDRESS_COLUMNS: Final = {
    "address_line1": "line1",
    "address_line2": "line2",
    "city": "city",
    "state": "state",
    "postal_code": "postal_code",
}
_SEXES: Final = {"f": "female", "m": "male", "o": "other", "u": "unknown"}
_LABELS: Final = {
    "legal_name.given": "given name",
    "legal_name.family": "family name",
    "birth_date": "birth date",
    "sex": "sex",
    "email": "email",
    "phone": "phone",
    "mrn": "MRN",
    "address.line1": "address line 1",
    "address.line2": "address line 2",
    "address.city": "city",
    "address.state": "state",
    "address.postal_code": "postal code",
    "address.country": "country",
}
_MR: Final = "MR"  # HL7 v2-0203 identifier type "Medical record number"
_US: Final = {"US", "USA", "UNITED STATES", "UNITED STATES OF AMERICA"}
_SHOWN: Final = 40  # longer values are cut in a reason
_HIDDEN: Final = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@dataclass(frozen=True)
class Row:
    """One row of a file: its number in the file and the registration it makes, or why it makes none."""

    number: int
    registration: RegistrationIn | None = None
    problem: str | None = None


def rows_of(content: str, file_format: str, first_row: int | None = None) -> list[Row]:
    if file_format == "fhir":
        return read_fhir(content, first_row or 1)
    return read_csv(content, first_row or 2)


# --- CSV -----------------------------------------------------------------------------------------------


def _column(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def read_csv(content: str, first_row: int = 2) -> list[Row]:
    """Rows of a CSV file (or of a chunk: its header line, then rows from the file's line `first_row`)."""
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff"), newline=""))
    try:
        header = [_column(name) for name in next(reader, [])]
    except csv.Error as exc:
        raise _unreadable(1, exc) from None
    _check_header(header)
    rows: list[Row] = []
    ended = reader.line_num  # the line the previous record ended on; a record starts on the next one
    while True:
        start = first_row + ended - 1  # the chunk's line 2 is the file's line `first_row`
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise _unreadable(start, exc) from None
        ended = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            rows.append(Row(start, problem=f"has {len(cells)} cells; the header has {len(header)} columns"))
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        rows.append(_validated(start, _draft_from_csv(values)))


def _check_header(header: list[str]) -> None:
    if not any(header):
        raise errors.BadRequest(
            "the file has no header line", fields={"content": "the first line must name the columns"}
        )
    missing = sorted(name for name, required in CSV_COLUMNS.items() if required and name not in header)
    unknown = sorted({name for name in header if name not in CSV_COLUMNS})
    repeated = sorted({name for name in header if header.count(name) > 1})
    problems = []
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)}")
    if repeated:
        problems.append(f"columns named twice: {', '.join(repeated)}")
    if problems:
        raise errors.BadRequest("the CSV header is not as expected", fields={"content": "; ".join(problems)})


def _draft_from_csv(values: dict[str, str]) -> dict[str, Any]:
    sex = values.get("sex", "")
    draft: dict[str, Any] = {
        "legal_name": {"given": values.get("given_name", ""), "family": values.get("family_name", "")},
        "birth_date": values.get("birth_date", ""),
        "sex": _SEXES.get(sex.lower(), sex.lower()),
        "email": values.get("email") or None,
        "phone": values.get("phone") or None,
        "mrn": values.get("mrn") or None,
    }
    address = {field: values[column] for column, field in _ADDRESS_COLUMNS.items() if values.get(column)}
    if address:
        draft["address"] = address
    return _without_empty(draft)


def _unreadable(line: int, exc: csv.Error) -> errors.BadRequest:
    # csv's messages name the problem, never the data ("field larger than field limit (131072)").
    return errors.BadRequest(
        "the file could not be read as CSV; nothing was imported",
        fields={f"line {line}": f"not valid CSV: {exc}"},
    )


# --- FHIR ----------------------------------------------------------------------------------------------


def read_fhir(content: str, first_row: int = 1) -> list[Row]:
    """Rows of a Bundle (or a chunk of one): each entry's Patient, checked with the FHIR R4 models."""
    # Heavy: only imports pay for them.
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.patient import Patient

    not_a_bundle = errors.BadRequest(
        "this is not a FHIR R4 Bundle", fields={"content": "expected a Bundle of Patient resources (JSON)"}
    )
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):
        raise not_a_bundle from None
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise not_a_bundle
    entries = data.get("entry") or []
    if not isinstance(entries, list):
        raise not_a_bundle
    try:  # the envelope; each entry is checked on its own below, so one bad Patient rejects one row
        Bundle.model_validate({**data, "entry": []})
    except ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"] if part != "__root__") or "Bundle"
        raise errors.BadRequest(
            "this is not a valid FHIR R4 Bundle", fields={"content": f"{where}: {_shown(first['msg'], 120)}"}
        ) from None
    except Exception:  # the FHIR models raise KeyError and others on what they cannot read
        raise not_a_bundle from None
    rows: list[Row] = []
    for number, entry in enumerate(entries, start=first_row):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if not isinstance(resource, dict):
            rows.append(Row(number, problem="the entry holds no resource"))
            continue
        if kind != "Patient":
            rows.append(Row(number, problem=f"a {_shown(kind) or 'resource without a type'}, not a Patient"))
            continue
        try:
            patient = Patient.model_validate(resource)
        except ValidationError as exc:
            first = exc.errors(include_input=False, include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"] if part != "__root__") or "Patient"
            rows.append(
                Row(number, problem=f"not a valid FHIR Patient: {where}: {_shown(first['msg'], 120)}")
            )
            continue
        except Exception:  # the FHIR models raise KeyError and others on what they cannot read
            rows.append(Row(number, problem="not a valid FHIR Patient"))
            continue
        plain = patient.model_dump(mode="json", by_alias=True, exclude_none=True)
        rows.append(_validated(number, _draft_from_patient(plain)))
    return rows


def _draft_from_patient(patient: dict[str, Any]) -> dict[str, Any]:
    names = patient.get("name") or [{}]
    name = next((n for n in names if n.get("use") == "official"), names[0])
    telecom = patient.get("telecom") or []
    addresses = patient.get("address") or []
    address = next((a for a in addresses if a.get("use") == "home"), addresses[0] if addresses else None)
    draft: dict[str, Any] = {
        "legal_name": {"given": " ".join(name.get("given") or []), "family": name.get("family") or ""},
        "birth_date": patient.get("birthDate", ""),
        "sex": patient.get("gender", ""),
        "phone": next((t.get("value") for t in telecom if t.get("system") == "phone"), None),
        "email": next((t.get("value") for t in telecom if t.get("system") == "email"), None),
        "mrn": _mrn(patient.get("identifier") or []),
    }
    if address:
        lines = address.get("line") or []
        country = str(address.get("country") or "US")
        draft["address"] = {
            "line1": lines[0] if lines else "",
            "line2": ", ".join(lines[1:]) or None,
            "city": address.get("city", ""),
            "state": address.get("state", ""),
            "postal_code": address.get("postalCode", ""),
            **({} if country.strip().upper() in _US else {"country": country}),
        }
    return _without_empty(draft)


def _mrn(identifiers: list[dict[str, Any]]) -> str | None:
    """The identifier typed MR (HL7 v2-0203): the clinic's medical record number."""
    for identifier in identifiers:
        codes = [c.get("code") for c in (identifier.get("type") or {}).get("coding") or []]
        if _MR in codes and identifier.get("value"):
            return str(identifier["value"])
    return None


# --- one row, as the front desk's form -------------------------------------------------------------------


def _without_empty(draft: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in draft.items():
        if isinstance(value, dict):
            value = _without_empty(value)
        if value not in (None, "", {}):
            out[key] = value
    return out


def _validated(number: int, draft: dict[str, Any]) -> Row:
    try:
        return Row(number, registration=RegistrationIn.model_validate(draft))
    except ValidationError as exc:
        return Row(number, problem=reason(exc, draft))


def reason(exc: ValidationError, draft: dict[str, Any]) -> str:
    """Every problem of the row, in words: 'birth date 1890-13-01 is not a date (YYYY-MM-DD)'."""
    said: list[str] = []
    seen: set[str] = set()
    for error in exc.errors(include_url=False):
        path = ".".join(str(part) for part in error["loc"])
        if path in seen:
            continue
        seen.add(path)
        label = _LABELS.get(path, path.replace("_", " ").replace(".", " "))
        value = _shown(_at(draft, error["loc"]))
        said.append(_problem(label, value, error["type"], str(error["msg"])))
    return "; ".join(said)


def _problem(label: str, value: str, kind: str, message: str) -> str:
    if kind == "missing" or not value:
        return f"{label} is missing"
    if kind.startswith("date_") or kind == "date_type":
        return f"{label} {value} is not a date (YYYY-MM-DD)"
    if kind == "literal_error":
        choices = message.removeprefix("Input should be ").replace("'", "")
        return f"{label} {value} is not one of {choices}"
    if kind == "string_pattern_mismatch" and label == "MRN":
        return f"MRN {value} may hold only letters, digits and dashes"
    text = message.removeprefix("Value error, ").removeprefix("value is not a valid email address: ")
    text = text.rstrip(".")
    return f"{label} {value}: {text[:1].lower()}{text[1:]}"


def _at(draft: dict[str, Any], loc: tuple[int | str, ...]) -> Any:
    value: Any = draft
    for part in loc:
        if not isinstance(value, dict):
            return None
        value = value.get(str(part))
    return value


def _shown(value: Any, limit: int = _SHOWN) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    # Quoted back to the person importing: nothing that could hide or garble the rest of the line.
    text = _HIDDEN.sub("?", " ".join(str(value).split()))
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
