"""The printable health summary: the record a person can read, print or save as a PDF.

It reads what "Download my record" reads (the record, released results) and is audited the same way, as
one print of the record. Upcoming appointments belong to another area of a caregiver's grant: they are
left out when the grant does not cover them, as the guard would refuse that page.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.appointments import service as appointment_service
from chalicelib.core import access, audit, config, dynamo
from chalicelib.core.access import Caller
from chalicelib.core.observability import logger
from chalicelib.patients import profiles as patient_profiles
from chalicelib.records import service as record_service
from chalicelib.records.models import PrintableHealthSummary, PrintedAppointment, PrintedResult
from chalicelib.results import service as result_service
from chalicelib.results.models import ComponentOut, Result

RECENT_RESULTS = 10
RECENT_VISITS = 10
UPCOMING = 5


def _printed_result(result: Result) -> PrintedResult:
    return PrintedResult(
        id=result.id,
        name=result.name,
        category_label=result_service.category_label(result.category),
        collected_at=result.collected_at,
        status=result.status,
        components=[ComponentOut.from_component(c) for c in result.components],
        comment=result.comment,
    )


def printable(caller: Caller, patient_id: str, *, now: datetime | None = None) -> PrintableHealthSummary:
    now = now or dynamo.utcnow()
    profile = patient_profiles.profile_of(patient_id)
    summary = record_service.summarize(patient_id, record_service.records_of(patient_id))
    results = sorted(
        result_service.results_of(patient_id, visible_at=now), key=lambda r: r.collected_at, reverse=True
    )
    past_visits = [v for v in summary.visits if v.start <= now]
    upcoming = None
    if access.scope_permits(caller.scope_for(patient_id), "appointment:read"):
        upcoming = [
            PrintedAppointment(
                id=a.id,
                starts_at=a.starts_at,
                time_zone=a.time_zone,
                provider=f"{a.provider.name}, {a.provider.credentials}",
                visit_type=a.visit_type.name if a.visit_type else None,
                modality=a.modality,
            )
            for a in appointment_service.upcoming_of(patient_id, now=now, limit=UPCOMING)
        ]
    audit.record(caller, patient_id=patient_id, action="record.print", target="health-summary")
    logger.info("health summary printed", extra={"patient_id": patient_id, "results": len(results)})
    clinic = config.clinic()
    return PrintableHealthSummary(
        clinic_name=clinic.name,
        clinic_phone=clinic.phone_display,
        generated_at=now,
        patient_name=profile.display_name,
        birth_date=profile.birth_date,
        problems=summary.problems,
        medications=summary.medications,
        allergies=summary.allergies,
        immunizations=summary.immunizations,
        results=[_printed_result(r) for r in results[:RECENT_RESULTS]],
        results_total=len(results),
        visits=past_visits[:RECENT_VISITS],
        visits_total=len(past_visits),
        upcoming=upcoming,
    )
