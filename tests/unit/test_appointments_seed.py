"""The demo schedule: three providers with four weeks of slots, and a history for every demo patient.

One test on purpose: seeding writes ~1,500 slots, and moto is slow at that (about 8 s).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import service as appointment_service
from chalicelib.appointments import store as appointment_store
from chalicelib.core.identity import Role
from chalicelib.local import seed, seed_appointments
from chalicelib.patients import store as patient_store
from chalicelib.patients.models import PatientProfile
from tests.unit.appointments_fixtures import NOW

SUBS = {name: f"sub-{name}" for name in ("alex", "maria", "newpatient", "frontdesk")}


def test_demo_schedule_is_realistic_complete_and_idempotent() -> None:
    for raw in seed._profiles():
        patient_store.create_profile(PatientProfile.model_validate({**raw, "updated_at": NOW}))

    result = seed_appointments.seed(SUBS, NOW)

    # Availability: every provider has slots on most days of the coming four weeks, in working hours,
    # with the seeded blocks (staff meeting, training day) taken out.
    for provider_id in ("dr-rivera", "dr-chen", "np-alvarez"):
        slots = appointment_store.provider_slots(provider_id, NOW, NOW + timedelta(days=28))
        days = {common.local(s.start).date() for s in slots}
        assert len(days) >= 16, provider_id
        assert all(7 <= common.local(s.start).hour < 18 for s in slots)
        statuses = Counter(s.status for s in slots)
        assert statuses["open"] > 100, (provider_id, statuses)
        assert statuses["blocked"] > 0, (provider_id, statuses)

    # Appointments: past, upcoming and cancelled for each demo patient; Alex also has a pending request
    # and a video visit; Chris stays a new patient.
    assert result["appointments"] == sum(len(plan) for plan in seed_appointments.PLAN.values()) + len(
        seed_appointments.TODAY
    )
    # Today: every provider has visits; seeded at 8:00, before the first visit, none has got anywhere.
    today = appointment_store.day_appointments(common.today(NOW))
    assert {a.provider_id for a in today} == {"dr-rivera", "dr-chen", "np-alvarez"}
    assert {a.visit_status for a in today} == {None}
    assert "cancelled" in {a.status for a in today}
    # Seeded in the afternoon, the visits that have started are at their steps and the later ones booked.
    afternoon = NOW + timedelta(days=1, hours=5, minutes=30)  # 13:30, the next day
    desk = seed_appointments._caller(Role.FRONT_DESK, SUBS["frontdesk"], "Sam Lee")
    assert seed_appointments.seed_today(desk, afternoon) > 0
    next_day = appointment_store.day_appointments(common.today(afternoon))
    assert {a.visit_status for a in next_day if a.start <= afternoon} >= {"seen", "roomed", "no_show"}
    assert {a.visit_status for a in next_day if a.start > afternoon} == {None}
    upcoming_next_day = [a for a in next_day if appointment_service.is_upcoming(a, afternoon) and a.is_active]
    assert all(a.visit_status is None for a in upcoming_next_day)
    assert seed_appointments.seed_today(desk, afternoon) == 0  # a day with visits is left as it is
    lists = {}
    for patient_id in seed_appointments.PLAN:
        upcoming, _ = appointment_store.list_appointments(
            patient_id, upcoming=True, now=NOW, limit=50, cursor=None
        )
        past, _ = appointment_store.list_appointments(
            patient_id, upcoming=False, now=NOW, limit=50, cursor=None
        )
        lists[patient_id] = (upcoming, past)
    for patient_id in ("p-4f1c2a9e", "p-8b3d7e21", "p-2e9a61d4"):
        upcoming, past = lists[patient_id]
        assert any(a.status == "booked" for a in upcoming), patient_id
        assert any(a.status == "booked" for a in past), patient_id
        assert any(a.status == "cancelled" for a in upcoming + past), patient_id
    alex_upcoming = lists["p-4f1c2a9e"][0]
    assert "requested" in {a.status for a in alex_upcoming}
    assert "video" in {a.modality for a in alex_upcoming if a.status == "booked"}
    assert not appointment_store.has_past_visit("p-c5a0f613", NOW)

    # A second seed (every `make run` seeds) changes nothing.
    again = seed_appointments.seed(SUBS, NOW)
    assert (again["appointments"], again["slots_created"]) == (0, 0)
    upcoming, _ = appointment_store.list_appointments(
        "p-4f1c2a9e", upcoming=True, now=NOW, limit=50, cursor=None
    )
    assert upcoming == alex_upcoming
