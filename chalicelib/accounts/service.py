"""Who am I, whose records may I open, and the account's own security (MFA, sign-out, lost username,
signing in with an email address, changing the password)."""

from __future__ import annotations

import secrets
import time
from typing import Any, Final
from urllib.parse import quote, urlencode

from chalicelib.accounts import store
from chalicelib.accounts.models import (
    EmailSignInOut,
    ForgotUsernameOut,
    MeOut,
    MfaStatusOut,
    PatientRef,
    TotpSetupOut,
    UserOut,
)
from chalicelib.core import account_events, config, errors, i18n, minors, notify, rate_limit
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller, Visitor
from chalicelib.core.identity import Relationship
from chalicelib.core.observability import logger
from chalicelib.patients import profiles as patient_profiles
from chalicelib.patients.models import PatientProfile

# "Forgot username" emails whatever address is typed: limited per source address and per email address,
# counted before any lookup, so neither the answer nor a refusal says whether an account has the address.
FORGOT_USERNAME_PER_SOURCE: Final = rate_limit.Limit("forgot-username-source", hits=10, window_seconds=3600)
FORGOT_USERNAME_PER_ADDRESS: Final = rate_limit.Limit("forgot-username-address", hits=3, window_seconds=3600)
FORGOT_USERNAME_ANSWER: Final = (
    "If an account uses that email address, we have sent its username there. "
    "Nothing arrived? Check the spelling, look in your spam folder, or call the clinic."
)


# The one answer to an email sign-in that did not open an account, whatever the reason (no account has the
# address, a wrong password, an account locked or turned off): it must not tell which.
SIGN_IN_REFUSED: Final = "the email address or the password is not right"
# An address several accounts share (a parent's and their own, say) is tried this far, in username order:
# each try is a password check that counts toward that account's lockout in Cognito.
MAX_SIGN_IN_ACCOUNTS: Final = 5
# No account has this name (a real username has no "#"): Cognito refuses it after the same password work.
_NOBODY: Final = "no#account#"


def _patient_ref(caller: Caller, pid: str, relationship: Relationship, profile: PatientProfile) -> PatientRef:
    """One record the caller may open, with what the web should offer of it (the guard refuses the rest)."""
    scope = caller.scope_for(pid)
    areas = None if scope.areas is None else sorted(scope.areas)
    immunizations_only = False
    # A teenager's parent: the teen-safe part of the grant (the same rule as minors.teen_rules_apply, from
    # the profile already read).
    if relationship == "caregiver" and pid in caller.parental and minors.is_teen_born(profile.birth_date):
        areas, immunizations_only = minors.parents_view(scope.areas)
    return PatientRef(
        id=pid,
        display_name=profile.display_name,
        relationship=relationship,
        areas=areas,
        access=scope.access,
        immunizations_only=immunizations_only,
    )


def whoami(caller: Caller) -> MeOut:
    """The signed-in user and the patients they may act for (themselves, people in their care)."""
    profiles = patient_profiles.profiles_of(list(caller.acts_for))
    # Self first, then the people in the caller's care by name; a dangling link is left out.
    refs = sorted(
        (
            _patient_ref(caller, pid, relationship, profiles[pid])
            for pid, relationship in caller.acts_for.items()
            if pid in profiles
        ),
        key=lambda ref: (ref.relationship != "self", ref.display_name),
    )
    own = next((profiles.get(pid) for pid, rel in caller.acts_for.items() if rel == "self"), None)
    return MeOut(
        user=UserOut(
            sub=caller.sub,
            username=caller.username,
            display_name=caller.display_name,
            role=caller.role,
            mfa_enabled=caller.mfa_enabled,
            mfa_required=caller.is_staff,
            language=i18n.portal_locale(own.preferred_language if own else caller.language),
        ),
        patients=refs,
    )


def save_language(caller: Caller, language: i18n.Locale) -> None:
    """The language the portal speaks to this person. A patient's goes on their record, where the clinic's
    letters read it (with the record's audit event); the account keeps it too, for everyone, in the same
    transaction."""
    own = next((pid for pid, rel in caller.acts_for.items() if rel == "self"), None)
    on_record = (
        patient_profiles.language_entries(caller, patient_profiles.profile_of(own), language) if own else []
    )
    user_store.change_account(
        caller.sub, language=language, also=[*on_record, _own_event(caller, "language.save")]
    )
    logger.info("language saved", extra={"language": language, "on_record": bool(on_record)})


def sign_out(caller: Caller) -> None:
    """End every session of this user: tokens issued before this second are refused from now on, and
    Cognito revokes the refresh tokens, so no browser can quietly get new ones."""
    user_store.record_sign_out(caller.sub, int(time.time()))
    store.global_sign_out(caller.username)
    logger.info("session.signed_out")


def _audit(caller: Caller, action: str) -> None:
    """A security event for a change Cognito holds (the password): recorded on its own."""
    account_events.record(
        account_sub=caller.sub,
        actor_sub=caller.sub,
        actor_role=caller.role,
        action=action,
        request_id=caller.request_id,
    )


def _own_event(caller: Caller, action: str) -> dict[str, Any]:
    """The account's security event, written in the same transaction as the change it describes."""
    return account_events.entry(
        account_sub=caller.sub,
        actor_sub=caller.sub,
        actor_role=caller.role,
        action=action,
        request_id=caller.request_id,
    )


def otpauth_uri(*, issuer: str, account_name: str, secret: str) -> str:
    """The Key Uri Format authenticator apps read from a QR code: otpauth://totp/Issuer:account?..."""
    label = quote(f"{issuer}:{account_name}", safe=":@")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": "6", "period": "30"},
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def start_totp_setup(caller: Caller) -> TotpSetupOut:
    """A fresh secret for the caller's authenticator app; nothing changes until a code is verified."""
    secret = store.associate_software_token(caller.access_token)
    issuer = config.clinic().name
    logger.info("mfa.setup_started")
    return TotpSetupOut(
        secret=secret,
        otpauth_uri=otpauth_uri(issuer=issuer, account_name=caller.username, secret=secret),
        issuer=issuer,
        account_name=caller.username,
    )


def verify_totp(caller: Caller, code: str) -> MfaStatusOut:
    """Check a code from the app, then make TOTP the caller's second sign-in step."""
    if not store.verify_software_token(caller.access_token, code):
        raise errors.BadRequest(
            "that code isn't right: check the time on your phone and enter the code the app shows now",
            fields={"code": "the code does not match"},
        )
    store.set_software_token_mfa(caller.access_token, enabled=True)
    user_store.change_account(caller.sub, mfa_enabled=True, also=[_own_event(caller, "mfa.enrolled")])
    logger.info("mfa.enrolled")
    return MfaStatusOut(mfa_enabled=True)


def turn_off_mfa(caller: Caller) -> MfaStatusOut:
    """Patients may sign in with a password alone again; staff never (the policy keeps them out)."""
    if caller.is_staff:  # the policy already refuses staff; kept here so the rule reads in one place
        raise errors.Forbidden("staff accounts must keep two-step sign-in")
    store.set_software_token_mfa(caller.access_token, enabled=False)
    user_store.change_account(caller.sub, mfa_enabled=False, also=[_own_event(caller, "mfa.turned_off")])
    logger.info("mfa.turned_off")
    return MfaStatusOut(mfa_enabled=False)


def forgot_username(email: str, visitor: Visitor) -> ForgotUsernameOut:
    """Email the usernames on this address, if any; the answer is the same either way."""
    rate_limit.hit(FORGOT_USERNAME_PER_SOURCE, visitor.source_ip)
    rate_limit.hit(FORGOT_USERNAME_PER_ADDRESS, email.strip().lower())
    usernames = user_store.usernames_for_email(email)
    if usernames:
        clinic = config.clinic()
        names = "\n".join(f"  {name}" for name in usernames)
        notify.send(
            email,
            notify.Notice(
                subject=f"Your {clinic.name} portal username",
                text=(
                    f"You asked for the username of your {clinic.name} patient portal account.\n\n"
                    f"{names}\n\nSign in at {notify.portal_url()}\n\n"
                    f"Didn't ask? You can ignore this email. Questions? Call us at {clinic.phone_display}."
                ),
            ),
        )
    logger.info("account.forgot_username", extra={"found": bool(usernames)})
    return ForgotUsernameOut(message=FORGOT_USERNAME_ANSWER)


def _usernames_for_sign_in(email: str) -> list[str]:
    """The accounts this address signs in to: those carrying it as their email, and one whose username is
    the address itself (activation takes an email address as a username)."""
    usernames = user_store.usernames_for_email(email)
    own = user_store.find_by_username(email)
    if own is not None and not own.disabled and own.username not in usernames:
        usernames.insert(0, own.username)
    return usernames[:MAX_SIGN_IN_ACCOUNTS]


def _sign_in_answer(answer: dict[str, Any], username: str) -> EmailSignInOut:
    parameters = {str(key): str(value) for key, value in (answer.get("ChallengeParameters") or {}).items()}
    if answer.get("ChallengeName"):  # the browser answers the challenge as this account's username
        parameters.setdefault("USER_ID_FOR_SRP", username)
    return EmailSignInOut.model_validate({**answer, "ChallengeParameters": parameters})


def sign_in_with_email(email: str, password: str) -> EmailSignInOut:
    """Cognito's answer for the first account on this address that the password opens (tokens, or the
    next challenge). Every refusal is the same SignInFailed, after a Cognito password check either way,
    so neither the answer nor its time says whether the address has an account."""
    usernames = _usernames_for_sign_in(email)
    for username in usernames:
        answer = store.initiate_password_auth(username, password)
        if answer is not None:
            logger.info("account.signed_in_by_email", extra={"step": answer.get("ChallengeName") or "tokens"})
            return _sign_in_answer(answer, username)
    if not usernames:
        store.initiate_password_auth(_NOBODY + secrets.token_hex(8), password)
    logger.info("account.sign_in_by_email_refused")
    raise errors.SignInFailed(SIGN_IN_REFUSED)


def change_password(caller: Caller, *, current: str, new: str) -> None:
    """Change the caller's password, then end every session of theirs, this one too.

    Cognito's ChangePassword leaves every refresh token working (another device would stay signed in for
    up to 12 hours), so the change also signs out everywhere as /session/sign-out does: the portal refuses
    tokens issued before now and Cognito revokes the refresh tokens. The browser then signs in afresh.
    """
    if current == new:
        raise errors.BadRequest(
            "the new password is the same as the current one",
            fields={"new_password": "same as the current one"},
        )
    store.change_password(caller.access_token, current=current, new=new)
    _audit(caller, "password.changed")
    user_store.record_sign_out(caller.sub, int(time.time()))
    store.global_sign_out(caller.username)
    _tell_of_password_change(caller)
    logger.info("password.changed")


def _tell_of_password_change(caller: Caller) -> None:
    """An email to the account's address: someone who took over a session learns nothing from it, and the
    owner learns of a change they did not make."""
    account = user_store.get_account(caller.sub)
    if account is None or not account.email:
        return
    clinic = config.clinic()
    notify.send(
        account.email,
        notify.Notice(
            subject=f"Your {clinic.name} portal password was changed",
            text=(
                f"The password of your {clinic.name} portal account was changed just now, and every "
                "device signed in to it was signed out.\n\n"
                f"Didn't change it? Call us at {clinic.phone_display} straight away.\n\n{notify.portal_url()}"
            ),
        ),
    )
