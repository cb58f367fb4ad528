"""Importing results from a FHIR R4 Bundle or a CSV file, with the same validation as typed-in results.

All or nothing: every result in the file is parsed and validated first, then all are written in one
transaction (so at most MAX_RESULTS per file). Release rules apply exactly as for a single result.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from chalicelib.core import audit, dynamo, errors
from chalicelib.core.access import Caller
from chalicelib.core.observability import logger
from chalicelib.results import service as result_service
from chalicelib.results import store as result_store
from chalicelib.results.models import ImportOut, Result, ResultImportIn, ResultIn

MAX_RESULTS = 30  # 3 items each (result, pointer, audit event) within one 100-item transaction
LOINC = "http://loinc.org"

_FLAGS = {
    "N": "normal",
    "L": "low",
    "H": "high",
    "LL": "critical_low",
    "HH": "critical_high",
    "A": "abnormal",
}
_REPORT_CATEGORIES = {
    "LAB": "lab",
    "CH": "lab",
    "HM": "lab",
    "MB": "microbiology",
    "RAD": "imaging",
    "PAT": "pathology",
    "SP": "pathology",
    "CP": "pathology",
    "GE": "genetic",
}
CSV_COLUMNS = (
    "collected_at",
    "category",
    "test_name",
    "test_code",
    "component_code",
    "component_name",
    "value",
    "value_text",
    "unit",
    "ref_low",
    "ref_high",
    "flag",
)


def import_results(
    caller: Caller, patient_id: str, body: ResultImportIn, *, now: datetime | None = None
) -> ImportOut:
    now = now or dynamo.utcnow()
    if body.format == "fhir":
        drafts = [(f"results.{i}", draft) for i, draft in enumerate(_from_fhir(body.content, body.category))]
        source = "fhir_import"
    else:
        drafts = _from_csv(body.content, body.category)
        source = "csv_import"
    if not drafts:
        raise errors.BadRequest("the file holds no results", fields={"content": "no results found"})
    if len(drafts) > MAX_RESULTS:
        raise errors.BadRequest(
            "too many results in one file", fields={"content": f"at most {MAX_RESULTS} results per import"}
        )
    validated = _validate(drafts)
    prefs = result_store.get_preferences(patient_id)
    built: list[Result] = []
    for (label, _draft), result_in in zip(drafts, validated, strict=True):
        built.append(
            result_service.build_result(
                caller, patient_id, result_in, prefs=prefs, now=now, source=source, field_prefix=f"{label}."
            )
        )
    entries: list[dict[str, Any]] = []
    events = []
    for result in built:
        entries += result_store.create_entries(result, now=now)
        events.append(audit.event(caller, patient_id=patient_id, action="result.import", target=result.id))
    result_store.apply(entries, audit=events, conflict="these results were already imported")
    logger.info(
        "results imported", extra={"patient_id": patient_id, "count": len(built), "format": body.format}
    )
    result_service.notify_released([r for r in built if r.is_visible(now)], now=now)
    return ImportOut(imported=len(built), result_ids=[r.id for r in built])


def _validate(drafts: list[tuple[str, dict[str, Any]]]) -> list[ResultIn]:
    """The same model as a typed-in result; errors name the result (or CSV row) and the field."""
    problems: dict[str, str] = {}
    validated: list[ResultIn] = []
    for label, draft in drafts:
        rows: list[int] | None = draft.pop("_rows", None)
        try:
            validated.append(ResultIn.model_validate(draft))
        except ValidationError as exc:
            for error in exc.errors(include_input=False, include_url=False):
                loc = [str(part) for part in error["loc"]]
                if rows is not None and len(loc) >= 2 and loc[0] == "components":
                    where = f"row {rows[int(loc[1])]}" + "".join(f".{part}" for part in loc[2:])
                elif rows is not None:
                    where = f"row {rows[0]}." + ".".join(loc)
                else:
                    where = ".".join([label, *loc])
                problems.setdefault(where, str(error["msg"]).removeprefix("Value error, "))
    if problems:
        raise errors.BadRequest(
            "some results in the file are not valid; nothing was imported", fields=problems
        )
    return validated


# --- FHIR ----------------------------------------------------------------------------------------


def _from_fhir(content: str, default_category: str | None) -> list[dict[str, Any]]:
    """DiagnosticReports become results (their Observations the components); lone Observations too."""
    from fhir.resources.R4B.bundle import Bundle  # heavy: only imports pay for it

    try:
        bundle = Bundle.model_validate_json(content)
    except (ValidationError, ValueError) as exc:
        where = "content"
        if isinstance(exc, ValidationError) and exc.errors():
            where = "content." + ".".join(str(p) for p in exc.errors()[0]["loc"])
        raise errors.BadRequest(
            "this is not a valid FHIR R4 Bundle", fields={where: "not valid FHIR"}
        ) from None
    resources: list[tuple[str | None, dict[str, Any]]] = [
        (entry.fullUrl, entry.resource.model_dump(mode="json", by_alias=True, exclude_none=True))
        for entry in bundle.entry or []
        if entry.resource is not None
    ]
    observations: dict[str, dict[str, Any]] = {}
    for full_url, resource in resources:
        if resource.get("resourceType") == "Observation":
            for key in filter(
                None, (full_url, f"Observation/{resource.get('id')}" if resource.get("id") else None)
            ):
                observations[key] = resource
    used: set[int] = set()
    drafts = []
    for _url, resource in resources:
        if resource.get("resourceType") != "DiagnosticReport":
            continue
        members = [
            observations[ref["reference"]]
            for ref in resource.get("result", [])
            if ref.get("reference") in observations
        ]
        used.update(id(m) for m in members)
        drafts.append(
            {
                "category": _report_category(resource) or default_category or "lab",
                "name": _text_of(resource.get("code", {})) or "Result",
                "code": _loinc_of(resource.get("code", {})),
                "collected_at": _effective(resource) or _effective(members[0] if members else {}),
                "performer": next(
                    (p.get("display") for p in resource.get("performer", []) if p.get("display")), None
                ),
                "comment": resource.get("conclusion"),
                "components": [_component(m) for m in members],
            }
        )
    for _url, resource in resources:
        if resource.get("resourceType") == "Observation" and id(resource) not in used:
            drafts.append(
                {
                    "category": default_category or "lab",
                    "name": _text_of(resource.get("code", {})) or "Result",
                    "code": _loinc_of(resource.get("code", {})),
                    "collected_at": _effective(resource),
                    "components": [_component(resource)],
                }
            )
    return [{k: v for k, v in draft.items() if v is not None} for draft in drafts]


def _text_of(concept: dict[str, Any]) -> str | None:
    return concept.get("text") or next(
        (c.get("display") for c in concept.get("coding", []) if c.get("display")), None
    )


def _loinc_of(concept: dict[str, Any]) -> str | None:
    return next((c.get("code") for c in concept.get("coding", []) if c.get("system") == LOINC), None)


def _effective(resource: dict[str, Any]) -> str | None:
    return resource.get("effectiveDateTime") or (resource.get("effectivePeriod") or {}).get("start")


def _report_category(report: dict[str, Any]) -> str | None:
    for concept in report.get("category", []):
        for coding in concept.get("coding", []):
            if coding.get("code") in _REPORT_CATEGORIES:
                return _REPORT_CATEGORIES[coding["code"]]
    return None


def _component(observation: dict[str, Any]) -> dict[str, Any]:
    component: dict[str, Any] = {
        "code": _loinc_of(observation.get("code", {})),
        "name": _text_of(observation.get("code", {})) or "Value",
    }
    quantity = observation.get("valueQuantity")
    if quantity is not None:
        component["value"] = quantity.get("value")
        component["unit"] = quantity.get("unit") or quantity.get("code")
    elif "valueString" in observation:
        component["value_text"] = observation["valueString"]
    elif "valueCodeableConcept" in observation:
        component["value_text"] = _text_of(observation["valueCodeableConcept"])
    reference = (observation.get("referenceRange") or [{}])[0]
    if "low" in reference:
        component["ref_low"] = reference["low"].get("value")
    if "high" in reference:
        component["ref_high"] = reference["high"].get("value")
    if reference.get("text"):
        component["ref_text"] = reference["text"]
    for concept in observation.get("interpretation", []):
        for coding in concept.get("coding", []):
            if coding.get("code") in _FLAGS:
                component["flag"] = _FLAGS[coding["code"]]
    return {k: v for k, v in component.items() if v is not None}


# --- CSV -----------------------------------------------------------------------------------------


def _from_csv(content: str, default_category: str | None) -> list[tuple[str, dict[str, Any]]]:
    """One row per component; rows with the same time, test and category form one result.

    Anything the csv module cannot read (a cell over its size limit, an unclosed quote) and any row with
    more cells than the header is a 400 naming the row, never a crash.
    """
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as exc:
        raise _unreadable(1, exc) from None
    header = [name.strip() for name in fieldnames]
    missing = {"collected_at", "test_name", "component_name"} - set(header)
    unknown = set(header) - set(CSV_COLUMNS)
    if missing or unknown:
        detail = f"missing columns: {', '.join(sorted(missing))}" if missing else ""
        detail += ("; " if detail and unknown else "") + (
            f"unknown columns: {', '.join(sorted(unknown))}" if unknown else ""
        )
        raise errors.BadRequest("the CSV header is not as expected", fields={"content": detail})
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    too_long: dict[str, str] = {}
    for number, raw in _rows(reader):
        if None in raw:  # DictReader files the cells beyond the header under None
            too_long[f"row {number}"] = f"has more cells than the header's {len(header)} columns"
            continue
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        key = (row["collected_at"], row.get("category", ""), row["test_name"], row.get("test_code", ""))
        draft = groups.setdefault(
            key,
            {
                "category": row.get("category") or default_category or "lab",
                "name": row["test_name"],
                "code": row.get("test_code") or None,
                "collected_at": row["collected_at"],
                "components": [],
                "_rows": [],
            },
        )
        component = {
            "code": row.get("component_code") or None,
            "name": row["component_name"],
            "value": row.get("value") or None,
            "value_text": row.get("value_text") or None,
            "unit": row.get("unit") or None,
            "ref_low": row.get("ref_low") or None,
            "ref_high": row.get("ref_high") or None,
            "flag": row.get("flag") or None,
        }
        draft["components"].append({k: v for k, v in component.items() if v is not None})
        draft["_rows"].append(number)
    if too_long:
        raise errors.BadRequest("some rows of the file are not valid; nothing was imported", fields=too_long)
    return [(f"row {draft['_rows'][0]}", _without_none(draft)) for draft in groups.values()]


def _rows(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str | None, Any]]]:
    """The data rows with their numbers (row 1 is the header); a row the csv module cannot read is a 400."""
    number = 1
    while True:
        number += 1
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _unreadable(number, exc) from None
        yield number, raw


def _unreadable(number: int, exc: csv.Error) -> errors.BadRequest:
    # csv's messages name the problem, never the data ("field larger than field limit (131072)").
    return errors.BadRequest(
        "the file could not be read as CSV; nothing was imported",
        fields={f"row {number}": f"not valid CSV: {exc}"},
    )


def _without_none(draft: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in draft.items() if v is not None}


def csv_template(rows: Iterable[dict[str, str]] = ()) -> str:
    """The expected CSV layout (used by tests and shown to staff)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS))
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
