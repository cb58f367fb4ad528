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
    # API error messages a patient may see (core/access.py answers refusals in the caller's language)
    "not found": "no se encontró",
    "patient not found": "no se encontró al paciente",
    "some fields are not valid": "algunos datos no son válidos",
    "some query parameters are not valid": "algunos datos de la búsqueda no son válidos",
    "the request body is empty; send a JSON object": "la solicitud está vacía",
    "the request body is not valid JSON": "la solicitud no se pudo leer",
    "the request body must be a JSON object": "la solicitud no se pudo leer",
    "the request body is too large": "la solicitud es demasiado grande",
    "your role may not do this": "usted no tiene permiso para hacer esto",
    "this account is turned off: contact the clinic": "esta cuenta está desactivada: llame a la clínica",
    "you signed out of this session: sign in again": "usted cerró esta sesión: vuelva a iniciar sesión",
    "sign-in could not be checked just now; please try again": (
        "no pudimos revisar su inicio de sesión en este momento; inténtelo de nuevo"
    ),
    "too many attempts: wait a few minutes before trying again": (
        "demasiados intentos: espere unos minutos antes de volver a intentarlo"
    ),
    "too many wrong passwords: wait a few minutes before trying again": (
        "demasiadas contraseñas incorrectas: espere unos minutos antes de volver a intentarlo"
    ),
    "your current password is not right": "su contraseña actual no es correcta",
    "the new password is the same as the current one": "la contraseña nueva es igual a la actual",
    "you have used this password before: choose a new one": "ya usó esta contraseña antes: elija una nueva",
    "sign in again to change your password": "vuelva a iniciar sesión para cambiar su contraseña",
    "a request with this Idempotency-Key is still being processed; try again shortly": (
        "todavía estamos procesando esta solicitud; inténtelo de nuevo en un momento"
    ),
    "this Idempotency-Key was already used for a different request; use a new key": (
        "esta solicitud ya se usó para otra cosa; vuelva a cargar la página e inténtelo de nuevo"
    ),
    # Profile and preferences
    "that is not a phone number": "ese no es un número de teléfono",
    "that is not a real date": "esa no es una fecha real",
    "this profile was changed by someone else; reload it and try again": (
        "otra persona cambió este perfil; vuelva a cargar la página e inténtelo de nuevo"
    ),
    # Messages
    "care team not found": "no se encontró el equipo de atención",
    "this conversation is closed": "esta conversación está cerrada",
    "attachment not found": "no se encontró el archivo adjunto",
    # Documents
    "document not found": "no se encontró el documento",
    "no file was uploaded for this document; please start the upload again": (
        "no se subió ningún archivo para este documento; vuelva a empezar"
    ),
    "files can be at most 10 MB": "los archivos pueden tener como máximo 10 MB",
    "the uploaded file is not the size that was declared; please try again": (
        "el archivo subido no tiene el tamaño esperado; inténtelo de nuevo"
    ),
    "the file is not a real PDF, JPEG or PNG of the declared type": (
        "el archivo no es un PDF, JPEG o PNG real del tipo indicado"
    ),
    # Billing
    "the card processor did not answer; nothing was charged, please try again": (
        "el procesador de tarjetas no respondió; no se cobró nada, inténtelo de nuevo"
    ),
    "the card processor did not answer; please try again in a moment": (
        "el procesador de tarjetas no respondió; inténtelo de nuevo en un momento"
    ),
    "card setup not found": "no se encontró el registro de la tarjeta",
    "this insurance was removed": "este seguro se quitó",
    "insurance not found": "no se encontró el seguro",
    "this statement was voided; there is nothing to pay": (
        "este estado de cuenta se anuló; no hay nada que pagar"
    ),
    "this statement is already paid": "este estado de cuenta ya está pagado",
    "a payment of this statement is still processing; please don't pay again": (
        "todavía se está procesando un pago de este estado de cuenta; no vuelva a pagar"
    ),
    "a payment of this statement is still processing; try again shortly": (
        "todavía se está procesando un pago de este estado de cuenta; inténtelo de nuevo en un momento"
    ),
    "the amount is more than the balance due": "la cantidad es mayor que el saldo a pagar",
    "the balance changed while you were paying; reload it and try again": (
        "el saldo cambió mientras usted pagaba; vuelva a cargar la página e inténtelo de nuevo"
    ),
    "you started a newer payment of this statement, so this one was stopped; reload the page to pay": (
        "usted empezó otro pago de este estado de cuenta, así que este se detuvo; vuelva a cargar la página "
        "para pagar"
    ),
    "this statement changed meanwhile; reload it and try again": (
        "este estado de cuenta cambió; vuelva a cargar la página e inténtelo de nuevo"
    ),
    "receipt not found": "no se encontró el recibo",
    "payment not found": "no se encontró el pago",
    "payment plan not found": "no se encontró el plan de pagos",
    "this statement already has a payment plan": "este estado de cuenta ya tiene un plan de pagos",
    "save a card for the plan's payments first": "primero guarde una tarjeta para los pagos del plan",
    "this balance is too small for a payment plan": "este saldo es muy pequeño para un plan de pagos",
    "this number of months is not offered for this balance": (
        "este número de meses no se ofrece para este saldo"
    ),
    "the first payment date is not offered": "esa fecha para el primer pago no se ofrece",
    "a scheduled payment of this plan is processing; try again shortly": (
        "se está procesando un pago programado de este plan; inténtelo de nuevo en un momento"
    ),
    "this plan changed meanwhile; reload it and try again": (
        "este plan cambió; vuelva a cargar la página e inténtelo de nuevo"
    ),
    # Caregivers
    "only the patient themself can see who has access to this record": (
        "solo el paciente puede ver quién tiene acceso a este expediente"
    ),
    "the end date is in the past": "la fecha de fin ya pasó",
    "access grant not found": "no se encontró el permiso de acceso",
    # Booking, changing, checking in to and joining a visit (appointments/)
    "please call the clinic at {phone} to book this visit": (
        "llame a la clínica al {phone} para hacer esta cita"
    ),
    "this visit is for patients who have been seen here before; please book a new patient visit": (
        "esta cita es para pacientes que ya vinieron antes; haga una cita de paciente nuevo"
    ),
    "this visit is for new patients; please book a follow-up visit instead": (
        "esta cita es para pacientes nuevos; mejor haga una cita de seguimiento"
    ),
    "this visit is for patients aged {age} and over": "esta cita es para pacientes de {age} años o más",
    "this visit is for patients aged {age} and under": "esta cita es para pacientes de {age} años o menos",
    "no visit can be booked online for this patient; please call the clinic at {phone}": (
        "no se puede hacer una cita por internet para este paciente; llame a la clínica al {phone}"
    ),
    "provider not found": "no se encontró al médico",
    "visit type not found": "no se encontró ese tipo de cita",
    "appointment not found": "no se encontró la cita",
    "that time slot does not exist": "ese horario no existe",
    "the provider is not available at that time; please choose another": (
        "el médico no está disponible a esa hora; elija otra"
    ),
    "that time has already passed; please choose another": "esa hora ya pasó; elija otra",
    "that time is too soon to book online; please call the clinic at {phone}": (
        "falta muy poco para esa hora y no se puede reservar por internet; llame a la clínica al {phone}"
    ),
    "this time has just been taken; please choose another": "alguien acaba de tomar esta hora; elija otra",
    "this appointment is already {status}": "esta cita ya está {status}",
    "this appointment is {status}": "esta cita está {status}",
    "this visit is already marked {status}": "esta cita ya está marcada como: {status}",
    "this appointment has already started": "esta cita ya empezó",
    "online changes closed on {when}; please call the clinic at {phone}": (
        "ya no se puede cambiar por internet desde el {when}; llame a la clínica al {phone}"
    ),
    "this appointment was changed by someone else; reload it and try again": (
        "otra persona cambió esta cita; vuelva a cargar la página e inténtelo de nuevo"
    ),
    "this appointment was changed; reload it and try again": (
        "esta cita cambió; vuelva a cargar la página e inténtelo de nuevo"
    ),
    "that is the time you already have": "esa es la hora que ya tiene",
    "the current time": "la hora que ya tiene",
    "a different visit type": "otro tipo de cita",
    "choose a time for the same kind of visit": "elija una hora para el mismo tipo de cita",
    "this is not a video visit": "esta no es una cita por video",
    "the patient has not joined yet": "el paciente todavía no ha entrado",
    "this video visit has ended": "esta cita por video ya terminó",
    "offer not found": "no se encontró la oferta",
    "this offer has expired": "esta oferta ya venció",
    "the appointment this offer was for has changed": "la cita de esta oferta cambió",
    "someone else has already taken this time": "otra persona ya tomó esta hora",
    "only a booked, upcoming appointment can wait for an earlier time": (
        "solo una cita reservada que todavía no pasó puede esperar una hora más temprano"
    ),
    "this appointment is already on the waitlist": "esta cita ya está en la lista de espera",
    "this appointment is not on the waitlist": "esta cita no está en la lista de espera",
    # eCheck-in
    "some answers are not valid": "algunas respuestas no son válidas",
    "not a question of this form": "no es una pregunta de este formulario",
    "some answers are missing": "faltan algunas respuestas",
    "this question needs an answer": "conteste esta pregunta",
    "consent is needed for this visit": "para esta cita necesitamos su consentimiento",
    "please agree to continue": "para seguir, marque que está de acuerdo",
    "check-in is only for booked appointments (this one is {status})": (
        "el registro de llegada es solo para citas reservadas (esta cita está {status})"
    ),
    "check-in opens on {when}": "el registro de llegada se abre el {when}",
    "check-in has closed: this visit has started": "el registro de llegada se cerró: la cita ya empezó",
    "some check-in details are missing": "faltan algunos datos del registro de llegada",
    "please confirm your details (or update your profile first)": (
        "confirme sus datos (o primero actualice su perfil)"
    ),
    "enter your insurance carrier and member id, or choose self-pay": (
        "escriba el nombre de su seguro y su número de miembro, o elija pagar usted mismo"
    ),
    "list your medications, or say you take none": "escriba sus medicinas, o diga que no toma ninguna",
    "list your allergies, or say you have none": "escriba sus alergias, o diga que no tiene ninguna",
    "not a form of this visit": "no es un formulario de esta cita",
    # The states an appointment or visit may be in, as filled into the messages above
    "booked": "reservada",
    "requested": "pedida",
    "cancelled": "cancelada",
    "declined": "rechazada",
    "rescheduled": "cambiada a otra hora",
    "arrived": "llegó",
    "roomed": "en el consultorio",
    "seen": "atendida",
    "no-show": "no vino",
    # Field messages from validation (pydantic's wording)
    "Field required": "Este dato es obligatorio",
    "String should have at least 1 character": "Escriba al menos 1 carácter",
    "Input should be a valid string": "Escriba un texto",
    "Input should be a valid integer": "Escriba un número entero",
    "Input should be a valid number": "Escriba un número",
    "Input should be greater than 0": "Escriba un número mayor que 0",
    "Extra inputs are not permitted": "Este dato no se permite",
    "Input should be a valid date": "Escriba una fecha válida",
    # Field messages from the portal's own validators
    "not a valid phone number": "no es un número de teléfono válido",
    "enter a 5-digit ZIP code (or ZIP+4)": "escriba un código postal de 5 dígitos (o ZIP+4)",
    "not a US state or territory code": "no es un estado o territorio de EE. UU.",
    "a birth date cannot be in the future": "una fecha de nacimiento no puede ser en el futuro",
    "a date in the future is not allowed here": "aquí no se permite una fecha en el futuro",
    "may be changed but not removed": "se puede cambiar, pero no borrar",
    "nothing to change": "no hay nada que cambiar",
    "must be one line of plain text (no control or direction-changing characters)": (
        "debe ser una sola línea de texto simple"
    ),
    "contains characters that are not allowed in text (control or direction-changing)": (
        "tiene caracteres que no se permiten en el texto"
    ),
    "only PDF, JPEG and PNG files can be uploaded": "solo se pueden subir archivos PDF, JPEG y PNG",
    "the file is empty": "el archivo está vacío",
}

CATALOGS: Final[dict[Locale, dict[str, str]]] = {"en": {}, "es": SPANISH}
