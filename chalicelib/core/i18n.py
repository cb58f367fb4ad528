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
    "answer yes or no": "conteste sí o no",
    "enter a whole number": "escriba un número entero",
    "enter text": "escriba un texto",
    "choose one of the options": "elija una de las opciones",
    "enter a date as YYYY-MM-DD": "escriba una fecha como AAAA-MM-DD",
    "enter a date between {first} and {last}": "escriba una fecha entre el {first} y el {last}",
    "this answer is empty": "esta respuesta está vacía",
    "at most {count} characters": "como máximo {count} caracteres",
    # Signing in, two-step sign-in and passwords (core/access.py, core/auth.py, accounts/)
    "sign in again: the access token is missing, invalid or expired": (
        "vuelva a iniciar sesión: su sesión venció o no es válida"
    ),
    "set up your authenticator app before you continue": (
        "configure su aplicación de autenticación antes de seguir"
    ),
    "the email address or the password is not right": (
        "el correo electrónico o la contraseña no son correctos"
    ),
    "that code isn't right: check the time on your phone and enter the code the app shows now": (
        "ese código no es correcto: revise la hora de su teléfono y escriba el código que la aplicación "
        "muestra ahora"
    ),
    "the code does not match": "el código no coincide",
    "staff accounts must keep two-step sign-in": (
        "las cuentas del personal deben mantener el inicio de sesión en dos pasos"
    ),
    "same as the current one": "es igual a la actual",
    "sign in again to set up your authenticator app": (
        "vuelva a iniciar sesión para configurar su aplicación de autenticación"
    ),
    "sign in again to change your sign-in settings": (
        "vuelva a iniciar sesión para cambiar cómo inicia sesión"
    ),
    "start the set-up again: scan a new code": "vuelva a empezar: escanee un código nuevo",
    "this is not your current password": "esta no es su contraseña actual",
    "used before": "ya la usó antes",
    "a new password needs {rules}": "la contraseña nueva necesita {rules}",
    "needs {rules}": "necesita {rules}",
    "at least {count} characters": "al menos {count} caracteres",
    "an uppercase letter": "una letra mayúscula",
    "a lowercase letter": "una letra minúscula",
    "a number": "un número",
    "a symbol": "un símbolo",
    "{listed}, {rule}": "{listed}, {rule}",
    "{listed} and {last}": "{listed} y {last}",
    "this account exists with another role": "esta cuenta ya existe con otro tipo de usuario",
    "this account was changed meanwhile; reload it and try again": (
        "esta cuenta cambió; vuelva a cargar la página e inténtelo de nuevo"
    ),
    "a change of role or of turned off needs the account as read": (
        "vuelva a cargar la cuenta antes de cambiarla"
    ),
    "this username is already taken": "este nombre de usuario ya está en uso",
    "too many attempts: please try again in 1 minute, or call the clinic": (
        "demasiados intentos: inténtelo de nuevo en 1 minuto, o llame a la clínica"
    ),
    "too many attempts: please try again in {minutes} minutes, or call the clinic": (
        "demasiados intentos: inténtelo de nuevo en {minutes} minutos, o llame a la clínica"
    ),
    # The request itself (core/access.py, core/dynamo.py)
    "the request body holds text that is not valid Unicode": "la solicitud tiene texto que no se puede leer",
    "the request body is nested deeper than {depth} levels": (
        "la solicitud tiene más de {depth} niveles y no se puede leer"
    ),
    "the request body is larger than {kb} KB": "la solicitud es de más de {kb} KB",
    "send the request body as application/json": "la solicitud no se pudo leer",
    "not a JSON number": "no es un número",
    "number out of range": "el número es demasiado grande",
    "the service is busy right now; please try again in a moment": (
        "el servicio está ocupado en este momento; inténtelo de nuevo en un momento"
    ),
    "this item's stored data is damaged and cannot be shown": (
        "no podemos mostrar esta información porque está dañada; llame a la clínica"
    ),
    "invalid cursor": "la lista no se pudo seguir cargando",
    "not a cursor from this list": "vuelva a cargar la lista",
    "must be between {first} and {last}": "debe ser entre el {first} y el {last}",
    # Activation, registration and caregivers (enrolment/, proxies/)
    "this username is taken; choose another": "este nombre de usuario ya está en uso; elija otro",
    "already taken": "ya está en uso",
    "choose a stronger password": "elija una contraseña más segura",
    "this password is not strong enough": "esta contraseña no es lo bastante segura",
    "use at least 12 characters": "use al menos 12 caracteres",
    "use upper- and lower-case letters and a number": "use letras mayúsculas y minúsculas y un número",
    "use at least one symbol": "use al menos un símbolo",
    "this patient could not be registered; please try again": (
        "no pudimos registrar a este paciente; inténtelo de nuevo"
    ),
    "a parent or guardian arranges caregiver access for patients under {age}": (
        "para pacientes menores de {age} años, el padre, la madre o el tutor decide quién es cuidador"
    ),
    "invitation not found": "no se encontró la invitación",
    "this clinic does not take registration requests online; please call us": (
        "esta clínica no recibe solicitudes de registro por internet; llámenos"
    ),
    "registration request not found": "no se encontró la solicitud de registro",
    "this request was already decided": "ya se decidió esta solicitud",
    "choose the existing record": "elija el expediente que ya existe",
    "required to match": "es obligatorio para unir los expedientes",
    "this invitation was already accepted; to end that access, remove the person": (
        "esta invitación ya se aceptó; para terminar ese acceso, quite a la persona"
    ),
    "this invitation was already cancelled": "esta invitación ya se canceló",
    "this code does not match an invitation you can accept (it may have been cancelled or used already); "
    "ask for a new one": (
        "este código no es de una invitación que usted pueda aceptar (puede que se haya cancelado o usado); "
        "pida uno nuevo"
    ),
    "choose today or a later date": "elija hoy o una fecha después",
    "only the front desk can grant access": "solo la recepción puede dar acceso",
    "no portal account has that username; the person must sign up first": (
        "no hay ninguna cuenta del portal con ese nombre de usuario; la persona primero debe registrarse"
    ),
    "no portal account with this username": "no hay ninguna cuenta del portal con este nombre de usuario",
    "staff accounts cannot be given access to a patient's record": (
        "no se puede dar acceso al expediente de un paciente a una cuenta del personal"
    ),
    "this is a staff account": "esta es una cuenta del personal",
    "a patient already has access to their own record": "el paciente ya tiene acceso a su propio expediente",
    "this is the patient": "este es el paciente",
    'choose at least one area, or "full"': "elija al menos un área, o acceso completo",
    "this patient has too many caregiver grants to change at once; remove some first": (
        "este paciente tiene demasiados cuidadores para cambiarlos todos a la vez; primero quite algunos"
    ),
    # Messages
    "conversation not found": "no se encontró la conversación",
    "this conversation is closed; please start a new one if you need us": (
        "esta conversación está cerrada; si nos necesita, empiece una nueva"
    ),
    "not a care team of this clinic": "no es un equipo de atención de esta clínica",
    "you are not a member of this care team": "usted no es parte de este equipo de atención",
    # The health record (records/)
    "problem not found": "no se encontró el problema de salud",
    "medication not found": "no se encontró la medicina",
    "allergy not found": "no se encontró la alergia",
    "immunization not found": "no se encontró la vacuna",
    "visit not found": "no se encontró la consulta",
    "this entry was changed by someone else; reload it and try again": (
        "otra persona cambió esto; vuelva a cargar la página e inténtelo de nuevo"
    ),
    "the record refuses this entry as written; add it from the chart instead": (
        "el expediente no acepta esto tal como está escrito; agréguelo desde el expediente clínico"
    ),
    "cannot be before the start date": "no puede ser antes de la fecha de inicio",
    # Results
    "result not found": "no se encontró el resultado",
    "some choices are not possible": "algunas opciones no se pueden elegir",
    "your preferences were changed elsewhere; reload them and try again": (
        "sus preferencias cambiaron en otro lugar; vuelva a cargar la página e inténtelo de nuevo"
    ),
    "a hold must end in the future": "la espera debe terminar en una fecha que todavía no pasó",
    "must be in the future": "debe ser una fecha que todavía no pasó",
    "a hold is time-limited": "la espera debe tener una fecha de fin",
    "unknown result category": "no conocemos ese tipo de resultado",
    "not a result category of this clinic": "no es un tipo de resultado de esta clínica",
    "{who} reviewed this result meanwhile; reload it to see their review": (
        "{who} revisó este resultado mientras tanto; vuelva a cargar la página para ver su revisión"
    ),
    "another clinician": "otro médico",
    "this result is already available to the patient": "el paciente ya puede ver este resultado",
    # Refills and pharmacies
    "refill request not found": "no se encontró el pedido de resurtido",
    "this refill request was already decided; reload to see the decision": (
        "ya se decidió este pedido de resurtido; vuelva a cargar la página para ver la respuesta"
    ),
    "only an approved refill with its prescription can be printed": (
        "solo se puede imprimir un resurtido aprobado con su receta"
    ),
    "say why the refill is denied: the patient reads this note": (
        "escriba por qué se niega el resurtido: el paciente lee esta nota"
    ),
    "an approval needs the prescription: drug, dose, quantity, refills and pharmacy": (
        "para aprobarlo hace falta la receta: medicina, dosis, cantidad, resurtidos y farmacia"
    ),
    "pharmacy not found": "no se encontró la farmacia",
    "at most {most} pharmacies can be saved; remove one first": (
        "se pueden guardar como máximo {most} farmacias; primero quite una"
    ),
    "not a medication on this patient's list": "no es una medicina de su lista",
    "this medication was stopped, so it cannot be refilled; send your care team a message instead": (
        "esta medicina se suspendió y no se puede resurtir; mejor envíe un mensaje a su equipo de atención"
    ),
    "not one of this patient's saved pharmacies": "no es una de sus farmacias guardadas",
    # Billing
    "statement not found": "no se encontró el estado de cuenta",
    "only open statements can go on a payment plan; this one is {status}": (
        "solo un estado de cuenta abierto puede tener un plan de pagos (este está: {status})"
    ),
    "only open statements can be voided; this one is {status}": (
        "solo se puede anular un estado de cuenta abierto (este está: {status})"
    ),
    "paid": "pagado",
    "void": "anulado",
    "this plan is already completed": "este plan de pagos ya terminó",
    "this plan is already cancelled": "este plan de pagos ya se canceló",
    "this payment is not waiting for a card; it is {status}": (
        "este pago no está esperando una tarjeta (estado: {status})"
    ),
    "the card was not saved; please try again": "la tarjeta no se guardó; inténtelo de nuevo",
    "this statement has payments; refund them before voiding it": (
        "este estado de cuenta tiene pagos; devuélvalos antes de anularlo"
    ),
    "this statement is on a payment plan; cancel the plan before voiding it": (
        "este estado de cuenta tiene un plan de pagos; cancele el plan antes de anularlo"
    ),
    "not this clinic's currency": "no es la moneda de esta clínica",
    "not the statement's currency": "no es la moneda del estado de cuenta",
    "every payment needs an Idempotency-Key header (a new random value per payment attempt)": (
        "el pago no se pudo enviar; vuelva a cargar la página e inténtelo de nuevo"
    ),
    "required": "es obligatorio",
    "the Idempotency-Key header is not valid": (
        "el pago no se pudo enviar; vuelva a cargar la página e inténtelo de nuevo"
    ),
    "send either card_token (confirm) or approve (the issuer's check)": "la solicitud no se pudo leer",
    "insurance paid plus adjustments exceed the charges": (
        "lo que pagó el seguro más los ajustes es mayor que los cargos"
    ),
    "this insurance was changed by someone else; reload it and try again": (
        "otra persona cambió este seguro; vuelva a cargar la página e inténtelo de nuevo"
    ),
    "this card can't be saved as written; add it on the billing page instead": (
        "esta tarjeta no se puede guardar así; mejor agréguela en la página de pagos"
    ),
    "no such document": "no se encontró el documento",
    # Staff scheduling validators that share appointments/models.py with booking
    "not a slot id": "ese horario no existe",
    "not a slot id (bad date)": "ese horario no existe",
    "use whole minutes in steps of 5": "use minutos enteros de 5 en 5",
    "end_time must be after start_time": "la hora de fin debe ser después de la hora de inicio",
    "valid_until must not be before valid_from": "la fecha de fin no puede ser antes de la fecha de inicio",
    "weekdays must not repeat": "los días de la semana no se pueden repetir",
    "give both times with an offset, or both without": (
        "escriba las dos horas con zona horaria, o las dos sin ella"
    ),
    "end must be after start": "el fin debe ser después del inicio",
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
    "String should have at most {max_length} characters": "Escriba como máximo {max_length} caracteres",
    "String should have at least {min_length} characters": "Escriba al menos {min_length} caracteres",
    "List should have at most {max_length} items after validation, not {actual_length}": (
        "Elija como máximo {max_length}, no {actual_length}"
    ),
    "List should have at least {min_length} items after validation, not {actual_length}": (
        "Elija al menos {min_length}, no {actual_length}"
    ),
    "Input should be greater than {gt}": "Escriba un número mayor que {gt}",
    "Input should be greater than or equal to {ge}": "Escriba un número mayor o igual a {ge}",
    "Input should be less than {lt}": "Escriba un número menor que {lt}",
    "Input should be less than or equal to {le}": "Escriba un número menor o igual a {le}",
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
