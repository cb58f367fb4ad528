"""eCheck-in: from `checkin_opens_days` before a booked visit until it starts, the patient confirms
demographics, insurance, medications and allergies and fills in the visit type's questionnaires.

Answers are checked against the clinic's Questionnaire definitions and stored as FHIR QuestionnaireResponse
resources next to the appointment; the appointment's check-in status (on the staff schedule) changes in
the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.appointments import clinic_time as common
from chalicelib.appointments import service as appointment_service
from chalicelib.appointments import store as appointment_store
from chalicelib.appointments.models import (
    Answer,
    Appointment,
    CheckinIn,
    CheckinOnFile,
    CheckinOut,
    CheckinSubmitted,
    ConsentSignature,
    DemographicsOut,
    SubmittedAllergy,
    SubmittedInsurance,
    SubmittedMedication,
    utc_text,
)
from chalicelib.core import audit, config, dynamo, errors, i18n
from chalicelib.core.access import Caller, caller_locale
from chalicelib.core.models import CLINICAL_FIRST_DAY, LAST_DAY
from chalicelib.core.scheduling import Questionnaire, QuestionnaireItem
from chalicelib.patients import profiles as patient_profiles


def _questionnaires(appointment: Appointment, locale: i18n.Locale) -> list[Questionnaire]:
    """The visit's forms in `locale`: what the caller reads is what their answers and signatures keep."""
    try:
        wanted = common.visit_type(appointment.visit_type_id).questionnaires
    except errors.NotFound:
        return []
    by_id = {q.id: q for q in config.clinic().questionnaires}
    return [by_id[q].in_locale(locale) for q in wanted if q in by_id]


def _opens_at(appointment: Appointment) -> datetime:
    return appointment.start - timedelta(days=common.settings().checkin_opens_days)


def on_file(patient_id: str) -> CheckinOnFile:
    """The insurance, medications and allergies on record now (the caller's own action is audited)."""
    from chalicelib.billing import insurance as billing_insurance
    from chalicelib.records import service as record_service
    from chalicelib.records.models import Allergy, Medication

    records = record_service.records_of(patient_id)
    primary = billing_insurance.primary_of(patient_id)
    return CheckinOnFile(
        insurance=SubmittedInsurance(
            carrier=primary.payer_name,
            member_id=primary.member_id,
            group_number=primary.group_number,
            subscriber_name=primary.subscriber.name if primary.subscriber.relationship != "self" else None,
        )
        if primary
        else None,
        medications=sorted(
            (
                SubmittedMedication(name=r.name, dose=r.dose)
                for r in records
                if isinstance(r, Medication) and r.status == "active"
            ),
            key=lambda m: m.name.casefold(),
        ),
        allergies=sorted(
            (
                SubmittedAllergy(substance=r.substance, reaction=r.reaction)
                for r in records
                if isinstance(r, Allergy) and r.status == "active"
            ),
            key=lambda a: a.substance.casefold(),
        ),
    )


def consents_of(
    forms: list[Questionnaire],
    responses: list[dict[str, Any]],
    *,
    signed_at: datetime,
    language: i18n.Locale = i18n.DEFAULT_LOCALE,
) -> list[dict[str, Any]]:
    """A form with a signature item is a consent: keep the typed name, the time, and which text was signed
    (its version and the language it was shown in)."""
    kept: list[dict[str, Any]] = []
    for form, response in zip(forms, responses, strict=True):
        signatures = {i.link_id for i in form.items if i.type == "signature"}
        for answered in response["item"]:
            if answered["linkId"] in signatures:
                kept.append(
                    ConsentSignature(
                        questionnaire_id=form.id,
                        questionnaire_version=form.version,
                        language=language,
                        signed_name=answered["answer"][0]["valueString"],
                        signed_at=signed_at,
                    ).model_dump(mode="json")
                )
    return kept


def get_checkin(
    caller: Caller, patient_id: str, appointment_id: str, *, now: datetime | None = None
) -> CheckinOut:
    now = now or dynamo.utcnow()
    appointment = appointment_service.load(patient_id, appointment_id)
    profile = patient_profiles.profile_of(patient_id)
    stored = appointment_store.get_checkin(patient_id, appointment_id)
    audit.record(caller, patient_id=patient_id, action="checkin.read", target=f"appointment:{appointment_id}")
    address = profile.address
    return CheckinOut(
        appointment_id=appointment.id,
        status=appointment.checkin_status,
        opens_at=common.local(_opens_at(appointment)),
        available_now=appointment.status == "booked" and _opens_at(appointment) <= now < appointment.start,
        demographics=DemographicsOut(
            name=f"{profile.legal_name.given} {profile.legal_name.family}",
            birth_date=profile.birth_date,
            phone=profile.phone,
            email=profile.email,
            address=(
                f"{address.line1}, {address.city}, {address.state} {address.postal_code}" if address else None
            ),
        ),
        questionnaires=_questionnaires(appointment, caller_locale(caller)),
        submitted=CheckinSubmitted.model_validate(stored) if stored else None,
        on_file=on_file(patient_id),
    )


def _enabled(item: QuestionnaireItem, chosen: dict[str, Answer], questionnaire: Questionnaire) -> bool:
    rule = item.enable_when
    if rule is None:
        return True
    if rule.answer_code is not None:
        return chosen.get(rule.questions[0]) == rule.answer_code
    scores = {
        i.link_id: {o.code: o.score or 0 for o in i.options}
        for i in questionnaire.items
        if i.type == "choice"
    }
    total = sum(scores.get(q, {}).get(str(chosen.get(q)), 0) for q in rule.questions)
    return total >= (rule.score_at_least or 0)


def _fhir_answer(item: QuestionnaireItem, value: Answer, where: str) -> dict[str, Any]:
    """Check one answer against its item and return it as a FHIR answer[x]. Raises BadRequest."""

    def refuse(why: str) -> errors.BadRequest:
        return errors.BadRequest("some answers are not valid", fields={where: why})

    if item.type == "boolean":
        if not isinstance(value, bool):
            raise refuse("answer yes or no")
        return {"valueBoolean": value}
    if item.type == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise refuse("enter a whole number")
        return {"valueInteger": value}
    if not isinstance(value, str):
        raise refuse("enter text")
    text = value.strip()
    if item.type == "choice":
        option = next((o for o in item.options if o.code == text), None)
        if option is None:
            raise refuse("choose one of the options")
        return {"valueCoding": {"code": option.code, "display": option.display}}
    if item.type == "date":
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise refuse("enter a date as YYYY-MM-DD") from None
        if not CLINICAL_FIRST_DAY <= day <= LAST_DAY:
            raise refuse(
                errors.FieldMessage(
                    "enter a date between {first} and {last}",
                    {"first": CLINICAL_FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
                )
            )
        return {"valueDate": day.isoformat()}
    if not text:
        raise refuse("this answer is empty")
    if len(text) > item.max_length:
        raise refuse(errors.FieldMessage("at most {count} characters", {"count": item.max_length}))
    return {"valueString": text}


def questionnaire_response(
    questionnaire: Questionnaire, answers: dict[str, Answer], *, patient_id: str, authored: datetime
) -> dict[str, Any]:
    """Validate answers and build a FHIR R4 QuestionnaireResponse. Raises BadRequest naming the fields."""
    known = {item.link_id for item in questionnaire.items if item.type != "display"}
    unknown = set(answers) - known
    if unknown:
        raise errors.BadRequest(
            "some answers are not valid",
            fields={
                f"answers.{questionnaire.id}.{link}": "not a question of this form"
                for link in sorted(unknown)
            },
        )
    items: list[dict[str, Any]] = []
    score = 0
    scored = False
    for item in questionnaire.items:
        where = f"answers.{questionnaire.id}.{item.link_id}"
        if item.type == "display" or not _enabled(item, answers, questionnaire):
            continue
        value = answers.get(item.link_id)
        if value is None or value == "":
            if item.required:
                raise errors.BadRequest(
                    "some answers are missing", fields={where: "this question needs an answer"}
                )
            continue
        answer = _fhir_answer(item, value, where)
        if item.must_be_true and value is not True:
            raise errors.BadRequest(
                "consent is needed for this visit", fields={where: "please agree to continue"}
            )
        if "valueCoding" in answer:
            option = next(o for o in item.options if o.code == answer["valueCoding"]["code"])
            if option.score is not None:
                score += option.score
                scored = True
        items.append({"linkId": item.link_id, "text": item.text, "answer": [answer]})
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": dynamo.new_id("qr-"),
        "questionnaire": f"Questionnaire/{questionnaire.id}|{questionnaire.version}",
        "status": "completed",
        "subject": {"reference": f"Patient/{patient_id}"},
        "authored": utc_text(authored),
        "item": items,
    }
    if scored:  # e.g. the PHQ-9 total, so staff need not add it up
        response["extension"] = [{"url": "urn:clinic-portal:total-score", "valueInteger": score}]
    return response


def submit(
    caller: Caller, patient_id: str, appointment_id: str, body: CheckinIn, *, now: datetime | None = None
) -> CheckinOut:
    now = now or dynamo.utcnow()
    appointment = appointment_service.load(patient_id, appointment_id)
    if appointment.status != "booked":
        raise errors.Conflict(
            "check-in is only for booked appointments (this one is {status})",
            params={"status": appointment.status},
        )
    if now < _opens_at(appointment):
        when = common.local(_opens_at(appointment)).strftime("%b %d").replace(" 0", " ")
        raise errors.Conflict("check-in opens on {when}", params={"when": when})
    if now >= appointment.start:
        raise errors.Conflict("check-in has closed: this visit has started")
    problems: dict[str, str] = {}
    if not body.demographics_confirmed:
        problems["demographics_confirmed"] = "please confirm your details (or update your profile first)"
    if not body.insurance.self_pay and not (body.insurance.carrier and body.insurance.member_id):
        problems["insurance"] = "enter your insurance carrier and member id, or choose self-pay"
    if not body.medications and not body.no_medications:
        problems["medications"] = "list your medications, or say you take none"
    if not body.allergies and not body.no_known_allergies:
        problems["allergies"] = "list your allergies, or say you have none"
    language = caller_locale(caller)
    forms = _questionnaires(appointment, language)
    extra = set(body.answers) - {q.id for q in forms}
    problems.update({f"answers.{q}": "not a form of this visit" for q in sorted(extra)})
    if problems:
        raise errors.BadRequest("some check-in details are missing", fields=problems)
    responses = [
        questionnaire_response(q, body.answers.get(q.id, {}), patient_id=patient_id, authored=now)
        for q in forms
    ]
    record = {
        **appointment_store.checkin_key(patient_id, appointment_id),
        "appointment_id": appointment.id,
        "submitted_at": utc_text(now),
        "submitted_by_role": caller.role.value,
        "demographics_confirmed": True,
        "insurance": body.insurance.model_dump(exclude_none=True),
        "medications": [m.model_dump(exclude_none=True) for m in body.medications],
        "no_medications": body.no_medications,
        "allergies": [a.model_dump(exclude_none=True) for a in body.allergies],
        "no_known_allergies": body.no_known_allergies,
        **({"phone": body.phone} if body.phone else {}),
        **({"email": str(body.email)} if body.email else {}),
        "questionnaire_responses": responses,
        "consents": consents_of(forms, responses, signed_at=now, language=language),
    }
    done = appointment.model_copy(
        update={
            "checkin_status": "completed",
            "checkin_completed_at": now,
            "version": appointment.version + 1,
        }
    )
    try:
        dynamo.transact_all(
            [
                dynamo.put(record),
                appointment_store.replace_appointment_entry(done, expected_version=appointment.version),
                appointment_store.audit_entry(
                    audit.event(
                        caller,
                        patient_id=patient_id,
                        action="checkin.submit",
                        target=f"appointment:{appointment.id}",
                    )
                ),
            ]
        )
    except dynamo.TransactionRefused:
        raise errors.Conflict(appointment_service.CHANGED) from None
    return get_checkin(caller, patient_id, appointment_id, now=now)
