"""The demo eCheck-in: María's visit today, with a new allergy, a changed dose and a new insurance card."""

from __future__ import annotations

from chalicelib.appointments import checkin_review
from chalicelib.appointments import store as appointment_store
from chalicelib.core.identity import Role
from chalicelib.local import seed, seed_appointments, seed_billing, seed_checkins
from chalicelib.local.seed_records import seed_records
from chalicelib.patients import store as patient_store
from chalicelib.patients.models import PatientProfile
from tests.unit.appointments_fixtures import NOW
from tests.unit.conftest import CallerFactory

SUBS = {name: f"sub-{name}" for name in ("alex", "maria", "newpatient", "frontdesk", "billing")}


def test_the_demo_checkin_has_one_of_each_change_to_review_and_seeds_once(caller_for: CallerFactory) -> None:
    for raw in seed._profiles():
        patient_store.create_profile(PatientProfile.model_validate({**raw, "updated_at": NOW}))
    seed_appointments.seed(SUBS, NOW)
    seed_records(now=NOW)
    seed_billing.seed(SUBS, NOW)

    assert seed_checkins.seed(SUBS, NOW) == 1
    assert seed_checkins.seed(SUBS, NOW) == 0

    upcoming, _ = appointment_store.list_appointments(
        seed_checkins.MARIA, upcoming=True, now=NOW, limit=50, cursor=None
    )
    [visit] = [a for a in upcoming if a.checkin_status == "completed"]
    assert (visit.start - NOW).days < 1
    desk = caller_for(Role.FRONT_DESK, sub="sub-frontdesk")
    review = checkin_review.get_review(desk, seed_checkins.MARIA, visit.id)
    changes = {(i.kind, i.change) for i in review.items if i.change != "same"}
    assert changes == {("allergy", "new"), ("medication", "changed"), ("insurance", "changed")}
