"""Test results: entry, release to the patient, review, holds, trends and the staff work list.

Release rules (see results/models.py): released at entry unless the patient chose "review first" for the
category (then at the latest after their maximum wait) or a clinician holds this one result with a
documented reason (then at the latest when the hold ends). Both delays end by themselves: the patient's
reads compare `visible_from` with the clock, and the scheduled job sends the "sign in" emails.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from chalicelib.core import audit, config, dynamo, errors, minors, notify
from chalicelib.core.access import Caller, caller_locale
from chalicelib.core.clinic_settings import ResultCategory, localize
from chalicelib.core.identity import Role
from chalicelib.core.observability import isolated, logger
from chalicelib.patients import profiles as patient_profiles
from chalicelib.results import store as result_store
from chalicelib.results.models import (
    MAX_HOLD_DAYS,
    CategoryPreferenceOut,
    Component,
    ComponentOut,
    Hold,
    HoldIn,
    ReleaseOut,
    Result,
    ResultIn,
    ResultOut,
    ResultPage,
    ResultPreferences,
    ResultPreferencesIn,
    ResultPreferencesOut,
    ResultSummaryOut,
    ReviewIn,
    TrendComponent,
    TrendOut,
    TrendPoint,
    UnreviewedResult,
    WorkListItem,
    WorkListPage,
)

# The clock's own actor for audit events of automatic releases.
SYSTEM = Caller(
    sub="system",
    username="system",
    role=Role.ADMIN,
    display_name="Clinic portal (automatic)",
    request_id="scheduled",
)


def categories() -> dict[str, ResultCategory]:
    return {category.id: category for category in config.clinic().result_categories}


def _category_label(category_id: str) -> str:
    """The clinic's name for the category, in the language on screen (the clinic writes it in each)."""
    category = categories().get(category_id)
    return localize(category.label, caller_locale(None)) if category else category_id


# --- preferences ---------------------------------------------------------------------------------


def _preferences_out(prefs: ResultPreferences) -> ResultPreferencesOut:
    items = []
    locale = caller_locale(None)
    for category in categories().values():
        chosen = prefs.categories.get(category.id)
        review_first = bool(chosen and chosen.review_first and category.allow_review_first)
        wait = chosen.max_wait_days if chosen else category.default_max_wait_days
        items.append(
            CategoryPreferenceOut(
                id=category.id,
                label=localize(category.label, locale),
                description=localize(category.description, locale),
                review_first_prompt=localize(category.review_first_prompt, locale),
                allow_review_first=category.allow_review_first,
                max_wait_days_limit=category.max_wait_days_limit,
                review_first=review_first,
                max_wait_days=min(wait, category.max_wait_days_limit),
            )
        )
    return ResultPreferencesOut(version=prefs.version, categories=items, updated_at=prefs.updated_at)


def get_preferences(caller: Caller, patient_id: str) -> ResultPreferencesOut:
    prefs = result_store.get_preferences(patient_id)
    audit.record(caller, patient_id=patient_id, action="result_prefs.read", target="result-preferences")
    return _preferences_out(prefs)


def update_preferences(caller: Caller, patient_id: str, body: ResultPreferencesIn) -> ResultPreferencesOut:
    """The patient's own choice, per category, to see results only after their clinician, up to a limit."""
    known = categories()
    problems: dict[str, str] = {}
    for category_id, choice in body.categories.items():
        category = known.get(category_id)
        if category is None:
            problems[f"categories.{category_id}"] = "not a result category of this clinic"
        elif choice.review_first and not category.allow_review_first:
            problems[f"categories.{category_id}.review_first"] = "this clinic releases these results at once"
        elif choice.max_wait_days > category.max_wait_days_limit:
            problems[f"categories.{category_id}.max_wait_days"] = (
                f"at most {category.max_wait_days_limit} days for this category"
            )
    if problems:
        raise errors.BadRequest("some choices are not possible", fields=problems)
    current = result_store.get_preferences(patient_id)
    if current.version != body.version:
        raise errors.Conflict("your preferences were changed elsewhere; reload them and try again")
    updated = ResultPreferences(
        patient_id=patient_id,
        categories=dict(body.categories),
        version=current.version + 1,
        updated_at=dynamo.utcnow(),
        updated_by=caller.display_name,
    )
    event = audit.event(
        caller, patient_id=patient_id, action="result_prefs.update", target="result-preferences"
    )
    result_store.save_preferences(updated, expected_version=current.version, audit=event)
    logger.info("result preferences updated", extra={"patient_id": patient_id})
    return _preferences_out(updated)


# --- entering results ----------------------------------------------------------------------------


def _check_hold(hold: HoldIn, now: datetime, *, field: str) -> None:
    if hold.until <= now:
        raise errors.BadRequest("a hold must end in the future", fields={field: "must be in the future"})
    if hold.until > now + timedelta(days=MAX_HOLD_DAYS):
        raise errors.BadRequest(
            "a hold is time-limited", fields={field: f"at most {MAX_HOLD_DAYS} days from now"}
        )


def build_result(
    caller: Caller,
    patient_id: str,
    body: ResultIn,
    *,
    prefs: ResultPreferences,
    now: datetime,
    source: str = "entered",
    field_prefix: str = "",
) -> Result:
    """Validate a result against the clinic's categories and work out when the patient may see it."""
    category = categories().get(body.category)
    if category is None:
        raise errors.BadRequest(
            "unknown result category",
            fields={f"{field_prefix}category": "not a result category of this clinic"},
        )
    visible_from = now
    review_wait_until = None
    choice = prefs.categories.get(category.id)
    if choice is not None and choice.review_first and category.allow_review_first:
        wait = min(choice.max_wait_days, category.max_wait_days_limit)
        review_wait_until = now + timedelta(days=wait)
        visible_from = max(visible_from, review_wait_until)
    hold = None
    if body.hold is not None:
        _check_hold(body.hold, now, field=f"{field_prefix}hold.until")
        hold = Hold(
            reason=body.hold.reason,
            until=body.hold.until,
            by_sub=caller.sub,
            by_name=caller.display_name,
            at=now,
        )
        visible_from = max(visible_from, body.hold.until)
    return Result(
        id=dynamo.new_id(),
        patient_id=patient_id,
        category=category.id,
        name=body.name,
        code=body.code,
        collected_at=body.collected_at,
        status=body.status,
        ordered_by=body.ordered_by,
        performer=body.performer,
        components=[Component.model_validate(c.model_dump()) for c in body.components],
        source=source,
        entered_at=now,
        entered_by=caller.display_name,
        visible_from=visible_from,
        review_wait_until=review_wait_until,
        hold=hold,
        reviewed_at=now if body.comment else None,
        reviewed_by=caller.display_name if body.comment else None,
        comment=body.comment,
        comment_at=now if body.comment else None,
    )


def create_result(
    caller: Caller, patient_id: str, body: ResultIn, *, now: datetime | None = None
) -> ResultOut:
    now = now or dynamo.utcnow()
    prefs = result_store.get_preferences(patient_id)
    result = build_result(caller, patient_id, body, prefs=prefs, now=now)
    event = audit.event(caller, patient_id=patient_id, action="result.create", target=result.id)
    result_store.create(result, now=now, audit=event)
    logger.info(
        "result entered",
        extra={"patient_id": patient_id, "result_id": result.id, "state": result.release_state(now)},
    )
    if result.is_visible(now):
        notify_released([result], now=now)
    out: ResultOut = to_out(result, now=now, staff=True, detail=True)
    return out


def notify_released(results: Iterable[Result], *, now: datetime) -> int:
    """Email each patient once per batch that a result is waiting: no names, no values, no test names."""
    sent = 0
    by_patient: dict[str, list[Result]] = {}
    for result in results:
        by_patient.setdefault(result.patient_id, []).append(result)
    for patient_id, released in by_patient.items():
        # A teenager's address on file may be a parent's: a confidential result gets no email there.
        if minors.is_teen(patient_id):
            released = [result for result in released if not is_confidential(result)]
        if not released:
            continue
        with isolated("result-notices", patient_id=patient_id):
            if patient_profiles.notify_patient(patient_id, notify.new_result_notice):
                sent += 1
                for result in released:
                    result_store.mark_notified(result, now=now)
    return sent


# --- reading -------------------------------------------------------------------------------------


def to_out(result: Result, *, now: datetime, staff: bool, detail: bool = False) -> Any:
    flags = [c.resolved_flag() for c in result.components]
    release = None
    if staff:
        release = ReleaseOut(
            state=result.release_state(now),
            visible_from=result.visible_from,
            review_wait_until=result.review_wait_until,
            hold_reason=result.hold.reason if result.hold else None,
            hold_until=result.hold.until if result.hold else None,
            held_by=result.hold.by_name if result.hold else None,
            released_at=result.released_at,
            released_by=result.released_by,
            notified_at=result.notified_at,
        )
    summary: dict[str, Any] = {
        "id": result.id,
        "name": result.name,
        "category": result.category,
        "category_label": _category_label(result.category),
        "collected_at": result.collected_at,
        "status": result.status,
        "is_new": result.opened_at is None,
        "reviewed": result.reviewed_at is not None,
        "has_comment": bool(result.comment),
        "abnormal_count": sum(1 for f in flags if f not in (None, "normal")),
        "worst_flag": result.worst_flag(),
        "release": release,
        "confidential": is_confidential(result),
    }
    if not detail:
        return ResultSummaryOut(**summary)
    return ResultOut(
        **summary,
        code=result.code,
        ordered_by=result.ordered_by,
        performer=result.performer,
        components=[ComponentOut.from_component(c) for c in result.components],
        reviewed_at=result.reviewed_at,
        reviewed_by=result.reviewed_by,
        comment=result.comment,
        comment_at=result.comment_at,
    )


def list_results(
    caller: Caller, patient_id: str, *, limit: int, cursor: str | None, now: datetime | None = None
) -> ResultPage:
    """Newest first, one Query per page. Patients see released results only; staff see all, with state."""
    now = now or dynamo.utcnow()
    staff = caller.is_staff
    results, next_cursor = result_store.list_page(
        patient_id, limit=limit, cursor=cursor, visible_at=None if staff else now
    )
    shown = visible_to(caller, patient_id, results)
    # A teenager's parent is always told some may be private, never whether anything is (see records).
    some_hidden = len(shown) < len(results) or minors.hides_confidential(caller, patient_id)
    audit.record(caller, patient_id=patient_id, action="result.list", target="results")
    return ResultPage(
        items=[to_out(r, now=now, staff=staff) for r in shown],
        next_cursor=next_cursor,
        some_hidden=some_hidden,
    )


def is_confidential(result: Result) -> bool:
    return minors.is_confidential(result.confidential, result.category)


def visible_to(caller: Caller, patient_id: str, results: Iterable[Result]) -> list[Result]:
    """The results this caller may see: a teenager's parent or guardian never sees a confidential one."""
    if minors.hides_confidential(caller, patient_id):
        return [result for result in results if not is_confidential(result)]
    return list(results)


def _get_for(caller: Caller, patient_id: str, result_id: str, now: datetime) -> Result:
    result = result_store.get(patient_id, result_id)
    if not caller.is_staff and not result.is_visible(now):
        raise errors.NotFound("result not found")  # not yet released: as if it did not exist
    if not visible_to(caller, patient_id, [result]):
        raise errors.NotFound("result not found")  # confidential from this parent: as if unknown
    return result


def get_result(caller: Caller, patient_id: str, result_id: str, *, now: datetime | None = None) -> ResultOut:
    """One result with every component; the patient side opening it ends its "new" mark."""
    now = now or dynamo.utcnow()
    result = _get_for(caller, patient_id, result_id, now)
    if caller.role is Role.PATIENT and result.opened_at is None:
        result_store.mark_opened(result, now=now)
        result = result.model_copy(update={"opened_at": now})
    audit.record(caller, patient_id=patient_id, action="result.read", target=result_id)
    out: ResultOut = to_out(result, now=now, staff=caller.is_staff, detail=True)
    return out


def trend(caller: Caller, patient_id: str, code: str | None, *, now: datetime | None = None) -> TrendOut:
    """One component (by LOINC code) across every result the caller may see, oldest first.

    Without a code: the numeric components that appear in the results, so a page can offer charts.
    """
    now = now or dynamo.utcnow()
    points: list[TrendPoint] = []
    seen: dict[str, TrendComponent] = {}
    name = unit = None
    results = result_store.iter_all(patient_id, visible_at=None if caller.is_staff else now)
    for result in visible_to(caller, patient_id, results):
        for component in result.components:
            if component.code is None or component.value is None:
                continue
            if code is None:
                known = seen.get(component.code)
                count = known.count + 1 if known else 1
                seen[component.code] = TrendComponent(
                    code=component.code, name=component.name, unit=component.unit, count=count
                )
                continue
            if component.code != code:
                continue
            out = ComponentOut.from_component(component)
            name, unit = name or component.name, unit or component.unit
            points.append(
                TrendPoint(
                    result_id=result.id,
                    collected_at=result.collected_at,
                    value=float(component.value),
                    unit=component.unit,
                    ref_low=out.ref_low,
                    ref_high=out.ref_high,
                    flag=out.flag,
                )
            )
    points.sort(key=lambda p: p.collected_at)
    audit.record(caller, patient_id=patient_id, action="result.trend", target=code or "components")
    available = sorted(seen.values(), key=lambda c: c.name.casefold())
    return TrendOut(code=code, name=name, unit=unit, points=points, available=available)


# --- clinician actions ---------------------------------------------------------------------------


def set_confidential(caller: Caller, patient_id: str, result_id: str, confidential: bool) -> bool:
    """A clinician marks (or unmarks) one result confidential; answers whether it is hidden now."""
    result = result_store.get(patient_id, result_id)
    action = "result.mark_confidential" if confidential else "result.unmark_confidential"
    event = audit.event(caller, patient_id=patient_id, action=action, target=result_id)
    result_store.set_confidential(result, confidential, audit=event)
    logger.info(action, extra={"patient_id": patient_id, "result_id": result_id})
    return minors.is_confidential(confidential, result.category)


def review(
    caller: Caller, patient_id: str, result_id: str, body: ReviewIn, *, now: datetime | None = None
) -> ResultOut:
    """Mark a result reviewed, add a comment for the patient, and optionally release it now."""
    now = now or dynamo.utcnow()
    result = _get_for(caller, patient_id, result_id, now)
    release = body.release and not result.is_visible(now)
    entries = result_store.review_entries(
        result, by=caller.display_name, comment=body.comment, now=now, release=release
    )
    events = [audit.event(caller, patient_id=patient_id, action="result.review", target=result_id)]
    if release:
        events.append(audit.event(caller, patient_id=patient_id, action="result.release", target=result_id))
    conflict = "this result was reviewed or changed meanwhile; reload it and try again"
    try:
        result_store.apply(entries, audit=events, conflict=conflict)
    except errors.Conflict:
        # Two clinicians at once (or a retried click): the same review already made is the same answer.
        current = result_store.get(patient_id, result_id)
        same = current.reviewed_at is not None and (current.comment or None) == (body.comment or None)
        if not same or (release and not current.is_visible(now)):
            raise errors.Conflict(
                "{who} reviewed this result meanwhile; reload it to see their review",
                params={"who": current.reviewed_by or "another clinician"},
            ) from None
        same_answer: ResultOut = to_out(current, now=now, staff=True, detail=True)
        return same_answer
    updated = result_store.get(patient_id, result_id)
    if release:
        notify_released([updated], now=now)
    logger.info("result reviewed", extra={"patient_id": patient_id, "result_id": result_id})
    out: ResultOut = to_out(updated, now=now, staff=True, detail=True)
    return out


def hold(
    caller: Caller, patient_id: str, result_id: str, body: HoldIn, *, now: datetime | None = None
) -> ResultOut:
    """Hold one not-yet-released result, with a documented reason and an end (45 CFR 171.201)."""
    now = now or dynamo.utcnow()
    result = _get_for(caller, patient_id, result_id, now)
    if result.is_visible(now):
        raise errors.Conflict("this result is already available to the patient")
    _check_hold(body, now, field="until")
    new_hold = Hold(
        reason=body.reason, until=body.until, by_sub=caller.sub, by_name=caller.display_name, at=now
    )
    entry = result_store.hold_entry(
        result, hold=new_hold, visible_from=max(result.visible_from, body.until), now=now
    )
    event = audit.event(caller, patient_id=patient_id, action="result.hold", target=result_id)
    result_store.apply([entry], audit=[event], conflict="this result was released meanwhile")
    logger.info("result held", extra={"patient_id": patient_id, "result_id": result_id})
    out: ResultOut = to_out(result_store.get(patient_id, result_id), now=now, staff=True, detail=True)
    return out


def release(caller: Caller, patient_id: str, result_id: str, *, now: datetime | None = None) -> ResultOut:
    """End every delay of one result now and tell the patient (by email, without PHI)."""
    now = now or dynamo.utcnow()
    result = _get_for(caller, patient_id, result_id, now)
    if result.is_visible(now):
        raise errors.Conflict("this result is already available to the patient")
    entry = result_store.release_entry(result, now=now, by=caller.display_name)
    event = audit.event(caller, patient_id=patient_id, action="result.release", target=result_id)
    result_store.apply([entry], audit=[event], conflict="this result was released meanwhile")
    updated = result_store.get(patient_id, result_id)
    notify_released([updated], now=now)
    logger.info("result released", extra={"patient_id": patient_id, "result_id": result_id})
    out: ResultOut = to_out(updated, now=now, staff=True, detail=True)
    return out


def work_list(caller: Caller, *, limit: int, cursor: str | None, now: datetime | None = None) -> WorkListPage:
    """Results still waiting (held or by the patient's choice), soonest release first: one GSI1 Query.

    Seeing a patient's entry here is a read of their data, so each patient on the page gets an event.
    """
    now = now or dynamo.utcnow()
    results, next_cursor = result_store.list_unreleased(now=now, limit=limit, cursor=cursor)
    patient_ids = sorted({r.patient_id for r in results})
    profiles = patient_profiles.profiles_of(patient_ids)
    audit.record_many(caller, patient_ids=patient_ids, action="result.worklist", target="work-list")
    items = [
        WorkListItem(
            result_id=r.id,
            patient_id=r.patient_id,
            patient_name=profiles[r.patient_id].display_name if r.patient_id in profiles else "",
            name=r.name,
            category=r.category,
            collected_at=r.collected_at,
            entered_at=r.entered_at,
            state=r.release_state(now),
            visible_from=r.visible_from,
            hold_reason=r.hold.reason if r.hold else None,
            hold_until=r.hold.until if r.hold else None,
            held_by=r.hold.by_name if r.hold else None,
        )
        for r in results
    ]
    return WorkListPage(items=items, next_cursor=next_cursor)


def release_due(*, now: datetime | None = None) -> int:
    """The scheduled job: results whose wait ran out leave the work list and their patients get an email.

    Safe to run twice or concurrently: each result is taken off the index under a condition, once.
    """
    now = now or dynamo.utcnow()
    released: list[Result] = []
    for result in result_store.list_due(now=now):
        with isolated("release-results", result_id=result.id):
            entry = result_store.clear_due_entry(result, now=now)
            event = audit.event(
                SYSTEM, patient_id=result.patient_id, action="result.release", target=result.id
            )
            try:
                result_store.apply([entry], audit=[event], conflict="already released")
            except errors.Conflict:
                continue
            released.append(result)
    notify_released(released, now=now)
    if released:
        logger.info("results released by the clock", extra={"count": len(released)})
    return len(released)


# --- for other features: their own action is the audited one -------------------------------------


def unreviewed(*, limit: int, cursor: str | None) -> tuple[list[UnreviewedResult], str | None]:
    """Results no clinician has reviewed, critical and abnormal first, then oldest (the caller audits)."""
    return result_store.list_unreviewed(limit=limit, cursor=cursor)


def count_unreviewed(*, cap: int) -> tuple[int, int]:
    """(all, abnormal or critical) results waiting for review, each count capped: counts only, no PHI."""
    return result_store.count_unreviewed(cap=cap), result_store.count_unreviewed(cap=cap, abnormal_only=True)


def category_label(category_id: str) -> str:
    return _category_label(category_id)


def results_of(patient_id: str, *, visible_at: datetime | None) -> Iterator[Result]:
    """Every result of a patient; with `visible_at`, only those released to the patient by then."""
    return result_store.iter_all(patient_id, visible_at=visible_at)


def new_count_of(caller: Caller, patient_id: str, *, now: datetime) -> int:
    """How many released results the patient has not opened yet ("new"), not counting for a teenager's
    parent the confidential ones (they would say one came in)."""
    hides = minors.hides_confidential(caller, patient_id)
    return result_store.count_new(
        patient_id,
        visible_at=now,
        without_categories=minors.settings().confidential_categories if hides else None,
    )
