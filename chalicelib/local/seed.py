"""The demo clinic: staff for every role, patients with profiles, a caregiver link, some history.

Idempotent: users and profiles that already exist are left as they are (so edits survive a re-seed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.core import audit_log, aws, users
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.identity import Role
from chalicelib.local import seed_appointments
from chalicelib.patients import store as patient_store
from chalicelib.patients.models import PatientProfile

DEMO_PASSWORD = "Demo-Portal-2026!"
TEMPORARY_PASSWORD = "Welcome-Temp-2026!"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: Role
    email: str
    patient_id: str | None = None
    temporary: bool = False  # first sign-in must choose a new password

    @property
    def password(self) -> str:
        return TEMPORARY_PASSWORD if self.temporary else DEMO_PASSWORD


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("alex", "Alex Morgan", Role.PATIENT, "alex@patients.example", patient_id="p-4f1c2a9e"),
    DemoUser("maria", "María González", Role.PATIENT, "maria@patients.example", patient_id="p-8b3d7e21"),
    DemoUser(
        "newpatient", "Chris Taylor", Role.PATIENT, "chris@patients.example", "p-c5a0f613", temporary=True
    ),
    # A parent and a 15-year-old with an account of their own: the teen rules (core/minors.py) apply to Jamie.
    DemoUser("jamie", "Jamie Morgan", Role.PATIENT, "jamie@patients.example", patient_id="p-9d2c4f87"),
    DemoUser("quinn", "Quinn Morgan", Role.PATIENT, "quinn@patients.example", patient_id="p-7a3e5b10"),
    DemoUser("drrivera", "Dr. Priya Rivera", Role.CLINICIAN, "rivera@riverside.example"),
    DemoUser("frontdesk", "Sam Lee", Role.FRONT_DESK, "frontdesk@riverside.example"),
    DemoUser("billing", "Jordan Kim", Role.BILLING, "billing@riverside.example"),
    DemoUser("admin", "Taylor Brooks", Role.ADMIN, "admin@riverside.example"),
)

CHILD_PATIENT_ID = "p-2e9a61d4"  # Alex's son; no login of his own, Alex acts for him as caregiver
TEEN_PATIENT_ID = "p-7a3e5b10"  # Quinn, 15: Jamie's grant as parent shows the teen-safe areas only


def _profiles() -> list[dict[str, Any]]:
    return [
        {
            "id": "p-4f1c2a9e",
            "legal_name": {"given": "Alexandra", "family": "Morgan"},
            "preferred_name": "Alex",
            "pronouns": "she/her",
            "birth_date": "1984-03-09",
            "phone": "+12175550142",
            "email": "alex@patients.example",
            "address": {
                "line1": "42 Maple Avenue",
                "line2": "Apt 3",
                "city": "Springfield",
                "state": "IL",
                "postal_code": "62704",
            },
            "emergency_contact": {"name": "Jamie Morgan", "relationship": "Spouse", "phone": "+12175550199"},
            "communication": {"email_notifications": True, "sms_notifications": True},
        },
        {
            "id": "p-8b3d7e21",
            "legal_name": {"given": "María", "family": "González"},
            "birth_date": "1957-11-22",
            "phone": "+12175550187",
            "email": "maria@patients.example",
            "preferred_language": "es",
            "address": {
                "line1": "918 Oak Street",
                "city": "Springfield",
                "state": "IL",
                "postal_code": "62702",
            },
            "emergency_contact": {"name": "Luis González", "relationship": "Son", "phone": "+12175550111"},
            "communication": {"preferred_contact_method": "phone"},
        },
        {
            "id": "p-c5a0f613",
            "legal_name": {"given": "Christopher", "family": "Taylor"},
            "preferred_name": "Chris",
            "birth_date": "1992-06-30",
            "email": "chris@patients.example",
        },
        {
            "id": "p-9d2c4f87",
            "legal_name": {"given": "Jamie", "family": "Morgan"},
            "birth_date": "1982-07-11",
            "phone": "+12175550199",
            "email": "jamie@patients.example",
        },
        {
            "id": TEEN_PATIENT_ID,
            "legal_name": {"given": "Quinn", "family": "Morgan"},
            "birth_date": "2011-05-20",
            "phone": "+12175550164",
            "email": "quinn@patients.example",
        },
        {
            "id": CHILD_PATIENT_ID,
            "legal_name": {"given": "Riley", "family": "Morgan"},
            "birth_date": "2016-08-14",
            "address": {
                "line1": "42 Maple Avenue",
                "line2": "Apt 3",
                "city": "Springfield",
                "state": "IL",
                "postal_code": "62704",
            },
        },
    ]


def _ensure_cognito_user(user: DemoUser, pool_id: str) -> str:
    """Create the sign-in (or find it) and return its sub."""
    cognito = aws.cognito_client()
    try:
        created = cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=user.username,
            TemporaryPassword=TEMPORARY_PASSWORD,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": user.email},
                {"Name": "email_verified", "Value": "true"},
            ],
        )["User"]
        if not user.temporary:
            cognito.admin_set_user_password(
                UserPoolId=pool_id, Username=user.username, Password=DEMO_PASSWORD, Permanent=True
            )
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=user.username, GroupName=user.role.value)
        attributes = created["Attributes"]
    except cognito.exceptions.UsernameExistsException:
        attributes = cognito.admin_get_user(UserPoolId=pool_id, Username=user.username)["UserAttributes"]
    return next(str(a["Value"]) for a in attributes if a["Name"] == "sub")


def _enrol_totp(user: DemoUser) -> None:
    """Enrol the demo secret as this user's authenticator, as a person would from the enrolment page.

    Already enrolled (a re-seed): Cognito asks for a code at sign-in, and nothing is changed.
    """
    from chalicelib.core.config import settings
    from chalicelib.local.totp import DEMO_TOTP_SECRET, current_code

    cognito = aws.cognito_client()
    answer = cognito.initiate_auth(
        ClientId=settings().user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": user.password},
    )
    if "AuthenticationResult" not in answer:
        return
    token = answer["AuthenticationResult"]["AccessToken"]
    secret = cognito.associate_software_token(AccessToken=token)["SecretCode"]
    if secret != DEMO_TOTP_SECRET:  # `python -m chalicelib.local.totp` could not tell their codes
        raise RuntimeError("the local Cognito no longer hands out the demo TOTP secret")
    cognito.verify_software_token(AccessToken=token, UserCode=current_code(secret))
    cognito.set_user_mfa_preference(
        AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )


def _history(patient_id: str, subs: dict[str, str], now: datetime) -> list[AuditEvent]:
    """A little past activity so a patient's access log reads like a real one (same ids on a re-seed)."""
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    return [
        AuditEvent(
            id=f"seed-{patient_id}-{days}-{action}",
            patient_id=patient_id,
            at=noon - timedelta(days=days, minutes=len(action)),
            actor_sub=subs[username],
            actor_name=actor,
            actor_role=role,
            action=action,
            target="profile",
            request_id=f"seed-{days}",
        )
        for days, username, actor, role, action in (
            (9, "frontdesk", "Sam Lee", Role.FRONT_DESK, "profile.read"),
            (9, "frontdesk", "Sam Lee", Role.FRONT_DESK, "profile.update"),
            (4, "drrivera", "Dr. Priya Rivera", Role.CLINICIAN, "profile.read"),
        )
    ]


def _grant_parent_access(subs: dict[str, str]) -> None:
    """Alex is Riley's parent: granted the way the front desk does it, so it is listed and revocable."""
    from chalicelib.core.access import Caller
    from chalicelib.proxies import service as proxies
    from chalicelib.proxies import store as proxy_store
    from chalicelib.proxies.models import ProxyGrantIn

    front_desk = Caller(
        sub=subs["frontdesk"],
        username="frontdesk",
        role=Role.FRONT_DESK,
        display_name="Sam Lee",
        request_id="seed",
        acts_for={},
    )
    for child, parent, note in (
        (CHILD_PATIENT_ID, "alex", "Birth certificate and Alex's ID checked at Riley's registration"),
        (TEEN_PATIENT_ID, "jamie", "Birth certificate and Jamie's ID checked at Quinn's registration"),
    ):
        if any(grant.sub == subs[parent] for grant in proxy_store.list_for_patient(child)):
            continue
        proxies.grant_proxy(
            front_desk, child, ProxyGrantIn(username=parent, relationship="parent", verification_note=note)
        )


def seed(pool_id: str, *, now: datetime | None = None) -> tuple[DemoUser, ...]:
    """Seed the demo clinic into the configured table and user pool."""
    now = now or datetime.now(UTC)
    for raw in _profiles():
        if not users.patient_exists(raw["id"]):
            patient_store.create_profile(PatientProfile.model_validate({**raw, "updated_at": now}))
        else:  # profiles seeded before the directory existed become findable
            patient_store.ensure_in_directory(raw["id"])
    subs = {user.username: _ensure_cognito_user(user, pool_id) for user in DEMO_USERS}
    for user in DEMO_USERS:
        users.put_account(
            sub=subs[user.username],
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            email=user.email,
        )
        if user.role is not Role.PATIENT:  # staff reach nothing without an authenticator
            _enrol_totp(user)
            users.change_account(subs[user.username], mfa_enabled=True)
        if user.patient_id:
            users.link_patient(sub=subs[user.username], patient_id=user.patient_id, relationship="self")
    _grant_parent_access(subs)
    for patient_id in ("p-4f1c2a9e", "p-8b3d7e21"):
        for event in _history(patient_id, subs, now):
            audit_log.put(event)
    seed_appointments.seed(subs, now)
    from chalicelib.local import seed_access

    seed_access.seed(subs, now)
    from chalicelib.local.seed_records import seed_records

    seed_records(now=now)
    from chalicelib.local import seed_messages  # after records (refills need meds)

    seed_messages.seed(subs, now)
    from chalicelib.local import seed_billing

    seed_billing.seed(subs, now)
    from chalicelib.local import seed_checkins  # after records and billing: it is compared with them

    seed_checkins.seed(subs, now)
    return DEMO_USERS
