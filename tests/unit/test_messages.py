"""Secure messaging on moto: threads, replies, read state, the shared inbox, and who may see what."""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from pydantic import ValidationError

from chalicelib.core import audit_log, aws, errors, users
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role
from chalicelib.messaging import service as messaging
from chalicelib.messaging import store as message_store
from chalicelib.messaging.models import MAX_BODY_CHARS, NewThreadIn, ReplyIn, Thread
from tests.unit.conftest import CallerFactory, PatientFactory
from tests.unit.routing import routed

POOL = "dr-rivera-team"
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def staff(role: Role = Role.CLINICIAN, *, pools: tuple[str, ...] = (POOL,), sub: str = "sub-staff") -> Caller:
    return Caller(
        sub=sub,
        username=sub,
        role=role,
        display_name=f"Staff {sub}",
        request_id="req-unit",
        pools=frozenset(pools),
    )


def new_thread(pool: str = POOL, subject: str = "Question about my dose", body: str = "Hello") -> NewThreadIn:
    return NewThreadIn(pool_id=pool, subject=subject, body=body)


def actions(patient_id: str) -> list[str]:
    events, _ = audit_log.list_for_patient(patient_id, limit=100, cursor=None)
    return [event.action for event in reversed(events)]


def partition(patient_id: str) -> list[dict[str, Any]]:
    return list(
        aws.table()
        .query(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": f"PATIENT#{patient_id}"},
        )
        .get("Items", [])
    )


def thread_items(patient_id: str) -> list[str]:
    return sorted(str(i["SK"]).split("#")[0] for i in partition(patient_id) if "THREAD" in str(i["SK"]))


@pytest.fixture
def alice(make_patient: PatientFactory, caller_for: CallerFactory) -> Caller:
    make_patient("p-alice", email="alice@patients.example")
    return caller_for(Role.PATIENT, acts_for={"p-alice": "self"}, sub="sub-alice", name="Alice A")


@pytest.fixture
def bob(make_patient: PatientFactory, caller_for: CallerFactory) -> Caller:
    make_patient("p-bob")
    return caller_for(Role.PATIENT, acts_for={"p-bob": "self"}, sub="sub-bob", name="Bob B")


@pytest.fixture
def outbox() -> Any:
    """SES on moto: verify the clinic's sender, hand back the list of sent messages."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from chalicelib.core import config

    region = os.environ["AWS_DEFAULT_REGION"]
    boto3.client("ses", region_name=region).verify_email_identity(EmailAddress=config.clinic().mail_from)
    return ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages


# --- input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["", "   \n  ", "x" * (MAX_BODY_CHARS + 1), "bell \x07 inside", "nul \x00 inside"],
    ids=["empty", "blank", "too long", "control char", "nul"],
)
def test_bad_bodies_are_refused_by_the_input_model(body: str) -> None:
    with pytest.raises(ValidationError) as raised:
        ReplyIn(body=body)
    assert [e["loc"] for e in raised.value.errors()] == [("body",)]


def test_a_body_at_the_limit_and_markup_are_kept_as_plain_text() -> None:
    assert len(ReplyIn(body="y" * MAX_BODY_CHARS).body) == MAX_BODY_CHARS
    markup = "<script>alert(1)</script>\r\nline two\ttabbed"
    assert ReplyIn(body=markup).body == "<script>alert(1)</script>\nline two\ttabbed"


def test_a_subject_is_one_short_line() -> None:
    with pytest.raises(ValidationError):
        NewThreadIn(pool_id=POOL, subject="two\nlines", body="hi")
    with pytest.raises(ValidationError):
        NewThreadIn(pool_id=POOL, subject="s" * 121, body="hi")
    with pytest.raises(ValidationError):
        NewThreadIn(pool_id=POOL, subject="fine", body="hi", extra="no")  # type: ignore[call-arg]


def test_an_unknown_pool_is_a_400_and_nothing_is_written(alice: Caller) -> None:
    with pytest.raises(errors.BadRequest) as raised:
        messaging.start_thread(alice, "p-alice", new_thread(pool="no-such-team"))
    assert raised.value.fields == {"pool_id": "not a care team of this clinic"}
    assert thread_items("p-alice") == []


# --- the patient's side --------------------------------------------------------------------------


def test_starting_a_thread_writes_thread_list_entry_message_and_audit_together(alice: Caller) -> None:
    started = messaging.start_thread(alice, "p-alice", new_thread(), now=T0)
    thread = started.thread
    assert (thread.status, thread.inbox_state, thread.message_count, thread.unread) == (
        "open",
        "unread",
        1,
        False,
    )
    assert thread.pool_name == "Dr. Rivera's team"
    assert thread.patient_name == "Test Patient1"
    assert thread.waiting_since == T0
    assert [m.body for m in started.messages] == ["Hello"]
    assert started.messages[0].side == "patient"
    assert thread_items("p-alice") == ["PTHREAD", "THREAD", "THREAD"]  # list entry, header, message
    assert actions("p-alice") == ["thread.create"]

    page = messaging.list_threads(alice, "p-alice", limit=10, cursor=None)
    assert [t.id for t in page.items] == [thread.id]
    assert messaging.unread_count(alice, "p-alice").unread_threads == 0


def test_a_caregiver_writes_for_the_patient_they_act_for(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    make_patient("p-child")
    parent = caller_for(Role.PATIENT, acts_for={"p-child": "caregiver"}, sub="sub-parent", name="Pat Parent")
    started = messaging.start_thread(parent, "p-child", new_thread())
    assert started.messages[0].author_name == "Pat Parent"
    assert started.messages[0].side == "patient"


def test_the_patient_list_shows_most_recent_activity_first(alice: Caller) -> None:
    first = messaging.start_thread(alice, "p-alice", new_thread(subject="first"), now=T0).thread
    second = messaging.start_thread(
        alice, "p-alice", new_thread(subject="second"), now=T0 + timedelta(1)
    ).thread
    messaging.reply(alice, "p-alice", first.id, ReplyIn(body="more"), now=T0 + timedelta(2))
    page = messaging.list_threads(alice, "p-alice", limit=1, cursor=None)
    assert [t.subject for t in page.items] == ["first"]
    rest = messaging.list_threads(alice, "p-alice", limit=10, cursor=page.next_cursor)
    assert [t.id for t in rest.items] == [second.id]


def test_another_patient_cannot_open_reply_to_or_list_a_thread(alice: Caller, bob: Caller) -> None:
    thread = messaging.start_thread(alice, "p-alice", new_thread()).thread
    before = partition("p-alice")
    with pytest.raises(errors.NotFound):
        routed(messaging.open_thread, bob, "p-alice", thread.id, limit=10, cursor=None)
    with pytest.raises(errors.NotFound):
        routed(messaging.reply, bob, "p-alice", thread.id, ReplyIn(body="hi"))
    with pytest.raises(errors.NotFound):
        routed(messaging.list_threads, bob, "p-alice", limit=10, cursor=None)
    # Bob's own partition does not hold it either: the same 404 as for an id never used.
    with pytest.raises(errors.NotFound) as theirs:
        routed(messaging.open_thread, bob, "p-bob", thread.id, limit=10, cursor=None)
    with pytest.raises(errors.NotFound) as nobodys:
        routed(messaging.open_thread, bob, "p-bob", "0" * 32, limit=10, cursor=None)
    assert theirs.value.message == nobodys.value.message
    assert partition("p-alice") == before


def test_a_cursor_of_another_list_is_refused(alice: Caller, bob: Caller) -> None:
    for n in range(3):
        messaging.start_thread(alice, "p-alice", new_thread(subject=f"s{n}"))
        messaging.start_thread(bob, "p-bob", new_thread(subject=f"s{n}"))
    alices = messaging.list_threads(alice, "p-alice", limit=1, cursor=None).next_cursor
    with pytest.raises(errors.BadRequest):
        messaging.list_threads(bob, "p-bob", limit=1, cursor=alices)
    with pytest.raises(errors.BadRequest):
        messaging.list_threads(bob, "p-bob", limit=1, cursor="bm90LWEtY3Vyc29y")


# --- reading, replying and read state ------------------------------------------------------------


def test_read_state_moves_per_side_and_the_inbox_follows(alice: Caller, outbox: Any) -> None:
    clinician = staff()
    thread = messaging.start_thread(alice, "p-alice", new_thread(), now=T0).thread

    unread = messaging.inbox(clinician, POOL, "unread", limit=10, cursor=None)
    assert [t.id for t in unread.items] == [thread.id]

    opened = messaging.open_thread(
        clinician, "p-alice", thread.id, limit=10, cursor=None, now=T0 + timedelta(1)
    )
    assert opened.thread.inbox_state == "open"
    assert messaging.inbox(clinician, POOL, "unread", limit=10, cursor=None).items == []
    assert [t.id for t in messaging.inbox(clinician, POOL, "open", limit=10, cursor=None).items] == [
        thread.id
    ]
    # The patient sees the read receipt.
    mine = messaging.open_thread(alice, "p-alice", thread.id, limit=10, cursor=None)
    assert mine.thread.other_side_read_at == T0 + timedelta(1)

    answered = messaging.reply(clinician, "p-alice", thread.id, ReplyIn(body="Take it with food."))
    assert answered.thread.waiting_since is None
    assert messaging.unread_count(alice, "p-alice").unread_threads == 1
    assert messaging.list_threads(alice, "p-alice", limit=10, cursor=None).items[0].unread is True

    page = messaging.open_thread(alice, "p-alice", thread.id, limit=10, cursor=None)
    assert [m.side for m in page.messages] == ["patient", "clinic"]
    assert page.messages[1].author_role == "clinician"
    assert page.thread.unread is False
    assert messaging.unread_count(alice, "p-alice").unread_threads == 0
    assert len(outbox) == 1


def test_opening_a_thread_pages_messages_oldest_first(alice: Caller) -> None:
    clinician = staff()
    thread = messaging.start_thread(alice, "p-alice", new_thread(body="m0"), now=T0).thread
    for n in range(1, 5):
        who = clinician if n % 2 else alice
        messaging.reply(who, "p-alice", thread.id, ReplyIn(body=f"m{n}"), now=T0 + timedelta(minutes=n))
    bodies: list[str] = []
    cursor = None
    for _ in range(5):
        page = messaging.open_thread(alice, "p-alice", thread.id, limit=2, cursor=cursor)
        bodies += [m.body for m in page.messages]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert bodies == ["m0", "m1", "m2", "m3", "m4"]
    assert page.thread.message_count == 5


def test_a_message_cursor_of_another_thread_is_refused(alice: Caller) -> None:
    one = messaging.start_thread(alice, "p-alice", new_thread()).thread
    two = messaging.start_thread(alice, "p-alice", new_thread()).thread
    for thread in (one, two):
        for n in range(3):
            messaging.reply(alice, "p-alice", thread.id, ReplyIn(body=f"m{n}"))
    cursor = messaging.open_thread(alice, "p-alice", one.id, limit=2, cursor=None).next_cursor
    with pytest.raises(errors.BadRequest):
        messaging.open_thread(alice, "p-alice", two.id, limit=2, cursor=cursor)


def test_a_closed_thread_takes_no_more_replies_and_nothing_is_half_written(alice: Caller) -> None:
    clinician = staff()
    thread = messaging.start_thread(alice, "p-alice", new_thread()).thread
    closed = messaging.close(clinician, "p-alice", thread.id)
    assert (closed.status, closed.inbox_state) == ("closed", "closed")
    assert messaging.close(clinician, "p-alice", thread.id).status == "closed"  # a retry is fine
    before = partition("p-alice")
    for who in (alice, clinician):
        with pytest.raises(errors.Conflict, match="closed"):
            messaging.reply(who, "p-alice", thread.id, ReplyIn(body="one more thing"))
    assert partition("p-alice") == before
    with pytest.raises(errors.Conflict):
        messaging.assign_to_me(clinician, "p-alice", thread.id)
    assert [t.id for t in messaging.inbox(clinician, POOL, "closed", limit=5, cursor=None).items] == [
        thread.id
    ]
    assert messaging.list_threads(alice, "p-alice", limit=5, cursor=None).items[0].status == "closed"


def test_a_stale_write_is_refused_whole(alice: Caller) -> None:
    thread_out = messaging.start_thread(alice, "p-alice", new_thread()).thread
    stored = message_store.get_thread("p-alice", thread_out.id)
    assert stored is not None
    messaging.assign_to_me(staff(), "p-alice", thread_out.id)  # moves the version on
    before = partition("p-alice")
    with pytest.raises(errors.Conflict):
        message_store.save(stored.read_by("patient", T0), expected_version=stored.version, audit=[])
    assert partition("p-alice") == before


def test_a_reply_racing_a_change_is_retried_on_the_new_state(
    alice: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    thread = messaging.start_thread(alice, "p-alice", new_thread()).thread
    clinician = staff()
    real_save = message_store.save
    raced: list[bool] = []

    def save_after_someone_else(*args: Any, **kwargs: Any) -> None:
        if not raced:  # the first attempt loses to an assignment that lands just before it
            raced.append(True)
            messaging.assign_to_me(clinician, "p-alice", thread.id)
        real_save(*args, **kwargs)

    monkeypatch.setattr(message_store, "save", save_after_someone_else)
    out = messaging.reply(alice, "p-alice", thread.id, ReplyIn(body="again"))
    assert (out.thread.message_count, out.thread.assignee_name) == (2, "Staff sub-staff")


def test_assigning_to_yourself(alice: Caller) -> None:
    thread = messaging.start_thread(alice, "p-alice", new_thread()).thread
    assigned = messaging.assign_to_me(staff(sub="sub-nurse"), "p-alice", thread.id)
    assert assigned.assignee_name == "Staff sub-nurse"
    assert actions("p-alice") == ["thread.create", "thread.assign"]


# --- the shared inbox and pool membership --------------------------------------------------------


def test_staff_outside_the_pool_see_neither_inbox_nor_thread(alice: Caller) -> None:
    thread = messaging.start_thread(alice, "p-alice", new_thread()).thread
    outsider = staff(Role.FRONT_DESK, pools=("front-desk",), sub="sub-desk")
    with pytest.raises(errors.Forbidden):
        messaging.inbox(outsider, POOL, "unread", limit=10, cursor=None)
    for attempt in (
        lambda: routed(messaging.open_thread, outsider, "p-alice", thread.id, limit=10, cursor=None),
        lambda: routed(messaging.reply, outsider, "p-alice", thread.id, ReplyIn(body="hi")),
        lambda: routed(messaging.close, outsider, "p-alice", thread.id),
        lambda: routed(messaging.assign_to_me, outsider, "p-alice", thread.id),
    ):
        with pytest.raises(errors.NotFound):
            attempt()
    assert [p.id for p in messaging.pools_overview(outsider).items] == ["front-desk"]
    assert actions("p-alice") == ["thread.create"]


def test_an_admin_sees_every_pool(alice: Caller) -> None:
    messaging.start_thread(alice, "p-alice", new_thread(pool="billing"))
    admin = staff(Role.ADMIN, pools=(), sub="sub-admin")
    overview = {p.id: (p.unread, p.open) for p in messaging.pools_overview(admin).items}
    assert overview == {
        "dr-rivera-team": (0, 0),
        "dr-chen-team": (0, 0),
        "np-alvarez-team": (0, 0),
        "front-desk": (0, 0),
        "billing": (1, 0),
    }
    assert len(messaging.inbox(admin, "billing", "unread", limit=10, cursor=None).items) == 1


def test_an_unknown_pool_inbox_is_404() -> None:
    with pytest.raises(errors.NotFound):
        routed(messaging.inbox, staff(Role.ADMIN), "no-such-team", "unread", limit=10, cursor=None)


def test_the_inbox_puts_the_longest_waiting_first(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    clinician = staff()
    ids: dict[str, str] = {}
    for n, name in enumerate(["early", "middle", "late"]):
        make_patient(f"p-{name}")
        patient = caller_for(Role.PATIENT, acts_for={f"p-{name}": "self"}, sub=f"sub-{name}")
        ids[name] = messaging.start_thread(
            patient, f"p-{name}", new_thread(), now=T0 + timedelta(hours=n)
        ).thread.id
    # A second message from the early patient does not push their thread back in the queue.
    early = caller_for(Role.PATIENT, acts_for={"p-early": "self"}, sub="sub-early")
    messaging.reply(early, "p-early", ids["early"], ReplyIn(body="any news?"), now=T0 + timedelta(hours=5))
    page = messaging.inbox(clinician, POOL, "unread", limit=10, cursor=None)
    assert [t.id for t in page.items] == [ids["early"], ids["middle"], ids["late"]]
    # Answered threads (waiting on the patient) come after the ones still waiting on the clinic.
    messaging.open_thread(clinician, "p-early", ids["early"], limit=5, cursor=None)
    messaging.reply(clinician, "p-early", ids["early"], ReplyIn(body="yes"))
    messaging.open_thread(clinician, "p-late", ids["late"], limit=5, cursor=None)
    open_tab = messaging.inbox(clinician, POOL, "open", limit=10, cursor=None)
    assert [t.id for t in open_tab.items] == [ids["late"], ids["early"]]
    assert messaging.pools_overview(clinician).items[0].model_dump() == {
        "id": POOL,
        "name": "Dr. Rivera's team",
        "unread": 1,
        "open": 2,
    }
    # Paging through the inbox with its cursor; a cursor of another pool's inbox is refused.
    first = messaging.inbox(clinician, POOL, "open", limit=1, cursor=None)
    second = messaging.inbox(clinician, POOL, "open", limit=1, cursor=first.next_cursor)
    assert [t.id for t in first.items + second.items] == [ids["late"], ids["early"]]
    with pytest.raises(errors.BadRequest):
        messaging.inbox(clinician, POOL, "unread", limit=1, cursor=first.next_cursor)


def test_every_patient_on_an_inbox_page_gets_a_logged_read(alice: Caller, bob: Caller) -> None:
    messaging.start_thread(alice, "p-alice", new_thread())
    messaging.start_thread(bob, "p-bob", new_thread())
    messaging.inbox(staff(), POOL, "unread", limit=10, cursor=None)
    assert actions("p-alice")[-1] == "inbox.read"
    assert actions("p-bob")[-1] == "inbox.read"


def test_every_read_and_write_is_in_the_access_log(alice: Caller) -> None:
    clinician = staff()
    thread = messaging.start_thread(alice, "p-alice", new_thread()).thread
    messaging.list_threads(alice, "p-alice", limit=5, cursor=None)
    messaging.unread_count(alice, "p-alice")
    messaging.open_thread(clinician, "p-alice", thread.id, limit=5, cursor=None)
    messaging.assign_to_me(clinician, "p-alice", thread.id)
    messaging.reply(clinician, "p-alice", thread.id, ReplyIn(body="ok"))
    messaging.open_thread(alice, "p-alice", thread.id, limit=5, cursor=None)
    messaging.close(clinician, "p-alice", thread.id)
    assert actions("p-alice") == [
        "thread.create",
        "thread.list",
        "thread.unread",
        "thread.read",
        "thread.assign",
        "message.send",
        "thread.read",
        "thread.close",
    ]


# --- email -------------------------------------------------------------------------------------


def test_the_patient_email_says_only_that_a_message_waits(alice: Caller, outbox: Any) -> None:
    secret_subject, secret_body = "Results of my HIV test", "Your viral load is undetectable."
    thread = messaging.start_thread(alice, "p-alice", new_thread(subject=secret_subject)).thread
    assert outbox == []  # the patient's own message sends nothing
    messaging.reply(staff(), "p-alice", thread.id, ReplyIn(body=secret_body))
    [mail] = outbox
    assert mail.destinations["ToAddresses"] == ["alice@patients.example"]
    everything = f"{mail.subject}\n{mail.body}"
    for phi in (secret_subject, secret_body, "HIV", "Alice", "Test Patient", "Rivera", POOL):
        assert phi not in everything
    assert "sign in to read it" in mail.body.lower()
    assert "portal.riverside.example" in mail.body


def test_no_email_when_the_patient_turned_email_off(
    make_patient: PatientFactory, caller_for: CallerFactory, outbox: Any
) -> None:
    make_patient("p-quiet", email="quiet@patients.example", communication={"email_notifications": False})
    quiet = caller_for(Role.PATIENT, acts_for={"p-quiet": "self"}, sub="sub-quiet")
    thread = messaging.start_thread(quiet, "p-quiet", new_thread()).thread
    messaging.reply(staff(), "p-quiet", thread.id, ReplyIn(body="hi"))
    assert outbox == []


def test_the_daily_digest_counts_per_pool_without_phi(alice: Caller, bob: Caller, outbox: Any) -> None:
    from chalicelib.messaging import digest as messaging_digest

    users.put_account(
        sub="sub-rivera",
        username="drrivera",
        display_name="Dr. R",
        role=Role.CLINICIAN,
        pools=[POOL, "billing"],
        email="rivera@clinic.example",
    )
    users.put_account(
        sub="sub-desk",
        username="desk",
        display_name="Desk",
        role=Role.FRONT_DESK,
        pools=["front-desk"],
        email="desk@clinic.example",
    )
    users.put_account(
        sub="sub-nomail", username="nomail", display_name="N", role=Role.BILLING, pools=["billing"]
    )
    users.put_account(
        sub="sub-nopool", username="nopool", display_name="P", role=Role.CLINICIAN, email="x@y.example"
    )
    messaging.start_thread(alice, "p-alice", new_thread(subject="Private subject"))
    messaging.start_thread(bob, "p-bob", new_thread())
    result = messaging_digest.send_daily_digest()
    assert result.sent == 1  # the front desk pool is empty: no email to the front desk
    assert result.pools == {POOL: 2, "billing": 0, "front-desk": 0}
    [mail] = outbox
    assert mail.destinations["ToAddresses"] == ["rivera@clinic.example"]
    assert "Dr. Rivera's team: 2 unread, 0 open" in mail.body
    assert "Private subject" not in mail.body
    assert "Test Patient" not in mail.body


def test_pool_membership_is_stored_on_the_account() -> None:
    users.put_account(sub="sub-x", username="x", display_name="X", role=Role.CLINICIAN, pools=["b", "a", "a"])
    account = users.get_account("sub-x")
    assert account is not None
    assert account.pools == ("a", "b")
    users.set_pools("sub-x", [])
    account = users.get_account("sub-x")
    assert account is not None
    assert account.pools == ()
    assert [m.sub for m in users.list_pool_members()] == []
    users.set_pools("sub-x", [POOL])
    assert [(m.sub, m.pools) for m in users.list_pool_members()] == [("sub-x", (POOL,))]


def test_thread_transitions_are_pure() -> None:
    thread = Thread(
        id="t",
        patient_id="p",
        patient_name="P",
        pool_id=POOL,
        subject="s",
        created_at=T0,
        last_message_at=T0,
        last_from="patient",
        version=0,
    ).with_message("patient", T0)
    later = thread.with_message("patient", T0 + timedelta(hours=1))
    assert later.waiting_since == T0
    assert later.version == 2
    assert thread.version == 1
    answered = later.with_message("clinic", T0 + timedelta(hours=2), ["doc1"])
    assert (answered.waiting_since, answered.unread_by_patient, answered.unread_by_clinic) == (
        None,
        True,
        False,
    )
    assert answered.attachment_ids == ["doc1"]
    assert dataclasses.is_dataclass(staff())


def test_inbox_badges_stop_counting_at_the_cap(
    make_patient: PatientFactory, caller_for: CallerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messaging, "COUNT_CAP", 2)
    for n in range(3):
        make_patient(f"p-cap{n}")
        patient = caller_for(Role.PATIENT, acts_for={f"p-cap{n}": "self"}, sub=f"sub-cap{n}")
        messaging.start_thread(patient, f"p-cap{n}", new_thread())
    overview = messaging.pools_overview(staff())
    assert (overview.count_cap, overview.items[0].unread) == (2, 2)
    assert message_store.count_inbox(POOL, "unread") == 3  # the digest counts exactly


def test_a_write_whose_answer_was_lost_is_not_written_twice(
    alice: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A retried transaction that had in fact committed fails its own condition: that is success."""
    real_save, real_create = message_store.save, message_store.create_thread

    def committed_then_conflict(real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> None:
            real(*args, **kwargs)
            raise errors.Conflict("lost answer")

        return call

    monkeypatch.setattr(message_store, "create_thread", committed_then_conflict(real_create))
    thread = messaging.start_thread(alice, "p-alice", new_thread()).thread
    monkeypatch.setattr(message_store, "save", committed_then_conflict(real_save))
    out = messaging.reply(alice, "p-alice", thread.id, ReplyIn(body="once"))
    assert out.thread.message_count == 2
    monkeypatch.setattr(message_store, "save", real_save)
    page = messaging.open_thread(alice, "p-alice", thread.id, limit=10, cursor=None)
    assert [m.body for m in page.messages] == ["Hello", "once"]
