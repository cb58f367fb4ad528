"""The portal's languages on the server: English and Spanish.

What a patient reads from the server (emails, API error messages) follows their saved preferred language
when the portal speaks it, else English. Messages are written in English in the code, as templates with
named placeholders ("... from {clinic}"), and `text()` looks each up in the language's catalog: a typed
dict keyed by the English template, as gettext keys by msgid. A unit test fails when a template used in
the code has no Spanish entry.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Locale = Literal["en", "es"]
LOCALES: Final[tuple[Locale, ...]] = get_args(Locale)
DEFAULT_LOCALE: Final[Locale] = "en"


def portal_locale(preferred_language: str | None) -> Locale | None:
    """The portal language for a saved preference, or None when the portal does not offer that language."""
    for locale in LOCALES:
        if preferred_language == locale:
            return locale
    return None


def locale_of(preferred_language: str | None) -> Locale:
    """The language to write to someone in: their saved one when the portal speaks it, else English."""
    return portal_locale(preferred_language) or DEFAULT_LOCALE


def text(message: str, locale: Locale, /, **params: object) -> str:
    """`message` (an English template) in `locale`, its {placeholders} filled in; English when the
    catalog has no entry, so a missing translation never loses the message."""
    template = CATALOGS[locale].get(message, message) if locale != DEFAULT_LOCALE else message
    return template.format(**params) if params else template


# Plain Spanish (usted), as patients in the US say it. Keys are the English templates, exactly.
SPANISH: Final[dict[str, str]] = {
    # Every patient email (core/notify.py patient_notice)
    "{first_line} Sign in to {sign_in_to}:": "{first_line} Inicie sesión para {sign_in_to}:",
    "For your privacy this email does not include any health or billing details.": (
        "Para proteger su privacidad, este correo no incluye información de salud ni de facturación."
    ),
    "Questions? Call us at {phone}.": "¿Preguntas? Llámenos al {phone}.",
    "see it": "verlo",
    "read it": "leerlo",
    "your clinic's patient portal": "el portal del paciente de su clínica",
    # Results
    "A new result is available from {clinic}": "Hay un resultado nuevo de {clinic}",
    "A new result is available in your patient portal.": "Hay un resultado nuevo en su portal del paciente.",
    # Messages and refills
    "You have a new message from {clinic}": "Tiene un mensaje nuevo de {clinic}",
    "You have a new message from your clinic.": "Tiene un mensaje nuevo de su clínica.",
    "An update from {clinic}": "Novedades de {clinic}",
    "There is an update to your refill request.": "Hay novedades sobre su pedido de resurtido de receta.",
    # Caregivers
    "A caregiver's access to a record has ended at {clinic}": (
        "Terminó el acceso de un cuidador a un expediente en {clinic}"
    ),
    "A caregiver's access to a record has ended.": "Terminó el acceso de un cuidador a un expediente.",
    # Billing
    "A new statement is ready from {clinic}": "Tiene un estado de cuenta nuevo de {clinic}",
    "A new statement is ready in your patient portal.": (
        "Hay un estado de cuenta nuevo en su portal del paciente."
    ),
    "Your payment receipt is ready from {clinic}": "Su recibo de pago de {clinic} está listo",
    "Thank you. Your payment receipt is ready in your patient portal.": (
        "Gracias. Su recibo de pago está listo en su portal del paciente."
    ),
    "A scheduled payment needs your attention from {clinic}": (
        "Un pago programado con {clinic} necesita su atención"
    ),
    "A scheduled payment of your payment plan did not go through.": (
        "Un pago programado de su plan de pagos no se pudo hacer."
    ),
    # The printed activation letter (enrolment/invitations.py)
    "Patient portal activation: {clinic}": "Activación del portal del paciente: {clinic}",
    "For: {name}": "Para: {name}",
    "Your patient portal activation code": "Su código para activar el portal del paciente",
    "Go to {link} and enter this code, the patient's date of birth and {fact}. "
    "Then choose a username and password.": (
        "Vaya a {link} y escriba este código, la fecha de nacimiento del paciente y {fact}. "
        "Después elija un nombre de usuario y una contraseña."
    ),
    "the ZIP code on file": "el código postal que tenemos en su expediente",
    "the last four digits of the phone number on file": (
        "los últimos cuatro números del teléfono que tenemos en su expediente"
    ),
    "The code works once and expires on {date}.": "El código sirve una sola vez y vence el {date}.",
    # The calendar file of an appointment (appointments/ics.py)
    "Appointment": "Cita",
    "Video visit: join from the patient portal": "Cita por video: entre desde el portal del paciente",
    "{visit} with {who}. Check in, join or change this appointment in the {clinic} patient portal. "
    "Questions: {phone}.": (
        "{visit} con {who}. Registre su llegada, entre o cambie esta cita en el portal del paciente de "
        "{clinic}. ¿Preguntas? Llame al {phone}."
    ),
    "{visit} at {clinic}": "{visit} en {clinic}",
    "Appointment at {clinic}": "Cita en {clinic}",
    # Appointments
    "An update on your appointment request at {clinic}": "Novedades sobre su solicitud de cita en {clinic}",
    "Your appointment request has an answer.": "Su solicitud de cita tiene una respuesta.",
    "Your appointment at {clinic} has changed": "Su cita en {clinic} cambió",
    "Your appointment has changed.": "Su cita cambió.",
    "An earlier appointment time may be available at {clinic}": (
        "Puede haber una cita más temprano disponible en {clinic}"
    ),
    "An earlier time has opened up. The offer is held for about {minutes} minutes, "
    "and the first person to accept it gets it.": (
        "Se abrió un horario más temprano. La oferta se guarda unos {minutes} minutos, "
        "y la primera persona que la acepte se queda con ella."
    ),
    "Appointment reminder from {clinic}": "Recordatorio de cita de {clinic}",
    "You have an appointment coming up in about a day. You can check in online, "
    "and cancel or change it in the portal if your plans have changed.": (
        "Tiene una cita en más o menos un día. Puede registrar su llegada por internet, "
        "y cancelarla o cambiarla en el portal si cambiaron sus planes."
    ),
    # The clinics' own emergency notices, as their files word them
    "If this is a medical emergency, call 911 or go to the nearest emergency room.": (
        "Si es una emergencia médica, llame al 911 o vaya a la sala de emergencias más cercana."
    ),
    "If this is a medical emergency, call 911.": "Si es una emergencia médica, llame al 911.",
}

CATALOGS: Final[dict[Locale, dict[str, str]]] = {"en": {}, "es": SPANISH}
