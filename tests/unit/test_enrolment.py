"""Registration, invitations and activation: the rules, on moto (DynamoDB, Cognito, SES)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import boto3
import pytest

from chalicelib.core import aws, config, errors
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller, Visitor
from chalicelib.core.audit_log import list_for_patient
from chalicelib.core.identity import Role
from chalicelib.enrolment import activation, invitations, registration, requests
from chalicelib.enrolment import store as enrolment_store
from chalicelib.enrolment.models import (
    ActivationCheckIn,
    ActivationCompleteIn,
    InvitationIn,
    RegistrationDecisionIn,
    RegistrationIn,
    RegistrationRequestIn,
)
from chalicelib.patients import profiles as profile_service
from chalicelib.patients import store as patient_store
from chalicelib.proxies import service as proxy_service
from tests.unit.conftest import CallerFactory

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
BORN = date(1984, 6, 9)
ZIP = "97201"
PASSWORD = "Sunny-Garden-42!"
VISITOR = Visitor(request_id="r", source_ip="203.0.113.9")


@pytest.fixture(autouse=True)
def user_pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    region = os.environ["AWS_DEFAULT_REGION"]
    cognito = boto3.client("cognito-idp", region_name=region)
    pool_id = cognito.create_user_pool(PoolName="unit")["UserPool"]["Id"]
    for role in Role:
        cognito.create_group(UserPoolId=pool_id, GroupName=role.value)
    monkeypatch.setenv("USER_POOL_ID", pool_id)
    config.settings.cache_clear()
    boto3.client("ses", region_name=region).verify_email_identity(EmailAddress=config.clinic().mail_from)
    yield pool_id
    config.settings.cache_clear()


def sent_emails() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_DEFAULT_REGION"]].sent_messages)


@pytest.fixture
def desk(caller_for: CallerFactory) -> Caller:
    return caller_for(Role.FRONT_DESK, sub="sub-desk", name="Dana Desk")


def registration_in(**overrides: Any) -> RegistrationIn:
    data: dict[str, Any] = {
        "legal_name": {"given": "Maria", "family": "Núñez"},
        "birth_date": BORN.isoformat(),
        "sex": "female",
        "email": "maria@example.org",
        "phone": "+15035550123",
        "address": {"line1": "1 Main St", "city": "Portland", "state": "OR", "postal_code": ZIP},
        **overrides,
    }
    return RegistrationIn.model_validate(data)


def facts(code: str, **overrides: Any) -> dict[str, Any]:
    return {"code": code, "birth_date": BORN.isoformat(), "second_fact": ZIP, **overrides}


def complete_in(code: str, username: str = "maria84", **overrides: Any) -> ActivationCompleteIn:
    return ActivationCompleteIn.model_validate(
        {**facts(code, **overrides), "username": username, "password": PASSWORD}
    )


@pytest.fixture
def maria(desk: Caller) -> str:
    return registration.register_patient(desk, registration_in(mrn="mrn-1001"), now=NOW).id


def invite(desk: Caller, patient_id: str, **body: Any) -> str:
    issued = invitations.invite(
        desk, patient_id, InvitationIn.model_validate({"delivery": "email", **body}), now=NOW
    )
    return issued.code


# --- registration -------------------------------------------------------------------------------------


def test_registering_writes_the_profile_its_directory_entry_and_an_audit_event(
    desk: Caller, maria: str
) -> None:
    profile = profile_service.profile_of(maria)
    assert (profile.legal_name.family, profile.sex, profile.mrn) == ("Núñez", "female", "MRN-1001")
    [found] = profile_service.born_on_with_name("NUNEZ", "maria", BORN)
    assert found.id == maria
    events, _ = list_for_patient(maria, limit=10, cursor=None)
    assert [(e.action, e.actor_sub) for e in events] == [("patient.register", "sub-desk")]


def test_the_same_name_and_birth_date_is_offered_instead_of_a_second_record(desk: Caller, maria: str) -> None:
    with pytest.raises(registration.DuplicatePatient) as refused:
        registration.register_patient(desk, registration_in(legal_name={"given": "MARIA", "family": "Nunez"}))
    assert (refused.value.existing.id, refused.value.existing.matched_by) == (maria, "name_and_birth_date")
    assert refused.value.to_body()["error"]["existing"]["display_name"] == "Núñez, Maria"  # type: ignore[index]

    # Someone else with the same name and birth date, checked at the desk: registered.
    twin = registration.register_patient(desk, registration_in(not_a_duplicate=True))
    assert twin.created
    assert twin.id != maria


def test_the_same_mrn_is_refused_even_for_another_name_and_an_importer_skips_it(
    desk: Caller, maria: str
) -> None:
    other = registration_in(
        legal_name={"given": "Ana", "family": "Other"}, mrn="MRN-1001", not_a_duplicate=True
    )
    with pytest.raises(registration.DuplicatePatient) as refused:
        registration.register_patient(desk, other)
    assert (refused.value.existing.id, refused.value.existing.matched_by) == (maria, "mrn")

    again = registration.register_patient(desk, other, same_mrn="skip")
    assert (again.id, again.created) == (maria, False)


def test_an_mrn_taken_between_the_check_and_the_write_is_still_one_patient(
    desk: Caller, maria: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The race: the check sees no MRN (another registration has not landed yet), the write then meets it.
    monkeypatch.setattr(registration, "find_duplicate", lambda body: None)
    with pytest.raises(errors.Conflict):
        registration.register_patient(desk, registration_in(mrn="MRN-1001", not_a_duplicate=True))
    assert enrolment_store.patient_with_mrn("MRN-1001") == maria


# --- invitations --------------------------------------------------------------------------------------


def test_an_email_invitation_carries_the_code_and_link_and_stores_only_a_hash(
    desk: Caller, maria: str
) -> None:
    code = invite(desk, maria)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}", code)
    [mail] = sent_emails()
    assert mail.destinations["ToAddresses"] == ["maria@example.org"]
    assert code in mail.body
    assert "/activate" in mail.body
    [stored] = enrolment_store.list_invitations(maria)
    assert code.replace("-", "") not in stored.model_dump_json()
    assert stored.expires_at == NOW + timedelta(days=14)


def test_a_letter_invitation_is_a_printable_page_with_the_code(desk: Caller, maria: str) -> None:
    issued = invitations.invite(desk, maria, InvitationIn(delivery="letter"), now=NOW)
    assert issued.letter_html
    assert issued.code in issued.letter_html
    assert config.clinic().name in issued.letter_html
    assert "Maria Núñez" in issued.letter_html
    assert BORN.isoformat() not in issued.letter_html  # the birth date is what the reader must know
    assert sent_emails() == []


def test_the_letter_speaks_the_patients_language(desk: Caller) -> None:
    spanish = registration.register_patient(desk, registration_in(mrn="mrn-1002"), now=NOW).id
    # Registration takes no language: the patient (or the desk, in their profile) saves it later.
    aws.table().update_item(
        Key=patient_store.profile_key(spanish),
        UpdateExpression="SET preferred_language = :es",
        ExpressionAttributeValues={":es": "es"},
    )

    letter = invitations.invite(desk, spanish, InvitationIn(delivery="letter"), now=NOW).letter_html

    assert letter
    assert '<html lang="es">' in letter
    assert "Su código para activar el portal del paciente" in letter
    assert "fecha de nacimiento del paciente" in letter
    assert "Llámenos al" in letter
    expires = NOW + timedelta(days=14)
    assert f"vence el <strong>{expires.day} de " in letter
    for english in ("activation code", "Go to", "expires", "Questions?"):
        assert english not in letter


def test_the_letter_is_in_english_when_the_language_is_english(desk: Caller, maria: str) -> None:
    letter = invitations.invite(desk, maria, InvitationIn(delivery="letter"), now=NOW).letter_html
    assert letter
    assert '<html lang="en">' in letter
    assert "Your patient portal activation code" in letter


def test_an_invitation_nobody_could_activate_is_refused(desk: Caller) -> None:
    no_address = registration.register_patient(desk, registration_in(address=None)).id
    with pytest.raises(errors.Conflict):
        invitations.invite(desk, no_address, InvitationIn(delivery="letter"))


# --- activation ---------------------------------------------------------------------------------------


def test_the_right_code_and_facts_pass_the_check(desk: Caller, maria: str) -> None:
    code = invite(desk, maria)
    ok = activation.check(
        ActivationCheckIn.model_validate(facts(code.lower().replace("-", " "))), VISITOR, now=NOW
    )
    assert (ok.kind, ok.first_name) == ("self", "Maria")


def test_an_unknown_code_and_wrong_facts_get_the_same_answer(desk: Caller, maria: str) -> None:
    code = invite(desk, maria)
    answers = []
    for attempt in (
        facts("AAAA-AAAA-AA"),
        facts(code, birth_date="1984-06-10"),
        facts(code, second_fact="97202"),
    ):
        with pytest.raises(activation.ActivationRefused) as refused:
            activation.check(ActivationCheckIn.model_validate(attempt), VISITOR, now=NOW)
        answers.append(refused.value.to_body())
    assert answers[0] == answers[1] == answers[2]


def test_the_sixth_attempt_is_refused_even_with_the_right_facts_and_the_desk_sees_the_lock(
    desk: Caller, maria: str
) -> None:
    code = invite(desk, maria)
    for _ in range(5):
        with pytest.raises(activation.ActivationRefused):
            activation.check(
                ActivationCheckIn.model_validate(facts(code, second_fact="11111")), VISITOR, now=NOW
            )
    with pytest.raises(activation.ActivationRefused):
        activation.check(ActivationCheckIn.model_validate(facts(code)), VISITOR, now=NOW)
    with pytest.raises(activation.ActivationRefused):
        activation.complete(complete_in(code), VISITOR, now=NOW)
    [listed] = invitations.list_invitations(desk, maria, now=NOW).items
    assert (listed.status, listed.locked, listed.failed_attempts) == ("locked", True, 5)
    assert user_store.find_by_username("maria84") is None


def test_activation_makes_a_patient_account_linked_to_the_record(
    desk: Caller, maria: str, user_pool: str
) -> None:
    code = invite(desk, maria)
    done = activation.complete(complete_in(code, username="Maria84"), VISITOR, now=NOW)
    assert (done.username, done.patient_id) == ("maria84", maria)

    account = user_store.find_by_username("maria84")
    assert account is not None
    assert account.role is Role.PATIENT
    assert account.acts_for == {maria: "self"}
    cognito = boto3.client("cognito-idp", region_name=os.environ["AWS_DEFAULT_REGION"])
    groups = cognito.admin_list_groups_for_user(UserPoolId=user_pool, Username="maria84")["Groups"]
    assert [g["GroupName"] for g in groups] == ["patient"]
    signed_in = cognito.admin_initiate_auth(
        UserPoolId=user_pool,
        ClientId=cognito.create_user_pool_client(UserPoolId=user_pool, ClientName="c")["UserPoolClient"][
            "ClientId"
        ],
        AuthFlow="ADMIN_NO_SRP_AUTH",
        AuthParameters={"USERNAME": "maria84", "PASSWORD": PASSWORD},
    )
    assert "AccessToken" in signed_in["AuthenticationResult"]  # a permanent password: no challenge
    events, _ = list_for_patient(maria, limit=10, cursor=None)
    assert "invitation.activate" in [e.action for e in events]


def test_a_code_works_once(desk: Caller, maria: str) -> None:
    code = invite(desk, maria)
    activation.complete(complete_in(code), VISITOR, now=NOW)
    with pytest.raises(activation.ActivationRefused):
        activation.check(ActivationCheckIn.model_validate(facts(code)), VISITOR, now=NOW)
    with pytest.raises(activation.ActivationRefused):
        activation.complete(complete_in(code, username="someone-else"), VISITOR, now=NOW)
    # The same activation sent again (a lost answer) answers as before and makes nothing new.
    again = activation.complete(complete_in(code), VISITOR, now=NOW)
    assert again.patient_id == maria


def test_a_code_expires_after_the_clinic_setting(desk: Caller, maria: str) -> None:
    code = invite(desk, maria)
    days = config.clinic().enrolment.invitation_days
    last_moment = NOW + timedelta(days=days) - timedelta(seconds=1)
    assert activation.check(ActivationCheckIn.model_validate(facts(code)), VISITOR, now=last_moment).ok
    with pytest.raises(activation.ActivationRefused):
        activation.check(
            ActivationCheckIn.model_validate(facts(code)), VISITOR, now=NOW + timedelta(days=days)
        )
    with pytest.raises(activation.ActivationRefused):
        activation.complete(complete_in(code), VISITOR, now=NOW + timedelta(days=days))


def test_an_activation_that_failed_half_way_is_finished_by_its_retry(
    desk: Caller, maria: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = invite(desk, maria)
    real_link = user_store.link_patient

    def link_fails(**kwargs: Any) -> None:
        raise RuntimeError("lost connection")

    monkeypatch.setattr(user_store, "link_patient", link_fails)
    with pytest.raises(RuntimeError):
        activation.complete(complete_in(code), VISITOR, now=NOW)
    # The sign-in exists but the code is not used and the account not linked: the retry finishes it.
    monkeypatch.setattr(user_store, "link_patient", real_link)
    done = activation.complete(complete_in(code), VISITOR, now=NOW)
    assert done.patient_id == maria
    account = user_store.find_by_username("maria84")
    assert account is not None
    assert account.acts_for == {maria: "self"}
    [listed] = invitations.list_invitations(desk, maria, now=NOW).items
    assert listed.status == "used"


def test_a_half_done_activation_is_not_taken_over_with_another_username(desk: Caller, maria: str) -> None:
    code = invite(desk, maria)
    [invitation] = enrolment_store.list_invitations(maria)
    assert enrolment_store.claim(invitation, "maria84")
    with pytest.raises(activation.ActivationRefused):
        activation.complete(complete_in(code, username="intruder"), VISITOR, now=NOW)


def test_a_taken_username_is_refused_and_another_can_be_chosen(
    desk: Caller, maria: str, user_pool: str
) -> None:
    boto3.client("cognito-idp", region_name=os.environ["AWS_DEFAULT_REGION"]).admin_create_user(
        UserPoolId=user_pool, Username="taken", MessageAction="SUPPRESS"
    )
    code = invite(desk, maria)
    with pytest.raises(errors.Conflict) as refused:
        activation.complete(complete_in(code, username="taken"), VISITOR, now=NOW)
    assert refused.value.fields == {"username": "already taken"}
    assert activation.complete(complete_in(code, username="maria84"), VISITOR, now=NOW).username == "maria84"


def test_a_caregiver_invitation_activates_into_a_proxy_grant(desk: Caller, maria: str) -> None:
    code = invite(
        desk,
        maria,
        kind="caregiver",
        email="sam@example.org",
        caregiver_name="Sam Núñez",
        relationship="spouse",
    )
    assert "sam@example.org" in sent_emails()[0].destinations["ToAddresses"]
    activation.complete(complete_in(code, username="sam"), VISITOR, now=NOW)
    account = user_store.find_by_username("sam")
    assert account is not None
    assert account.acts_for == {maria: "caregiver"}
    assert account.display_name == "Sam Núñez"
    listed = proxy_service.list_proxies(
        Caller(sub="sub-desk", username="d", role=Role.FRONT_DESK, display_name="D", request_id="r"), maria
    )
    assert [(p.display_name, p.relationship) for p in listed.items] == [("Sam Núñez", "spouse")]


def test_resend_makes_a_new_code_and_the_old_one_stops_working(desk: Caller, maria: str) -> None:
    old = invite(desk, maria)
    [first] = enrolment_store.list_invitations(maria)
    new = invitations.resend(desk, maria, first.id, now=NOW).code
    assert new != old
    with pytest.raises(activation.ActivationRefused):
        activation.check(ActivationCheckIn.model_validate(facts(old)), VISITOR, now=NOW)
    assert activation.check(ActivationCheckIn.model_validate(facts(new)), VISITOR, now=NOW).ok
    statuses = sorted(i.status for i in invitations.list_invitations(desk, maria, now=NOW).items)
    assert statuses == ["pending", "revoked"]


def test_a_revoked_code_is_refused(desk: Caller, maria: str) -> None:
    code = invite(desk, maria)
    [invitation] = enrolment_store.list_invitations(maria)
    invitations.revoke(desk, maria, invitation.id)
    with pytest.raises(activation.ActivationRefused):
        activation.check(ActivationCheckIn.model_validate(facts(code)), VISITOR, now=NOW)
    with pytest.raises(errors.Conflict):
        invitations.revoke(desk, maria, invitation.id)


# --- self-registration requests -----------------------------------------------------------------------


def request_in() -> RegistrationRequestIn:
    return RegistrationRequestIn.model_validate(
        {
            "legal_name": {"given": "Lee", "family": "Park"},
            "birth_date": "1990-02-03",
            "sex": "male",
            "email": "lee@example.org",
            "address": {"line1": "2 Elm St", "city": "Portland", "state": "OR", "postal_code": "97202"},
        }
    )


def test_requests_are_refused_unless_the_clinic_takes_them() -> None:
    assert config.clinic().enrolment.self_registration is False
    with pytest.raises(errors.NotFound):
        requests.submit(request_in())


@pytest.fixture
def takes_requests(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    clinic = config.clinic()
    changed = clinic.model_copy(
        update={"enrolment": clinic.enrolment.model_copy(update={"self_registration": True})}
    )
    monkeypatch.setenv("CLINIC_CONFIG", changed.model_dump_json())
    config.clinic.cache_clear()
    yield
    config.clinic.cache_clear()


@pytest.mark.usefixtures("takes_requests")
def test_a_request_queues_for_the_desk_and_registering_it_creates_the_patient(desk: Caller) -> None:
    requests.submit(request_in(), now=NOW)
    [queued] = requests.open_requests(desk, None).items
    decided = requests.decide(desk, queued.id, RegistrationDecisionIn(decision="register"), now=NOW)
    assert decided.state == "registered"
    assert decided.patient_id
    assert profile_service.profile_of(decided.patient_id).legal_name.family == "Park"
    assert requests.open_requests(desk, None).items == []
    with pytest.raises(errors.Conflict):
        requests.decide(desk, queued.id, RegistrationDecisionIn(decision="decline"))


@pytest.mark.usefixtures("takes_requests")
def test_a_request_can_be_matched_to_an_existing_record_or_declined(desk: Caller, maria: str) -> None:
    requests.submit(request_in(), now=NOW)
    requests.submit(request_in(), now=NOW + timedelta(minutes=1))
    first, second = requests.open_requests(desk, None).items
    matched = requests.decide(desk, first.id, RegistrationDecisionIn(decision="match", patient_id=maria))
    assert (matched.state, matched.patient_id) == ("matched", maria)
    declined = requests.decide(desk, second.id, RegistrationDecisionIn(decision="decline"))
    assert (declined.state, declined.patient_id) == ("declined", None)
