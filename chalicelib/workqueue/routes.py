"""The clinician's work queue: one page that answers "what needs me today", and its counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.core import access
from chalicelib.core.access import Caller
from chalicelib.core.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.workqueue import models as queue_models
    from chalicelib.workqueue import service as queue_service
    from chalicelib.workqueue.models import QueueCounts, WorkQueueOut, WorkQueueQuery
else:
    queue_models = lazy_module("chalicelib.workqueue.models")
    queue_service = lazy_module("chalicelib.workqueue.service")

bp = Blueprint(__name__)
requires = access.requires


@bp.route("/staff/queue", methods=["GET"])
@requires(
    "queue:read",
    query=lambda: queue_models.WorkQueueQuery,
    returns=lambda: queue_models.WorkQueueOut,
    summary="Unreviewed results (critical and abnormal first, then oldest), open refill requests and "
    "conversations waiting for a reply in the caller's care teams",
)
def clinician_queue(*, caller: Caller, query: WorkQueueQuery) -> WorkQueueOut:
    return queue_service.work_queue(caller, limit=query.limit, cursor=query.cursor)


@bp.route("/staff/queue/counts", methods=["GET"])
@requires(
    "queue:counts",
    returns=lambda: queue_models.QueueCounts,
    summary="How many results, refill requests and conversations wait (counts only, capped)",
)
def clinician_queue_counts(*, caller: Caller) -> QueueCounts:
    return queue_service.counts(caller)
