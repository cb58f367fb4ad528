"""Patient demographics and contact information."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.i18n import Locale
from chalicelib.core.identity import Role
from chalicelib.core.models import (
    BirthDate,
    EntrySource,
    InputModel,
    Model,
    PersonName,
    PhoneNumber,
    SingleLine,
)

US_STATES = frozenset(
    (
        "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY "
        "NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI"
    ).split()
)

Language = Literal["en", "es", "zh", "vi", "ko", "tl", "ar", "fr", "ru", "ht", "pt", "de"]
ContactMethod = Literal["email", "phone", "sms", "portal"]
Sex = Literal["female", "male", "other", "unknown"]


def _us_state(value: str) -> str:
    if value not in US_STATES:
        raise ValueError("not a US state or territory code")
    return value


StateCode = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True), AfterValidator(_us_state)]


def _zip_code(value: str) -> str:
    if not re.fullmatch(r"\d{5}(-\d{4})?", value):
        raise ValueError("enter a 5-digit ZIP code (or ZIP+4)")
    return value


PostalCode = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_zip_code)]


class LegalName(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)
    given: str
    family: str


class Address(InputModel):
    line1: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), SingleLine]
    line2: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), SingleLine] | None = None
    city: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80), SingleLine]
    state: StateCode
    postal_code: PostalCode
    country: Literal["US"] = "US"


class EmergencyContact(InputModel):
    name: PersonName
    relationship: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), SingleLine
    ]
    phone: PhoneNumber


class CommunicationPreferences(InputModel):
    email_notifications: bool = True
    sms_notifications: bool = False
    preferred_contact_method: ContactMethod = "portal"


class PatientProfile(Model):
    """A patient's demographics as stored and as shown to those allowed to see them."""

    model_config = ConfigDict(extra="ignore")

    id: str
    legal_name: LegalName
    birth_date: date
    preferred_name: str | None = None
    pronouns: str | None = None
    phone: str | None = None
    email: str | None = None
    address: Address | None = None
    preferred_language: Language = "en"
    emergency_contact: EmergencyContact | None = None
    communication: CommunicationPreferences = Field(default_factory=CommunicationPreferences)
    sex: Sex | None = None  # as registered at the front desk
    mrn: str | None = None  # the clinic's medical record number, when it has one
    contact_source: EntrySource | None = Field(
        None, description="Set when the phone/email came from an eCheck-in staff accepted"
    )
    version: int = 1
    updated_at: datetime

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.legal_name.given} {self.legal_name.family}"


class BirthDateCorrectionIn(InputModel):
    """The front desk corrects a birth date entered wrongly (an identity task, checked against a document)."""

    version: Annotated[int, Field(ge=1, description="The version the edit was based on (409 if stale)")]
    birth_date: BirthDate


class ProfileUpdate(InputModel):
    """A partial update. Fields left out stay as they are; null clears an optional field.

    Legal name and birth date are not here on purpose: changing them is a front-desk identity task.
    """

    version: Annotated[int, Field(ge=1, description="The version the edit was based on (409 if stale)")]
    preferred_name: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=60), SingleLine] | None
    ) = None
    pronouns: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30), SingleLine] | None = (
        None
    )
    phone: PhoneNumber | None = None
    email: Annotated[EmailStr, StringConstraints(max_length=254)] | None = None
    address: Address | None = None
    preferred_language: Language | None = None
    emergency_contact: EmergencyContact | None = None
    communication: CommunicationPreferences | None = None

    @field_validator("preferred_name", "pronouns", "phone", "email", mode="before")
    @classmethod
    def _blank_clears(cls, value: object) -> object:
        # A form field emptied by the user arrives as "": that means "remove it", not "invalid".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("preferred_language", "communication", mode="before")
    @classmethod
    def _not_clearable(cls, value: object) -> object:
        if value is None:
            raise ValueError("may be changed but not removed")
        return value

    def changes(self) -> dict[str, object]:
        """Only what the client sent (address and emergency contact are replaced whole)."""
        return self.model_dump(include=self.model_fields_set - {"version"}, mode="json")


# Staff patient search: the query, what the directory holds, and the few fields a result shows.
class PatientSearchQuery(InputModel):
    q: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=2, max_length=80),
        SingleLine,
        Field(
            description="Family name (optionally 'family, given'; ', given' for a given name alone), birth "
            "date (YYYY-MM-DD or MM/DD/YYYY), phone number, email address, MRN or patient id"
        ),
    ]
    cursor: Annotated[str, Field(max_length=2048)] | None = None


class DirectoryEntry(Model):
    """A directory row as stored: the listed fields of a profile, nothing else."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    legal_name: LegalName
    preferred_name: str | None = None
    birth_date: date
    phone: str | None = None


class PatientMatch(Model):
    """One search result: enough to tell two patients apart, nothing more."""

    model_config = ConfigDict(extra="forbid")

    id: str
    display_name: str
    birth_date: date
    age: int
    phone_last_four: str | None


class PatientSearchPage(Model):
    matched_by: Literal["name", "given_name", "birth_date", "id", "phone", "email", "mrn"]
    items: list[PatientMatch]
    next_cursor: str | None = None


# The access log: who did what to the patient's data, as the patient sees it.
ACTION_LABELS: dict[str, str] = {
    "profile.read": "Viewed profile",
    "profile.update": "Updated profile",
    "access_log.read": "Viewed access log",
    "access_log.review": "An administrator reviewed who accessed the record",
    "privacy.review": "Listed in an administrator's privacy review of staff access",
    # records
    "record.read": "Viewed health summary",
    "problem.create": "Added a problem",
    "problem.update": "Updated a problem",
    "medication.create": "Added a medication",
    "medication.update": "Updated a medication",
    "allergy.create": "Added an allergy",
    "allergy.update": "Updated an allergy",
    "immunization.create": "Added an immunization",
    "immunization.update": "Updated an immunization",
    "visit.create": "Added a visit summary",
    "visit.update": "Updated a visit summary",
    "result.create": "Added a test result",
    "result.list": "Viewed the list of test results",
    "result.read": "Viewed a test result",
    "result.trend": "Viewed a test result trend",
    "result.review": "Reviewed a test result",
    "result.hold": "Held a test result",
    "result.release": "Released a test result",
    "result.worklist": "Saw a waiting result on the staff work list",
    "result.import": "Imported test results",
    "result_prefs.read": "Viewed result release choices",
    "result_prefs.update": "Changed result release choices",
    "record.export": "Downloaded the health record",
    "record.print": "Opened the printable health summary",
    "document.upload_start": "Started a document upload",
    "document.upload": "Uploaded a document",
    "document.reject": "A document upload was rejected",
    "document.list": "Viewed the list of documents",
    "document.read": "Downloaded a document",
    # appointments
    "appointment.list": "Viewed appointments",
    "appointment.read": "Viewed an appointment",
    "appointment.book": "Booked an appointment",
    "appointment.request": "Requested an appointment",
    "appointment.cancel": "Cancelled an appointment",
    "appointment.reschedule": "Rescheduled an appointment",
    "appointment.calendar": "Downloaded an appointment calendar file",
    "appointment.approve": "Approved an appointment request",
    "appointment.decline": "Declined an appointment request",
    "appointment.join": "Opened a video visit link",
    "schedule.read": "Viewed in a provider's schedule",
    "waitlist.join": "Joined the waitlist",
    "waitlist.leave": "Left the waitlist",
    "waitlist.accept": "Took an earlier time from the waitlist",
    "checkin.read": "Viewed check-in",
    "checkin.submit": "Completed check-in",
    # billing
    "statement.post": "Posted a statement",
    "statement.void": "Voided a statement",
    "statement.paid": "A statement was paid in full",
    "statement.list": "Viewed statements",
    "statement.read": "Viewed a statement",
    "statement.print": "Printed a statement",
    "ledger.read": "Viewed the account ledger",
    "billing.worklist": "Saw an open balance on the billing work list",
    "payment.create": "Started a card payment",
    "payment.succeed": "A card payment went through",
    "payment.declined": "A card payment was declined",
    "payment.failed": "A card payment did not go through",
    "payment.list": "Viewed payment history",
    "payment.read": "Viewed a payment or receipt",
    "payment.confirm": "Answered a card confirmation step",
    "payment_plan.create": "Set up a payment plan",
    "payment_plan.cancel": "Cancelled a payment plan",
    "payment_plan.list": "Viewed payment plans",
    "payment_plan.read": "Viewed a payment plan",
    "insurance.list": "Viewed insurance on file",
    "insurance.create": "Added insurance",
    "insurance.update": "Updated insurance",
    "insurance.verify": "Verified insurance",
    "insurance.remove": "Removed insurance",
    # messaging
    "thread.list": "Viewed the list of messages",
    "thread.unread": "Checked for new messages",
    "thread.create": "Started a conversation with the care team",
    "thread.read": "Read a conversation",
    "message.send": "Sent a message",
    "thread.assign": "Took charge of a conversation",
    "thread.close": "Closed a conversation",
    "inbox.read": "Saw a conversation in a care-team inbox",
    "attachment.read": "Downloaded a message attachment",
    "refill.list": "Viewed refill requests",
    "refill.create": "Requested a prescription refill",
    "refill.approve": "Approved a refill request",
    "refill.deny": "Denied a refill request",
    "refill.worklist": "Saw a refill request on the clinician work list",
    "pharmacy.list": "Viewed saved pharmacies",
    "pharmacy.create": "Saved a pharmacy",
    "pharmacy.delete": "Removed a saved pharmacy",
    # caregivers
    "proxy.list": "Viewed who has access to the record",
    "proxy.grant": "Gave someone access to the record",
    "proxy.revoke": "Ended someone's access to the record",
    "proxy.end": "A parent's or guardian's access ended when the patient came of age",
    "proxy.update": "Changed what someone with access may use",
    "proxy.invite": "Invited someone to help with their care",
    "proxy.invitation_list": "Viewed their invitations not yet accepted",
    "proxy.invitation_cancel": "Cancelled an invitation to help with their care",
    "patient.search": "Appeared in a staff search",
    # registration and activation
    "patient.register": "Registered as a patient",
    "patient.import": "Registered by the clinic's import of existing patients",
    "invitation.list": "Viewed portal invitations",
    "invitation.create": "Sent a portal invitation",
    "invitation.resend": "Sent a new portal invitation code",
    "invitation.revoke": "Revoked a portal invitation",
    "invitation.activate": "Activated a portal account",
    "invitation.accept": "Accepted an invitation to help with someone's care",
    # more actions
    "home.read": "Viewed the home page",
    "profile.birth_date_correct": "Corrected the birth date",
    "card.setup": "Started saving a card",
    "card.save": "Saved a card",
    "card.read": "Viewed the saved card",
    "card.remove": "Removed the saved card",
    "payment.refund": "Refunded a card payment",
    "payment.refund.list": "Viewed refunds",
    "payment.dispute": "The card holder disputed a card payment",
    "payment.dispute.list": "Appeared on the billing list of disputed payments",
    "refill.print": "Printed an approved refill for the pharmacy",
    "checkin_review.read": "Viewed check-in answers",
    "video.wait": "Waited to be let into a video visit",
    "video.join": "Joined a video visit",
    "video.admit": "Let the patient into a video visit",
    "queue.read": "Appeared on a clinician's work list",
    "registration_request.list": "Appeared in the list of requests to join the portal",
    "registration_request.decide": "Answered a request to join the portal",
    "proxy.adulthood_set": "Set when a parent's or guardian's access ends",
    "document.mark_confidential": "Marked a document private",
    "document.unmark_confidential": "Made a private document visible again",
    "result.mark_confidential": "Marked a test result private",
    "result.unmark_confidential": "Made a private test result visible again",
    "thread.mark_confidential": "Marked a conversation private",
    "thread.unmark_confidential": "Made a private conversation visible again",
    "payment.canceled": "A card payment was cancelled",
    "visit.arrived": "Marked the patient as arrived",
    "visit.roomed": "Marked the patient as in an exam room",
    "visit.seen": "Marked the visit as done",
    "visit.no_show": "Marked the patient as not coming to the visit",
    "visit.undo_arrived": "Undid marking the patient as arrived",
    "visit.undo_roomed": "Undid marking the patient as in an exam room",
    "visit.undo_seen": "Undid marking the visit as done",
    "visit.undo_no_show": "Undid marking the patient as not coming to the visit",
    "checkin_review.accept": "Added a change from the check-in answers to the record",
    "checkin_review.decline": "Did not add a change from the check-in answers to the record",
    "problem.mark_confidential": "Marked a problem private",
    "problem.unmark_confidential": "Made a private problem visible again",
    "medication.mark_confidential": "Marked a medication private",
    "medication.unmark_confidential": "Made a private medication visible again",
    "allergy.mark_confidential": "Marked an allergy private",
    "allergy.unmark_confidential": "Made a private allergy visible again",
    "immunization.mark_confidential": "Marked an immunization private",
    "immunization.unmark_confidential": "Made a private immunization visible again",
    "visit.mark_confidential": "Marked a visit summary private",
    "visit.unmark_confidential": "Made a private visit summary visible again",
}


# The same labels in plain Spanish, as a patient reads them. A unit test fails when an action above has none.
ACTION_LABELS_ES: dict[str, str] = {
    "profile.read": "Vio el perfil",
    "profile.update": "Actualizó el perfil",
    "access_log.read": "Vio quién vio el expediente",
    "access_log.review": "Un administrador revisó quién vio el expediente",
    "privacy.review": (
        "Apareció en la revisión de privacidad de un administrador sobre el acceso del personal"
    ),
    # records
    "record.read": "Vio el resumen de salud",
    "problem.create": "Agregó un problema de salud",
    "problem.update": "Actualizó un problema de salud",
    "medication.create": "Agregó un medicamento",
    "medication.update": "Actualizó un medicamento",
    "allergy.create": "Agregó una alergia",
    "allergy.update": "Actualizó una alergia",
    "immunization.create": "Agregó una vacuna",
    "immunization.update": "Actualizó una vacuna",
    "visit.create": "Agregó un resumen de visita",
    "visit.update": "Actualizó un resumen de visita",
    "result.create": "Agregó un resultado de laboratorio",
    "result.list": "Vio la lista de resultados de laboratorio",
    "result.read": "Vio un resultado de laboratorio",
    "result.trend": "Vio cómo cambió un resultado de laboratorio con el tiempo",
    "result.review": "Revisó un resultado de laboratorio",
    "result.hold": "Retuvo un resultado de laboratorio",
    "result.release": "Publicó un resultado de laboratorio",
    "result.worklist": "Vio un resultado pendiente en la lista de trabajo del personal",
    "result.import": "Importó resultados de laboratorio",
    "result_prefs.read": "Vio las opciones para publicar resultados",
    "result_prefs.update": "Cambió las opciones para publicar resultados",
    "record.export": "Descargó el expediente de salud",
    "record.print": "Abrió el resumen de salud para imprimir",
    "document.upload_start": "Empezó a subir un documento",
    "document.upload": "Subió un documento",
    "document.reject": "Se rechazó un documento que se subió",
    "document.list": "Vio la lista de documentos",
    "document.read": "Descargó un documento",
    # appointments
    "appointment.list": "Vio las citas",
    "appointment.read": "Vio una cita",
    "appointment.book": "Reservó una cita",
    "appointment.request": "Pidió una cita",
    "appointment.cancel": "Canceló una cita",
    "appointment.reschedule": "Cambió el horario de una cita",
    "appointment.calendar": "Descargó el archivo de calendario de una cita",
    "appointment.approve": "Aprobó una solicitud de cita",
    "appointment.decline": "Rechazó una solicitud de cita",
    "appointment.join": "Abrió el enlace de una visita por video",
    "schedule.read": "Apareció en la agenda de un profesional de salud",
    "waitlist.join": "Se anotó en la lista de espera",
    "waitlist.leave": "Salió de la lista de espera",
    "waitlist.accept": "Tomó un horario más temprano de la lista de espera",
    "checkin.read": "Vio el registro en línea",
    "checkin.submit": "Completó el registro en línea",
    # billing
    "statement.post": "Publicó un estado de cuenta",
    "statement.void": "Anuló un estado de cuenta",
    "statement.paid": "Se pagó el total de un estado de cuenta",
    "statement.list": "Vio los estados de cuenta",
    "statement.read": "Vio un estado de cuenta",
    "statement.print": "Imprimió un estado de cuenta",
    "ledger.read": "Vio el registro de cuenta",
    "billing.worklist": "Vio un saldo pendiente en la lista de trabajo de facturación",
    "payment.create": "Empezó un pago con tarjeta",
    "payment.succeed": "Se hizo un pago con tarjeta",
    "payment.declined": "Se rechazó un pago con tarjeta",
    "payment.failed": "No se pudo hacer un pago con tarjeta",
    "payment.list": "Vio el historial de pagos",
    "payment.read": "Vio un pago o un recibo",
    "payment.confirm": "Respondió un paso de confirmación de la tarjeta",
    "payment_plan.create": "Hizo un plan de pagos",
    "payment_plan.cancel": "Canceló un plan de pagos",
    "payment_plan.list": "Vio los planes de pago",
    "payment_plan.read": "Vio un plan de pagos",
    "insurance.list": "Vio el seguro médico registrado",
    "insurance.create": "Agregó un seguro médico",
    "insurance.update": "Actualizó un seguro médico",
    "insurance.verify": "Verificó un seguro médico",
    "insurance.remove": "Quitó un seguro médico",
    # messaging
    "thread.list": "Vio la lista de mensajes",
    "thread.unread": "Revisó si había mensajes nuevos",
    "thread.create": "Empezó una conversación con el equipo de atención",
    "thread.read": "Leyó una conversación",
    "message.send": "Envió un mensaje",
    "thread.assign": "Se encargó de una conversación",
    "thread.close": "Cerró una conversación",
    "inbox.read": "Vio una conversación en la bandeja de un equipo de atención",
    "attachment.read": "Descargó un archivo adjunto de un mensaje",
    "refill.list": "Vio las solicitudes de resurtido",
    "refill.create": "Pidió un resurtido de receta",
    "refill.approve": "Aprobó una solicitud de resurtido",
    "refill.deny": "Negó una solicitud de resurtido",
    "refill.worklist": "Vio una solicitud de resurtido en la lista de trabajo clínica",
    "pharmacy.list": "Vio las farmacias guardadas",
    "pharmacy.create": "Guardó una farmacia",
    "pharmacy.delete": "Quitó una farmacia guardada",
    # caregivers
    "proxy.list": "Vio quién tiene acceso al expediente",
    "proxy.grant": "Le dio acceso al expediente a alguien",
    "proxy.revoke": "Le quitó el acceso al expediente a alguien",
    "proxy.end": "Terminó el acceso de un padre, madre o tutor porque el paciente cumplió la mayoría de edad",
    "proxy.update": "Cambió lo que puede usar alguien con acceso",
    "proxy.invite": "Invitó a alguien a ayudar con su atención",
    "proxy.invitation_list": "Vio sus invitaciones que aún no se aceptan",
    "proxy.invitation_cancel": "Canceló una invitación para ayudar con su atención",
    "patient.search": "Apareció en una búsqueda del personal",
    # registration and activation
    "patient.register": "Se registró como paciente",
    "patient.import": "Quedó registrado cuando la clínica pasó sus pacientes actuales al portal",
    "invitation.list": "Vio las invitaciones al portal",
    "invitation.create": "Envió una invitación al portal",
    "invitation.resend": "Envió un código nuevo de invitación al portal",
    "invitation.revoke": "Canceló una invitación al portal",
    "invitation.activate": "Activó una cuenta del portal",
    "invitation.accept": "Aceptó una invitación para ayudar con la atención de alguien",
    # more actions
    "home.read": "Vio la página de inicio",
    "profile.birth_date_correct": "Corrigió la fecha de nacimiento",
    "card.setup": "Empezó a guardar una tarjeta",
    "card.save": "Guardó una tarjeta",
    "card.read": "Vio la tarjeta guardada",
    "card.remove": "Quitó la tarjeta guardada",
    "payment.refund": "Reembolsó un pago con tarjeta",
    "payment.refund.list": "Vio los reembolsos",
    "payment.dispute": "El titular de la tarjeta reclamó un pago con tarjeta",
    "payment.dispute.list": "Apareció en la lista de pagos reclamados de facturación",
    "refill.print": "Imprimió un resurtido aprobado para la farmacia",
    "checkin_review.read": "Vio las respuestas del registro en línea",
    "video.wait": "Esperó a que lo dejaran entrar a una visita por video",
    "video.join": "Entró a una visita por video",
    "video.admit": "Dejó entrar al paciente a una visita por video",
    "queue.read": "Apareció en la lista de trabajo de un profesional de salud",
    "registration_request.list": "Apareció en la lista de solicitudes para entrar al portal",
    "registration_request.decide": "Respondió una solicitud para entrar al portal",
    "proxy.adulthood_set": "Fijó cuándo termina el acceso de un padre, madre o tutor",
    "document.mark_confidential": "Marcó un documento como privado",
    "document.unmark_confidential": "Volvió a mostrar un documento privado",
    "result.mark_confidential": "Marcó un resultado de laboratorio como privado",
    "result.unmark_confidential": "Volvió a mostrar un resultado de laboratorio privado",
    "thread.mark_confidential": "Marcó una conversación como privada",
    "thread.unmark_confidential": "Volvió a mostrar una conversación privada",
    "payment.canceled": "Se canceló un pago con tarjeta",
    "visit.arrived": "Marcó que el paciente llegó",
    "visit.roomed": "Marcó que el paciente pasó a un consultorio",
    "visit.seen": "Marcó la visita como terminada",
    "visit.no_show": "Marcó que el paciente no vino a la cita",
    "visit.undo_arrived": "Deshizo la marca de que el paciente llegó",
    "visit.undo_roomed": "Deshizo la marca de que el paciente pasó a un consultorio",
    "visit.undo_seen": "Deshizo la marca de visita terminada",
    "visit.undo_no_show": "Deshizo la marca de que el paciente no vino a la cita",
    "checkin_review.accept": "Pasó al expediente un cambio de las respuestas del registro en línea",
    "checkin_review.decline": "No pasó al expediente un cambio de las respuestas del registro en línea",
    "problem.mark_confidential": "Marcó un problema de salud como privado",
    "problem.unmark_confidential": "Volvió a mostrar un problema de salud privado",
    "medication.mark_confidential": "Marcó un medicamento como privado",
    "medication.unmark_confidential": "Volvió a mostrar un medicamento privado",
    "allergy.mark_confidential": "Marcó una alergia como privada",
    "allergy.unmark_confidential": "Volvió a mostrar una alergia privada",
    "immunization.mark_confidential": "Marcó una vacuna como privada",
    "immunization.unmark_confidential": "Volvió a mostrar una vacuna privada",
    "visit.mark_confidential": "Marcó un resumen de visita como privado",
    "visit.unmark_confidential": "Volvió a mostrar un resumen de visita privado",
}


ROLE_WORDS: dict[Role, str] = {
    Role.PATIENT: "patient",
    Role.CLINICIAN: "clinician",
    Role.FRONT_DESK: "front desk",
    Role.BILLING: "billing",
    Role.ADMIN: "administrator",
}
# As the web app names the roles (web/src/locales/es/messages.po), lower-cased after a name.
ROLE_WORDS_ES: dict[Role, str] = {
    Role.PATIENT: "paciente",
    Role.CLINICIAN: "profesional de salud",
    Role.FRONT_DESK: "recepción",
    Role.BILLING: "facturación",
    Role.ADMIN: "administrador",
}


def action_label(action: str, locale: Locale = "en") -> str:
    """What an audited action did, in words; an action with no label shows as its code."""
    labels = ACTION_LABELS_ES if locale == "es" else ACTION_LABELS
    return labels.get(action) or ACTION_LABELS.get(action, action)


def who_of(event: AuditEvent, locale: Locale = "en") -> str:
    """ "Dr Ana Rivera, clinician"; a caregiver as "Alex Morgan, as caregiver" (in Spanish "..., como
    cuidador")."""
    if event.actor_relationship == "caregiver":
        return f"{event.actor_name}, {'como cuidador' if locale == 'es' else 'as caregiver'}"
    words = ROLE_WORDS_ES if locale == "es" else ROLE_WORDS
    return f"{event.actor_name}, {words.get(event.actor_role, str(event.actor_role))}"


class AccessLogEntryOut(Model):
    id: str
    at: datetime
    actor_name: str
    actor_role: Role
    actor_relationship: Literal["self", "caregiver"] | None = None
    who: str = Field(
        description='Name and role in the reader\'s language, e.g. "Dr Ana Rivera, clinician" or '
        '"Alex Morgan, as caregiver"'
    )
    mine: bool = Field(description="The caller did this")
    action: str
    action_label: str = Field(description="What was done, in the reader's language")
    target: str
    request_id: str

    @classmethod
    def from_event(
        cls, event: AuditEvent, *, me: str | None = None, locale: Locale = "en"
    ) -> AccessLogEntryOut:
        """The entry as the reader sees it: `who` and `action_label` in `locale`."""
        return cls(
            id=event.id,
            at=event.at,
            actor_name=event.actor_name,
            actor_role=event.actor_role,
            actor_relationship=event.actor_relationship,
            who=who_of(event, locale),
            mine=event.actor_sub == me,
            action=event.action,
            action_label=action_label(event.action, locale),
            target=event.target,
            request_id=event.request_id,
        )


class AccessLogPage(Model):
    items: list[AccessLogEntryOut]
    next_cursor: str | None = None


# Query strings of patients/routes.py (kept here so that importing the routes creates no model).
class PageQuery(InputModel):
    limit: Annotated[int, Field(ge=1, le=100)] = 25
    cursor: Annotated[str, Field(max_length=2048)] | None = None


class AccessLogQuery(PageQuery):
    include_own: bool = Field(
        default=False, description="Also list the caller's own reads and changes (left out by default)"
    )
