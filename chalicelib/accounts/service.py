"""Who am I, and whose records may I open."""

from __future__ import annotations

from chalicelib.accounts.models import MeOut, PatientRef, UserOut
from chalicelib.core.access import Caller
from chalicelib.patients import profiles as patient_profiles


def whoami(caller: Caller) -> MeOut:
    """The signed-in user and the patients they may act for (themselves, people in their care)."""
    profiles = patient_profiles.profiles_of(list(caller.acts_for))
    # Self first, then the people in the caller's care by name; a dangling link is left out.
    refs = sorted(
        (
            PatientRef(id=pid, display_name=profiles[pid].display_name, relationship=relationship)
            for pid, relationship in caller.acts_for.items()
            if pid in profiles
        ),
        key=lambda ref: (ref.relationship != "self", ref.display_name),
    )
    return MeOut(
        user=UserOut(
            sub=caller.sub, username=caller.username, display_name=caller.display_name, role=caller.role
        ),
        patients=refs,
    )


def sign_out(caller: Caller) -> None:
    """End every session of this user: tokens issued before this second are refused from now on."""
    import time

    from chalicelib.core import users as user_store
    from chalicelib.core.observability import logger

    user_store.record_sign_out(caller.sub, int(time.time()))
    logger.info("session.signed_out")
