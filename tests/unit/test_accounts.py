"""Who am I: the signed-in user and the patients whose records they may open."""

from __future__ import annotations

from chalicelib.accounts import service as accounts
from chalicelib.core.identity import Role
from tests.unit.conftest import CallerFactory, PatientFactory


def test_whoami_lists_self_first_then_people_in_my_care_by_name(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    me = make_patient(legal_name={"given": "Maria", "family": "Lopez"}, preferred_name="Mari")
    zoe = make_patient(legal_name={"given": "Zoe", "family": "Lopez"})
    ana = make_patient(legal_name={"given": "Anastasia", "family": "Lopez"}, preferred_name="Ana")
    caller = caller_for(
        acts_for={zoe.id: "caregiver", me.id: "self", ana.id: "caregiver"},
        sub="sub-maria",
        name="Mari Lopez",
    )

    result = accounts.whoami(caller)

    assert [(p.id, p.display_name, p.relationship) for p in result.patients] == [
        (me.id, "Mari Lopez", "self"),
        (ana.id, "Ana Lopez", "caregiver"),
        (zoe.id, "Zoe Lopez", "caregiver"),
    ]
    assert (result.user.sub, result.user.display_name, result.user.role) == (
        "sub-maria",
        "Mari Lopez",
        Role.PATIENT,
    )


def test_a_link_to_a_patient_without_a_profile_is_left_out(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    me = make_patient()
    caller = caller_for(acts_for={me.id: "self", "p-deleted": "caregiver"})

    result = accounts.whoami(caller)

    assert [p.id for p in result.patients] == [me.id]


def test_staff_see_themselves_and_no_patients(
    make_patient: PatientFactory, caller_for: CallerFactory
) -> None:
    make_patient()

    result = accounts.whoami(caller_for(Role.CLINICIAN, sub="sub-doc", name="Dr. Rivera"))

    assert result.patients == []
    assert (result.user.display_name, result.user.role) == ("Dr. Rivera", Role.CLINICIAN)
