"""The clinician's work queue: what waits for a clinician today, across results, refills and messages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.core.models import InputModel, Model
from chalicelib.results.models import Flag

Priority = Literal["critical", "abnormal", "normal"]


class QueueResult(Model):
    result_id: str
    patient_id: str
    patient_name: str
    name: str
    category_label: str
    collected_at: datetime
    entered_at: datetime
    priority: Priority
    flag_text: str | None
    # The worst flag's key, so the page can word it in the reader's language (flag_text is English).
    worst_flag: Flag | None = None
    abnormal_count: int


class QueueRefill(Model):
    id: str
    patient_id: str
    patient_name: str
    medication_name: str
    medication_dose: str
    requested_at: datetime
    requested_by_name: str
    note: str


class QueueThread(Model):
    thread_id: str
    patient_id: str
    patient_name: str
    pool_name: str
    subject: str
    waiting_since: datetime | None
    assigned_to_me: bool


class QueueCounts(Model):
    """Counts only (no patient data): each is capped at `cap`, shown as "100+"."""

    results: int
    results_abnormal: int
    refills: int
    threads: int
    cap: int


class WorkQueueOut(Model):
    results: list[QueueResult]
    results_next_cursor: str | None = None
    refills: list[QueueRefill]
    refills_more: bool
    threads: list[QueueThread]
    threads_more: bool
    counts: QueueCounts


# Query strings of workqueue/routes.py (kept here so that importing the routes creates no model).
class WorkQueueQuery(InputModel):
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Annotated[str, Field(max_length=2048, description="The next page of results only")] | None = None
