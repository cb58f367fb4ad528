"""The clinician's work queue: every result no clinician has reviewed (critical and abnormal first, then
oldest), refill requests awaiting a decision, and conversations in the caller's care-team pools waiting
for the clinic's reply (unassigned or assigned to the caller). Each section is one GSI1 Query per index
partition through its feature's service; seeing a patient here is an audited read."""

from __future__ import annotations

from chalicelib.core import audit
from chalicelib.core.access import Caller
from chalicelib.messaging import service as messaging_service
from chalicelib.patients import profiles as patient_profiles
from chalicelib.refills import service as refill_service
from chalicelib.results import service as result_service
from chalicelib.results.models import FLAG_TEXT, UnreviewedResult
from chalicelib.workqueue.models import (
    Priority,
    QueueCounts,
    QueueRefill,
    QueueResult,
    QueueThread,
    WorkQueueOut,
)

COUNT_CAP = 100  # counts shown as "100+" beyond this, so a count never reads more


def priority_of(entry: UnreviewedResult) -> Priority:
    if entry.worst_flag in ("critical_low", "critical_high"):
        return "critical"
    if entry.worst_flag in ("low", "high", "abnormal"):
        return "abnormal"
    return "normal"


def counts(caller: Caller) -> QueueCounts:
    """How much waits, for the staff home page: counts only, no PHI, so no audit event."""
    results, abnormal = result_service.count_unreviewed(cap=COUNT_CAP)
    threads, _ = messaging_service.awaiting_reply(caller, limit=COUNT_CAP)
    return QueueCounts(
        results=results,
        results_abnormal=abnormal,
        refills=refill_service.count_open(cap=COUNT_CAP),
        threads=len(threads),
        cap=COUNT_CAP,
    )


def work_queue(caller: Caller, *, limit: int, cursor: str | None) -> WorkQueueOut:
    results, next_cursor = result_service.unreviewed(limit=limit, cursor=cursor)
    refills, refills_more = refill_service.open_requests(limit=limit)
    threads, threads_more = messaging_service.awaiting_reply(caller, limit=limit)
    patient_ids = sorted(
        {r.patient_id for r in results} | {r.patient_id for r in refills} | {t.patient_id for t in threads}
    )
    profiles = patient_profiles.profiles_of(patient_ids)
    audit.record_many(caller, patient_ids=patient_ids, action="queue.read", target="clinician-queue")

    def name_of(patient_id: str) -> str:
        profile = profiles.get(patient_id)
        return profile.display_name if profile else ""

    return WorkQueueOut(
        results=[
            QueueResult(
                result_id=r.result_id,
                patient_id=r.patient_id,
                patient_name=name_of(r.patient_id),
                name=r.name,
                category_label=result_service.category_label(r.category),
                collected_at=r.collected_at,
                entered_at=r.entered_at,
                priority=priority_of(r),
                flag_text=FLAG_TEXT[r.worst_flag] if r.worst_flag else None,
                worst_flag=r.worst_flag,
                abnormal_count=r.abnormal_count,
            )
            for r in results
        ],
        results_next_cursor=next_cursor,
        refills=[
            QueueRefill(
                id=r.id,
                patient_id=r.patient_id,
                patient_name=name_of(r.patient_id) or r.patient_name,
                medication_name=r.medication_name,
                medication_dose=r.medication_dose,
                requested_at=r.requested_at,
                requested_by_name=r.requested_by_name,
                note=r.note,
            )
            for r in refills
        ],
        refills_more=refills_more,
        threads=[
            QueueThread(
                thread_id=t.id,
                patient_id=t.patient_id,
                patient_name=name_of(t.patient_id) or t.patient_name,
                pool_name=messaging_service.pool_name(t.pool_id),
                subject=t.subject,
                waiting_since=t.waiting_since,
                assigned_to_me=t.assignee_sub == caller.sub,
            )
            for t in threads
        ],
        threads_more=threads_more,
        counts=counts(caller),
    )
