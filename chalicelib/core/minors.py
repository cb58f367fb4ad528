"""Teenagers' confidentiality: what a parent's or guardian's grant shows of a minor's record.

The ages and areas come from the clinic file's `minors` section (they vary by state). A caregiver whose
grant names them parent or guardian, on a patient whose age today in the clinic's time zone lies in
[teen_from_age, adult_at_age), reaches only the teen-safe areas (the guard asks `teen_permits`) and never
an item marked confidential or of a confidential category (services that list, show, export, count or
notify ask `hides_confidential` once, then `is_confidential` per item). The teen's own account, and any
other caregiver, are untouched.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from chalicelib.core import config, dynamo, users
from chalicelib.core.identity import AREAS, Area, Role

if TYPE_CHECKING:
    from chalicelib.core.access import Caller
    from chalicelib.core.clinic_settings import MinorsSettings

# What a parent is told, without saying what or how much.
HIDDEN_NOTICE = "Some information in this record is private to the patient and is not shown."


def settings() -> MinorsSettings:
    return config.clinic().minors


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def clinic_today() -> date:
    """Today in the clinic's time zone, from the one clock tests control (dynamo.utcnow)."""
    return dynamo.utcnow().astimezone(ZoneInfo(config.clinic().time_zone)).date()


def birth_date_of(patient_id: str) -> date | None:
    born = users.profile_field(patient_id, "birth_date")
    return date.fromisoformat(str(born)) if born else None


def is_teen(patient_id: str) -> bool:
    return is_teen_born(birth_date_of(patient_id))


def is_teen_born(born: date | None) -> bool:
    if born is None:
        return False
    rules = settings()
    return rules.teen_from_age <= age_on(born, clinic_today()) < rules.adult_at_age


def parents_view(granted: frozenset[Area] | None) -> tuple[list[Area], bool]:
    """What a teenager's parent may use, for the web to offer: the teen-safe areas the grant covers, and
    whether the health record is the immunization list alone."""
    safe = settings().teen_safe_areas
    immunizations_only = "immunizations" in safe and "health_record" not in safe
    areas: set[Area] = {area for area in AREAS if area in safe}
    if immunizations_only:
        areas.add("health_record")
    if granted is not None:
        areas &= granted
    return sorted(areas), immunizations_only and "health_record" in areas


def teen_rules_apply(caller: Caller, patient_id: str) -> bool:
    """Whether this caller reaches this patient as a parent or guardian of a teenager (one GetItem)."""
    return (
        caller.role is Role.PATIENT
        and caller.acts_for.get(patient_id) == "caregiver"
        and patient_id in caller.parental
        and is_teen(patient_id)
    )


def teen_permits(action: str | None) -> bool:
    """Whether a route's area is teen-safe. "immunizations" opens the record summary, which then shows the
    immunization list only (records/service.py)."""
    from chalicelib.core.access import AREA_OF

    area, _ = AREA_OF.get(action or "", ("full", "act"))
    safe = settings().teen_safe_areas
    if area == "any":
        return True
    if area in ("full", "self"):
        return False
    if area == "health_record" and "health_record" not in safe:
        return action == "record:read" and "immunizations" in safe
    return area in safe


def hides_confidential(caller: Caller, patient_id: str) -> bool:
    """Whether items marked confidential must be left out of what this caller is served."""
    return teen_rules_apply(caller, patient_id)


def is_confidential(marked: bool, category: str | None = None) -> bool:
    return marked or (category is not None and category in settings().confidential_categories)
