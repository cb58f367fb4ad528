"""Staff scheduling: providers' schedules, availability, the front-desk queue, request decisions.

Booking, moving and cancelling for a patient use the patient-addressed routes (routes/appointments.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.core import access
from chalicelib.core.access import Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.appointments import models as appointment_models
    from chalicelib.appointments import staff_models
    from chalicelib.appointments.models import AvailabilityChangeOut, AvailabilityOut, BlockIn, TemplateIn
    from chalicelib.appointments.staff_models import (
        DecisionOut,
        ProvidersOut,
        QueueOut,
        QueueQuery,
        ScheduleOut,
        ScheduleQuery,
    )
else:
    appointment_models = lazy_module("chalicelib.appointments.models")
    staff_models = lazy_module("chalicelib.appointments.staff_models")


bp = Blueprint(__name__)
requires = access.guard(bp)

PROVIDER = "/staff/providers/{provider_id}"


@bp.route("/staff/providers", methods=["GET"])
@requires(
    "schedule:read", returns=lambda: staff_models.ProvidersOut, summary="The clinic's bookable providers"
)
def providers(*, caller: Caller) -> ProvidersOut:
    from chalicelib.appointments import staff as staff_service  # lazy: keeps `import app` cheap

    return staff_service.providers(caller)


@bp.route("/staff/schedule", methods=["GET"])
@requires(
    "schedule:read",
    query=lambda: staff_models.ScheduleQuery,
    returns=lambda: staff_models.ScheduleOut,
    summary="A provider's day or week: open and blocked slots, appointments with check-in and cancellations",
)
def schedule(*, caller: Caller, query: ScheduleQuery) -> ScheduleOut:
    from chalicelib.appointments import staff as staff_service  # lazy: keeps `import app` cheap

    return staff_service.schedule(caller, query)


@bp.route("/staff/front-desk/queue", methods=["GET"])
@requires(
    "schedule:read",
    query=lambda: staff_models.QueueQuery,
    returns=lambda: staff_models.QueueOut,
    summary="Bookings, requests, moves and cancellations patients made online, not yet reviewed",
)
def queue(*, caller: Caller, query: QueueQuery) -> QueueOut:
    from chalicelib.appointments import staff as staff_service  # lazy: keeps `import app` cheap

    return staff_service.queue(caller, limit=query.limit, cursor=query.cursor)


@bp.route("/staff/front-desk/queue/{notice_ref}/done", methods=["POST"])
@requires("schedule:manage", summary="Mark a queue item as reviewed (it leaves the queue)")
def acknowledge(notice_ref: str, *, caller: Caller) -> dict[str, str]:
    from chalicelib.appointments import staff as staff_service  # lazy: keeps `import app` cheap

    staff_service.acknowledge(caller, notice_ref)
    return {"ref": notice_ref, "status": "done"}


@bp.route("/staff/appointment-requests/{request_ref}/approve", methods=["POST"])
@requires(
    "schedule:manage", returns=lambda: staff_models.DecisionOut, summary="Confirm a requested appointment"
)
def approve(request_ref: str, *, caller: Caller) -> DecisionOut:
    from chalicelib.appointments import staff as staff_service  # lazy: keeps `import app` cheap

    return staff_service.approve(caller, request_ref)


@bp.route("/staff/appointment-requests/{request_ref}/decline", methods=["POST"])
@requires(
    "schedule:manage",
    returns=lambda: staff_models.DecisionOut,
    summary="Decline a request; its time opens up again",
)
def decline(request_ref: str, *, caller: Caller) -> DecisionOut:
    from chalicelib.appointments import staff as staff_service  # lazy: keeps `import app` cheap

    return staff_service.decline(caller, request_ref)


@bp.route(PROVIDER + "/availability", methods=["GET"])
@requires(
    "schedule:read",
    returns=lambda: appointment_models.AvailabilityOut,
    summary="A provider's weekly templates and blocked times",
)
def availability(provider_id: str, *, caller: Caller) -> AvailabilityOut:
    from chalicelib.appointments import availability as availability_service  # lazy: keeps `import app` cheap

    return availability_service.get_availability(caller, provider_id)


@bp.route(PROVIDER + "/templates", methods=["POST"])
@requires(
    "availability:manage",
    body=lambda: appointment_models.TemplateIn,
    returns=lambda: appointment_models.AvailabilityChangeOut,
    summary="Add a weekly template (local clinic times); slots for the booking window follow at once",
)
def add_template(provider_id: str, *, caller: Caller, body: TemplateIn) -> AvailabilityChangeOut:
    from chalicelib.appointments import availability as availability_service  # lazy: keeps `import app` cheap

    return availability_service.add_template(caller, provider_id, body)


@bp.route(PROVIDER + "/templates/{template_id}", methods=["DELETE"])
@requires(
    "availability:manage",
    returns=lambda: appointment_models.AvailabilityChangeOut,
    summary="Remove a template; its open slots are withdrawn, booked ones are listed as conflicts",
)
def remove_template(provider_id: str, template_id: str, *, caller: Caller) -> AvailabilityChangeOut:
    from chalicelib.appointments import availability as availability_service  # lazy: keeps `import app` cheap

    return availability_service.remove_template(caller, provider_id, template_id)


@bp.route(PROVIDER + "/blocks", methods=["POST"])
@requires(
    "availability:manage",
    body=lambda: appointment_models.BlockIn,
    returns=lambda: appointment_models.AvailabilityChangeOut,
    summary="Block time (holiday, meeting); open slots inside it stop being bookable",
)
def add_block(provider_id: str, *, caller: Caller, body: BlockIn) -> AvailabilityChangeOut:
    from chalicelib.appointments import availability as availability_service  # lazy: keeps `import app` cheap

    return availability_service.add_block(caller, provider_id, body)


@bp.route(PROVIDER + "/blocks/{block_id}", methods=["DELETE"])
@requires(
    "availability:manage", returns=lambda: appointment_models.AvailabilityChangeOut, summary="Remove a block"
)
def remove_block(provider_id: str, block_id: str, *, caller: Caller) -> AvailabilityChangeOut:
    from chalicelib.appointments import availability as availability_service  # lazy: keeps `import app` cheap

    return availability_service.remove_block(caller, provider_id, block_id)
