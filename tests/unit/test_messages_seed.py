"""The demo clinic's conversations, pool memberships and refill requests: states worth showing, once."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.core import users
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.local import seed, seed_messages
from chalicelib.messaging import service as messaging
from chalicelib.patients import store as patient_store
from chalicelib.patients.models import PatientProfile

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _seed_twice() -> dict[str, str]:
    for raw in seed._profiles():
        patient_store.create_profile(PatientProfile.model_validate({**raw, "updated_at": NOW}))
    subs = {user.username: f"sub-{user.username}" for user in seed.DEMO_USERS}
    for user in seed.DEMO_USERS:
        users.put_account(
            sub=subs[user.username], username=user.username, display_name=user.display_name, role=user.role
        )
    from chalicelib.local.seed_records import seed_records

    seed_records(now=NOW)
    seed_messages.seed(subs, NOW)
    seed_messages.seed(subs, NOW)  # idempotent
    return subs


def _staff(subs: dict[str, str], username: str) -> Caller:
    account = users.get_account(subs[username])
    assert account is not None
    assert account.role is not None
    return Caller(
        sub=account.sub,
        username=username,
        role=account.role,
        display_name=account.display_name,
        request_id="req",
        pools=frozenset(account.pools),
    )


def test_the_demo_has_conversations_in_every_state() -> None:
    subs = _seed_twice()
    alex = Caller(
        sub=subs["alex"],
        username="alex",
        role=Role.PATIENT,
        display_name="Alex Morgan",
        request_id="req",
        acts_for={seed_messages.ALEX: "self", seed_messages.RILEY: "caregiver"},
    )
    mine = messaging.list_threads(alex, seed_messages.ALEX, limit=10, cursor=None).items
    assert [(t.subject, t.status, t.unread) for t in mine] == [
        ("Home blood pressure readings", "open", True),
        ("Parking", "closed", False),
    ]
    assert messaging.unread_count(alex, seed_messages.ALEX).unread_threads == 1
    assert len(messaging.list_threads(alex, seed_messages.RILEY, limit=10, cursor=None).items) == 1

    rivera, desk, billing = (_staff(subs, name) for name in ("drrivera", "frontdesk", "billing"))
    assert rivera.pools == frozenset({"dr-rivera-team", "dr-chen-team", "np-alvarez-team"})
    overview = {p.id: (p.unread, p.open) for p in messaging.pools_overview(_staff(subs, "admin")).items}
    assert overview == {
        "dr-rivera-team": (0, 2),
        "dr-chen-team": (0, 0),
        "np-alvarez-team": (0, 0),
        "front-desk": (1, 0),
        "billing": (1, 0),
    }
    assert [p.id for p in messaging.pools_overview(rivera).items] == [
        "dr-rivera-team",
        "dr-chen-team",
        "np-alvarez-team",
    ]
    assert [p.id for p in messaging.pools_overview(desk).items] == ["front-desk"]
    assert [p.id for p in messaging.pools_overview(billing).items] == ["billing"]
    waiting = messaging.inbox(rivera, "dr-rivera-team", "open", limit=10, cursor=None).items
    assert [(t.subject, t.assignee_name) for t in waiting] == [
        ("Dizzy in the mornings", "Dr. Priya Rivera"),  # waiting on the clinic comes first
        ("Home blood pressure readings", "Dr. Priya Rivera"),
    ]
    assert [m.email for m in users.list_pool_members()].count(None) == 0


def test_the_demo_has_refill_requests_in_every_state() -> None:
    from chalicelib.pharmacies import service as pharmacies
    from chalicelib.refills import service as refills

    subs = _seed_twice()
    alex = Caller(
        sub=subs["alex"],
        username="alex",
        role=Role.PATIENT,
        display_name="Alex Morgan",
        request_id="req",
        acts_for={seed_messages.ALEX: "self"},
    )
    mine = refills.list_refills(alex, seed_messages.ALEX, limit=10, cursor=None).items
    assert [(r.medication_name, r.status) for r in mine] == [
        ("Metformin 1000 mg tablet", "open"),
        ("Lisinopril 10 mg tablet", "approved"),
        ("Atorvastatin 20 mg tablet", "denied"),
    ]
    assert len(pharmacies.list_pharmacies(alex, seed_messages.ALEX).items) == 2
    waiting = refills.work_list(_staff(subs, "drrivera"), limit=10, cursor=None).items
    assert [r.patient_id for r in waiting] == [seed_messages.MARIA, seed_messages.ALEX]


def test_the_demo_parent_link_is_a_listed_revocable_grant_written_once() -> None:
    for raw in seed._profiles():
        patient_store.create_profile(PatientProfile.model_validate({**raw, "updated_at": NOW}))
    subs = {user.username: f"sub-{user.username}" for user in seed.DEMO_USERS}
    for user in seed.DEMO_USERS:
        users.put_account(
            sub=subs[user.username], username=user.username, display_name=user.display_name, role=user.role
        )
    seed._grant_parent_access(subs)
    seed._grant_parent_access(subs)  # a re-seed changes nothing

    from chalicelib.proxies import store as proxy_store

    grants = proxy_store.list_for_patient(seed.CHILD_PATIENT_ID)
    assert [(g.sub, g.relationship) for g in grants] == [(subs["alex"], "parent")]
    alex = users.get_account(subs["alex"])
    assert alex is not None
    assert alex.acts_for.get(seed.CHILD_PATIENT_ID) == "caregiver"
