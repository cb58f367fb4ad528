"""Who may do what: the policy table, the route guard, and the patient-scope rule.

Every route wears exactly one of `requires(action)` or `public(name)`. The guard verifies the token,
checks the caller's role against POLICY, parses input with pydantic, calls the view and turns every
outcome into our one JSON shape. A route whose path names {patient_id} is authorized for that patient by
the guard itself (`authorize_patient`), once, before its view runs: services never repeat it.

The contract is also the route's entry in the OpenAPI document (system/openapi.py): the view's name is
the operation's, and `status=` / `errors=` declare the success statuses the view answers and the error
statuses its service raises beyond the guard's own.

Contracts name their models lazily (cold starts). Creating a pydantic class costs milliseconds and
there are hundreds, so `import app` must not import any feature's models module: a request then loads
only the models module it uses. A route module binds its models module with `lazy_module` (as it does its
services) and gives `body=`, `query=` and `returns=` a lambda that returns the class; mypy checks the
attribute, the guard calls the lambda once, on the first request, and keeps the class:

    if TYPE_CHECKING:
        from chalicelib.records import models as record_models
        from chalicelib.records.models import ProblemIn, Record  # annotations only
    else:
        record_models = lazy_module("chalicelib.records.models")

    @bp.route("/patients/{patient_id}/problems", methods=["POST"])
    @requires("record:write", body=lambda: record_models.ProblemIn, returns=lambda: record_models.Problem)
    def create_problem(patient_id: str, *, caller: Caller, body: ProblemIn) -> Record:
        ...

Converting a route module (a new one arriving from a branch, say):
1. Put its `from chalicelib.x.models import A, B` under `if TYPE_CHECKING:`, next to
   `from chalicelib.x import models as x_models`; in the `else:` branch,
   `x_models = lazy_module("chalicelib.x.models")`. Handler annotations keep the bare names: with
   `from __future__ import annotations` they are never evaluated.
2. `body=A` becomes `body=lambda: x_models.A`; the same for `query=` and `returns=`.
3. Code that runs goes through the lazy module: `x_models.A(...)`, never `A(...)` (ruff's TC004 flags a
   name imported under TYPE_CHECKING that is used at run time).
4. Models defined in the route module (query strings, say) move to its models module: a class
   statement runs at import.
5. tests/unit/test_cold_start.py resolves every contract (a wrong name fails there, and in mypy) and
   checks that `import app` leaves the models modules unloaded.
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, Literal

from chalice import Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from chalicelib.core import errors, i18n
from chalicelib.core.errors import PayloadTooLarge
from chalicelib.core.identity import FULL_SCOPE, STAFF_ROLES, Area, Role, Scope
from chalicelib.core.observability import logger

if TYPE_CHECKING:
    from chalicelib.core.auth import TokenIdentity
    from chalicelib.core.identity import Relationship
    from chalicelib.core.users import Account

View = Callable[..., Any]
# A route's model, named lazily: `lambda: record_models.ProblemIn` (see the module docstring).
ModelSource = Callable[[], type[BaseModel]]

_ALL: Final = frozenset(Role)

POLICY: Final[dict[str, frozenset[Role]]] = {
    "me:read": _ALL,
    "session:end": _ALL,
    # account security
    "mfa:setup": _ALL,
    "mfa:verify": _ALL,
    "mfa:disable": frozenset({Role.PATIENT}),  # staff must keep their authenticator (an admin resets it)
    "password:change": _ALL,
    "language:save": _ALL,
    "profile:read": _ALL,
    "profile:update": frozenset({Role.PATIENT, Role.FRONT_DESK, Role.ADMIN}),
    "profile:correct_birth_date": frozenset({Role.FRONT_DESK, Role.ADMIN}),
    "access_log:read": frozenset({Role.PATIENT, Role.ADMIN}),
    # health record, results, documents, export
    "record:read": frozenset({Role.PATIENT, Role.CLINICIAN}),
    "record:write": frozenset({Role.CLINICIAN}),
    # hide one result, entry or document from a teenager's parent or guardian (core/minors.py)
    "confidential:mark": frozenset({Role.CLINICIAN}),
    "result:read": frozenset({Role.PATIENT, Role.CLINICIAN}),
    "result:write": frozenset({Role.CLINICIAN}),
    "result:worklist": frozenset({Role.CLINICIAN}),
    "result_prefs:read": frozenset({Role.PATIENT, Role.CLINICIAN}),
    "result_prefs:update": frozenset({Role.PATIENT}),  # the patient's own choice, nobody else's
    "record:export": frozenset({Role.PATIENT}),  # "download my record": the patient and their caregivers
    "document:read": frozenset({Role.PATIENT, Role.CLINICIAN, Role.FRONT_DESK}),
    # Front desk scans insurance cards; clinicians add outside records.
    "document:upload": frozenset({Role.PATIENT, Role.CLINICIAN, Role.FRONT_DESK}),
    # appointments
    "appointment:read": frozenset({Role.PATIENT, Role.CLINICIAN, Role.FRONT_DESK, Role.ADMIN}),
    "appointment:book": frozenset({Role.PATIENT, Role.CLINICIAN, Role.FRONT_DESK}),
    "appointment:cancel": frozenset({Role.PATIENT, Role.CLINICIAN, Role.FRONT_DESK}),
    "checkin:submit": frozenset({Role.PATIENT, Role.FRONT_DESK}),
    # what a patient sent at eCheck-in, set beside the record and accepted into it item by item
    "checkin_review:read": frozenset({Role.FRONT_DESK, Role.CLINICIAN}),
    "checkin_review:decide": frozenset({Role.FRONT_DESK, Role.CLINICIAN}),
    # Clinicians only of the visit's provider (its care-team pool); front desk and admins never join.
    "video:join": frozenset({Role.PATIENT, Role.CLINICIAN}),
    "video:admit": frozenset({Role.CLINICIAN}),
    "schedule:read": frozenset({Role.CLINICIAN, Role.FRONT_DESK, Role.ADMIN}),
    "schedule:manage": frozenset({Role.CLINICIAN, Role.FRONT_DESK}),
    "availability:manage": frozenset({Role.CLINICIAN, Role.FRONT_DESK, Role.ADMIN}),
    # statements, payments, plans, insurance on file
    "billing_settings:read": _ALL,
    "statement:read": frozenset({Role.PATIENT, Role.FRONT_DESK, Role.BILLING}),
    "statement:write": frozenset({Role.BILLING}),
    "ledger:read": frozenset({Role.PATIENT, Role.BILLING}),
    "billing:worklist": frozenset({Role.BILLING}),
    "billing:jobs": frozenset({Role.BILLING, Role.ADMIN}),
    "payment:read": frozenset({Role.PATIENT, Role.FRONT_DESK, Role.BILLING}),
    "payment:create": frozenset({Role.PATIENT}),  # card tokens come from the patient's own browser
    "payment:refund": frozenset({Role.BILLING}),
    "billing:disputes": frozenset({Role.BILLING}),
    # the saved card for payment plans: the patient's own browser gives it to the processor
    "card:read": frozenset({Role.PATIENT, Role.BILLING}),
    "card:write": frozenset({Role.PATIENT}),
    "payment_plan:read": frozenset({Role.PATIENT, Role.BILLING}),
    "payment_plan:create": frozenset({Role.PATIENT}),
    "payment_plan:cancel": frozenset({Role.PATIENT, Role.BILLING}),
    "insurance:read": frozenset({Role.PATIENT, Role.FRONT_DESK, Role.BILLING}),
    "insurance:write": frozenset({Role.PATIENT, Role.FRONT_DESK, Role.BILLING}),
    "insurance:verify": frozenset({Role.FRONT_DESK, Role.BILLING}),
    # threads with care-team pools, refill requests, saved pharmacies
    # Staff reach a thread only through membership of its pool (admins: every pool); see messaging/service.py.
    "care_teams:read": _ALL,
    "thread:list": frozenset({Role.PATIENT}),
    "thread:create": frozenset({Role.PATIENT}),
    "thread:read": frozenset({Role.PATIENT, Role.CLINICIAN, Role.FRONT_DESK, Role.BILLING, Role.ADMIN}),
    "thread:reply": frozenset({Role.PATIENT, Role.CLINICIAN, Role.FRONT_DESK, Role.BILLING, Role.ADMIN}),
    "thread:manage": frozenset({Role.CLINICIAN, Role.FRONT_DESK, Role.BILLING, Role.ADMIN}),
    "inbox:read": frozenset({Role.CLINICIAN, Role.FRONT_DESK, Role.BILLING, Role.ADMIN}),
    "messaging:jobs": frozenset({Role.ADMIN}),  # send the daily digest now (it also runs on a schedule)
    "refill:read": frozenset({Role.PATIENT, Role.CLINICIAN}),
    "refill:create": frozenset({Role.PATIENT}),
    "refill:decide": frozenset({Role.CLINICIAN}),
    "refill:worklist": frozenset({Role.CLINICIAN}),
    "refill:print": frozenset({Role.CLINICIAN}),
    # the clinician's work queue (unreviewed results, open refills, conversations awaiting a reply)
    "queue:read": frozenset({Role.CLINICIAN}),
    "queue:counts": frozenset({Role.CLINICIAN}),
    "pharmacy:read": frozenset({Role.PATIENT, Role.CLINICIAN, Role.FRONT_DESK}),
    "pharmacy:write": frozenset({Role.PATIENT, Role.FRONT_DESK}),
    # registration and activation: the front desk puts people into the portal (activation itself is public)
    "patient:register": frozenset({Role.FRONT_DESK, Role.ADMIN}),
    "invitation:read": frozenset({Role.FRONT_DESK, Role.ADMIN}),
    "invitation:write": frozenset({Role.FRONT_DESK, Role.ADMIN}),
    "registration_request:read": frozenset({Role.FRONT_DESK, Role.ADMIN}),
    "registration_request:decide": frozenset({Role.FRONT_DESK, Role.ADMIN}),
    # Bringing a clinic's existing patients in at go-live (a file of thousands): administrators only.
    "patient:import": frozenset({Role.ADMIN}),
    "patient:import_invite": frozenset({Role.ADMIN}),
    # caregivers: through an explicit, revocable grant
    "proxy:read": frozenset({Role.PATIENT, Role.FRONT_DESK, Role.ADMIN}),  # patient: "self" only
    "proxy:grant": frozenset({Role.FRONT_DESK, Role.ADMIN}),  # identity and authority checked in person
    "proxy:revoke": frozenset({Role.PATIENT, Role.FRONT_DESK, Role.ADMIN}),  # patient, or the caregiver
    # the patient's home: what needs attention, from several features, as one audited read
    "home:read": frozenset({Role.PATIENT}),
    "proxy:update": frozenset({Role.PATIENT, Role.FRONT_DESK, Role.ADMIN}),  # patient: "self" only
    "proxy:invite": frozenset({Role.PATIENT}),  # an adult patient invites their own caregiver by email
    "proxy:accept": frozenset({Role.PATIENT}),  # a portal account accepts an invitation's code
    # the patient's own invitations not yet accepted: the patient themself only, never a caregiver
    "proxy:invitation_read": frozenset({Role.PATIENT}),
    "proxy:invitation_cancel": frozenset({Role.PATIENT}),
    # Staff patient search: find a patient by name, birth date or id (every listed patient is audited).
    "patient:search": frozenset({Role.CLINICIAN, Role.FRONT_DESK, Role.BILLING, Role.ADMIN}),
    # staff administration: staff accounts, invitations, authenticator resets, and the audit of them
    "staff_admin:read": frozenset({Role.ADMIN}),
    "staff_admin:write": frozenset({Role.ADMIN}),
    "admin_audit:read": frozenset({Role.ADMIN}),
    # who opened which record (a patient's accesses, the privacy report): administrators only
    "access_review:read": frozenset({Role.ADMIN}),
}

# What each action reached through a caregiver grant touches: an area and "read" or "act". The guard
# serves a caregiver only when their grant's scope covers it (see `scope_permits`); otherwise the same 404
# a stranger gets. "any": every grant (the patient's name; giving up one's own access). "full": only a
# whole-record grant. "self": the patient themself, never a caregiver. An action a caregiver may call
# that is missing here is "full" (tests/api/test_access_matrix.py checks each route against this table).
AnyGrant = Literal["any", "full", "self"]
AREA_OF: Final[dict[str, tuple[Area | AnyGrant, Literal["read", "act"]]]] = {
    "profile:read": ("any", "read"),
    "proxy:revoke": ("any", "act"),
    "proxy:read": ("self", "read"),
    "proxy:update": ("self", "act"),
    "proxy:invite": ("self", "act"),
    "proxy:invitation_read": ("self", "read"),
    "proxy:invitation_cancel": ("self", "act"),
    "profile:update": ("full", "act"),
    "access_log:read": ("full", "read"),
    "home:read": ("any", "read"),  # the summary leaves out the areas a grant does not cover (home/service.py)
    "appointment:read": ("appointments", "read"),
    "appointment:book": ("appointments", "act"),
    "appointment:cancel": ("appointments", "act"),
    "checkin:submit": ("appointments", "act"),
    "video:join": ("appointments", "act"),
    "thread:list": ("messages", "read"),
    "thread:read": ("messages", "read"),
    "thread:create": ("messages", "act"),
    "thread:reply": ("messages", "act"),
    "statement:read": ("billing", "read"),
    "ledger:read": ("billing", "read"),
    "payment:read": ("billing", "read"),
    "card:read": ("billing", "read"),
    "payment_plan:read": ("billing", "read"),
    "insurance:read": ("billing", "read"),
    "payment:create": ("billing", "act"),
    "card:write": ("billing", "act"),
    "payment_plan:create": ("billing", "act"),
    "payment_plan:cancel": ("billing", "act"),
    "insurance:write": ("billing", "act"),
    "record:read": ("health_record", "read"),
    "result:read": ("health_record", "read"),
    "result_prefs:read": ("health_record", "read"),
    "result_prefs:update": ("health_record", "act"),
    "record:export": ("health_record", "read"),
    "document:read": ("documents", "read"),
    "document:upload": ("documents", "act"),
    "refill:read": ("refills", "read"),
    "pharmacy:read": ("refills", "read"),
    "refill:create": ("refills", "act"),
    "pharmacy:write": ("refills", "act"),
}


def scope_permits(scope: Scope, action: str | None) -> bool:
    """Whether a caregiver grant of this scope covers the action (None: a call made outside a route)."""
    area, kind = AREA_OF.get(action or "", ("full", "act"))
    if area == "any":
        return True
    if area == "self" or (kind == "act" and scope.access != "act"):
        return False
    if area == "full":
        return scope.full
    return scope.areas is None or area in scope.areas


# What a staff member without MFA may still do: enrol, see who they are, and sign out. Every other route
# answers 403 "mfa_required" to them, so the web sends them to the enrolment page.
MFA_EXEMPT: Final = frozenset({"mfa:setup", "mfa:verify", "me:read", "session:end", "language:save"})

JSON_HEADERS: Final = {"Content-Type": "application/json"}
# A route whose path names {patient_id} is authorized for that patient by the guard, before its view runs.
PATIENT_PARAM: Final = "patient_id"
# Every id in a path (patient, appointment, slot, "patient.item" refs) is made of these; anything else
# cannot name an item, so it is not found before any lookup.
PATH_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,199}")
# JSON bodies are small forms; files go to S3 directly. Nesting deeper than this is no form of ours (and
# DynamoDB itself stores at most 32 levels).
MAX_JSON_BYTES: Final = 1024 * 1024
MAX_JSON_DEPTH: Final = 16

# The request being served, bound by app.py's middleware for the length of one request. Chalice's
# `current_request` is one attribute of the app, shared by every thread of a threaded server: reading it
# from a view could hand one caller another's headers.
_request: ContextVar[Request | None] = ContextVar("request", default=None)


@contextmanager
def serving(request: Request) -> Iterator[None]:
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


def _current_request() -> Request:
    request = _request.get()
    if request is None:
        raise RuntimeError("a guarded view ran outside app.py's request middleware")
    return request


@dataclass(frozen=True)
class Caller:
    """The verified person behind a request. Carries ids and a display name, never PHI of patients."""

    sub: str
    username: str
    role: Role
    display_name: str
    request_id: str
    acts_for: Mapping[str, Relationship] = field(default_factory=dict)
    # What each caregiver grant covers, by patient id; a caregiver link missing here is the whole record.
    scopes: Mapping[str, Scope] = field(default_factory=dict)
    # Patients whose grant names this caller parent or guardian: teenagers' rules (core/minors.py).
    parental: frozenset[str] = frozenset()
    pools: frozenset[str] = frozenset()  # care-team pools a staff member answers for
    mfa_enabled: bool = False
    language: str | None = None  # the account's chosen language (staff, caregivers: no record of their own)
    # The verified bearer token, for the few Cognito calls made on the user's own behalf (MFA enrolment).
    access_token: str = field(default="", repr=False, compare=False)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def scope_for(self, patient_id: str) -> Scope:
        return self.scopes.get(patient_id, FULL_SCOPE)


@dataclass(frozen=True)
class Visitor:
    """Whoever calls a public route: no account, so only the request's id and the address it came from."""

    request_id: str
    source_ip: str


def source_ip_of(request: Request) -> str:
    """The caller's address as API Gateway saw it (`requestContext.identity.sourceIp`). Behind CloudFront
    that is the viewer's address CloudFront recorded; never X-Forwarded-For, which the caller writes."""
    context = getattr(request, "context", None)
    identity = context.get("identity") if isinstance(context, dict) else None
    source_ip = identity.get("sourceIp") if isinstance(identity, dict) else None
    return str(source_ip) if source_ip else "unknown"


def authorize_patient(caller: Caller, patient_id: str, action: str | None = None) -> None:
    """Raise NotFound unless the caller may reach this patient for this action.

    Patients (and caregivers) reach only the patients they are linked to; a caregiver only for the areas
    their grant's scope covers (AREA_OF), and a parent or guardian of a teenager only for the clinic's
    teen-safe areas (core/minors.py). Staff roles reach any existing patient; their per-action rights
    were already checked by the guard. Unknown ids, other patients' ids and areas outside a grant answer
    the same, so neither ids nor scopes can be probed.
    """
    from chalicelib.core import users

    if caller.role is Role.PATIENT:
        if not linked_caller_permits(caller, patient_id, action):
            raise errors.NotFound("patient not found")
        return
    if not caller.is_staff or not users.patient_exists(patient_id):
        raise errors.NotFound("patient not found")


def linked_caller_permits(caller: Caller, patient_id: str, action: str | None) -> bool:
    """Whether a patient-role caller may take this action on this patient's record: always on their own,
    within the grant's scope as a caregiver, and within the teen-safe areas as a teenager's parent. Also
    asked part by part by a route that gathers several areas into one answer (the home summary)."""
    relationship = caller.acts_for.get(patient_id)
    if relationship is None:
        return False
    if relationship != "caregiver":
        return True
    if not scope_permits(caller.scope_for(patient_id), action):
        return False
    if patient_id in caller.parental:
        from chalicelib.core import minors  # a parent of a teenager: the teen-safe areas only

        return minors.teen_permits(action) or not minors.is_teen(patient_id)
    return True


def request_id_of(request: Request | None) -> str:
    """API Gateway's request id; where there is none (local server), one made up once per request."""
    context = getattr(request, "context", None)
    if not isinstance(context, dict):
        return str(uuid.uuid4())
    if not context.get("requestId"):
        context["requestId"] = str(uuid.uuid4())
    return str(context["requestId"])


def _authenticate(request: Request, request_id: str, allowed: frozenset[Role], action: str) -> Caller:
    from chalicelib.core import auth
    from chalicelib.core import users as user_store

    token = auth.bearer_token(request.headers.get("authorization"))
    identity = auth.verify_access_token(token)
    if identity.role is None:  # in no group: Cognito says this sign-in has no part in the portal
        raise errors.Forbidden("your role may not do this")
    account = user_store.get_account(identity.sub)
    if account is None and identity.role in STAFF_ROLES:
        account = _first_request_of_staff(identity, identity.role, request_id)
    if account is not None and account.disabled:
        raise errors.Unauthorized("this account is turned off: contact the clinic")
    # The account item says what the caller may do, read afresh on every request: a role an admin changed
    # applies from the next request, whatever group the token names (the role at sign-in), so a token
    # never grants more than the account. Only a patient with no account item acts on the token's group.
    role = account.role if account is not None else identity.role
    if role is None or role not in allowed:
        raise errors.Forbidden("your role may not do this")
    # Whole seconds both sides: a token from the very second of the sign-out is let through, so that
    # signing straight back in works; the browser that signed out has already dropped its own tokens.
    if account and account.signed_out_at is not None and identity.issued_at < account.signed_out_at:
        raise errors.Unauthorized("you signed out of this session: sign in again")
    logger.thread_safe_append_keys(actor_sub=identity.sub, actor_role=role.value)
    mfa_enabled = bool(account and account.mfa_enabled)
    if role in STAFF_ROLES and not mfa_enabled and action not in MFA_EXEMPT:
        raise errors.MfaRequired("set up your authenticator app before you continue")
    return Caller(
        sub=identity.sub,
        username=identity.username,
        role=role,
        display_name=account.display_name if account else identity.username,
        request_id=request_id,
        acts_for=dict(account.acts_for) if account and role is Role.PATIENT else {},
        scopes=dict(account.scopes) if account and role is Role.PATIENT else {},
        parental=account.parental if account and role is Role.PATIENT else frozenset(),
        # staff answer for the care-team pools on their account
        pools=frozenset(account.pools) if account and role in STAFF_ROLES else frozenset(),
        mfa_enabled=mfa_enabled,
        language=account.language if account else None,
        access_token=token,
    )


def _first_request_of_staff(identity: TokenIdentity, role: Role, request_id: str) -> Account:
    """A staff member Cognito knows but the portal does not (the first admin, created with the AWS CLI):
    their account is made from the token's claims and the sign-in's email address, so sign-out, MFA and
    "forgot username" work for them as for everyone else."""
    from chalicelib.core import account_events
    from chalicelib.core import users as user_store

    email = user_store.sign_in_email(identity.username)
    account = user_store.Account(
        sub=identity.sub, username=identity.username, display_name=identity.username, role=role, email=email
    )
    event = account_events.entry(
        account_sub=identity.sub,
        actor_sub=identity.sub,
        actor_role=role,
        action="account.created_on_first_sign_in",
        request_id=request_id,
    )
    # Two first requests at once: one writes the account with its audit event, the other reads it.
    if user_store.create_account(
        sub=identity.sub,
        username=identity.username,
        display_name=identity.username,
        role=role,
        email=email,
        also=[event],
    ):
        logger.info("account.created_on_first_sign_in")
        return account
    return user_store.get_account(identity.sub) or account


# pydantic's own messages with a limit in them, as templates of its wording: the message keeps the template
# (when it reads exactly as pydantic's) so the caller's language can be used (core/i18n.py has each).
PYDANTIC_TEMPLATES: Final[dict[str, str]] = {
    "string_too_long": "String should have at most {max_length} characters",
    "string_too_short": "String should have at least {min_length} characters",
    "too_long": "List should have at most {max_length} items after validation, not {actual_length}",
    "too_short": "List should have at least {min_length} items after validation, not {actual_length}",
    "greater_than": "Input should be greater than {gt}",
    "greater_than_equal": "Input should be greater than or equal to {ge}",
    "less_than": "Input should be less than {lt}",
    "less_than_equal": "Input should be less than or equal to {le}",
}


def field_errors(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in exc.errors(include_input=False, include_url=False):
        path = ".".join(str(part) for part in error["loc"]) or "body"
        context = error.get("ctx") or {}
        cause = context.get("error")
        message = str(error["msg"]).removeprefix("Value error, ")
        template = PYDANTIC_TEMPLATES.get(error["type"])
        if isinstance(cause, errors.InvalidValue):
            fields.setdefault(path, errors.FieldMessage(cause.template, cause.params))
        elif template is not None and _fills(template, context) == message:
            fields.setdefault(path, errors.FieldMessage(template, context))
        else:
            fields.setdefault(path, message)
    return fields


def _fills(template: str, values: dict[str, Any]) -> str | None:
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return None


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("number out of range")
    return number


def _refuse_constant(name: str) -> Any:
    raise ValueError("not a JSON number")  # never shown: read_json answers "not valid JSON"


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _check_shape(value: Any) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH and strings no UTF-8 text can hold (lone surrogates)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise errors.BadRequest("the request body holds text that is not valid Unicode")
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise errors.BadRequest(
                "the request body is nested deeper than {depth} levels", params={"depth": MAX_JSON_DEPTH}
            )
        children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
        pending.extend((child, depth + 1) for child in children)


def read_json(raw: bytes | str | None) -> Any:
    """The request body as JSON, within our limits; every refusal is a 4xx in our shape."""
    if not raw:
        raise errors.BadRequest("the request body is empty; send a JSON object")
    if len(raw) > MAX_JSON_BYTES:
        raise errors.PayloadTooLarge(
            "the request body is larger than {kb} KB", params={"kb": MAX_JSON_BYTES // 1024}
        )
    try:
        value = json.loads(raw, parse_float=_finite_float, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # RecursionError: nesting deep enough to exhaust the parser
        raise errors.BadRequest("the request body is not valid JSON") from None
    _check_shape(value)
    return value


def parse_body(model: type[BaseModel], request: Request) -> BaseModel:
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type and content_type != "application/json":  # none sent: JSON, as Chalice assumes
        raise errors.UnsupportedMediaType("send the request body as application/json")
    raw = read_json(request.raw_body)
    if not isinstance(raw, dict):
        raise errors.BadRequest("the request body must be a JSON object")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:  # name the fields, never echo the values
        raise errors.BadRequest("some fields are not valid", fields=field_errors(exc)) from None


def parse_query(model: type[BaseModel], request: Request) -> BaseModel:
    try:
        return model.model_validate(dict(request.query_params or {}))
    except ValidationError as exc:
        raise errors.BadRequest("some query parameters are not valid", fields=field_errors(exc)) from None


def _to_response(result: Any) -> Response:
    if isinstance(result, Response):
        return result
    if isinstance(result, BaseModel):
        result = result.model_dump(mode="json")
    return Response(body=result, headers=dict(JSON_HEADERS))


_UNAVAILABLE_AWS_CODES: Final = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "RequestLimitExceeded",
        "InternalServerError",
        "InternalError",
        "ServiceUnavailable",
        "SlowDown",
        "TooManyRequestsException",
    }
)


def _as_unavailable(exc: Exception) -> errors.ServiceUnavailable | None:
    """AWS busy or unreachable: the caller may retry; nothing was half-written (writes are transactions)."""
    module = type(exc).__module__
    if not module.startswith(("botocore", "urllib3")):
        return None
    from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code not in _UNAVAILABLE_AWS_CODES and status < 500:
            return None
    elif not isinstance(exc, ConnectionError | HTTPClientError):
        return None
    return errors.ServiceUnavailable("the service is busy right now; please try again in a moment")


def accept_language_locale(header: str | None) -> i18n.Locale:
    """The first portal language in an Accept-Language header (quality order), else English."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip().lower().split("-")[0]))
    for negative_quality, _, base in sorted(ranked):
        locale = i18n.portal_locale(base)
        if locale is not None and negative_quality < 0:
            return locale
    return i18n.DEFAULT_LOCALE


def _error_locale(request: Request | None, caller: Caller | None) -> i18n.Locale:
    """A refusal's language: a patient's saved one, else the one saved on the account (staff, caregivers);
    anyone else (not signed in yet, nothing saved) by the request's Accept-Language, which the portal sets to
    the language on screen."""
    if caller is not None and caller.language is not None and "self" not in caller.acts_for.values():
        return i18n.locale_of(caller.language)
    if caller is not None and caller.role is Role.PATIENT:
        from chalicelib.core import users

        try:
            saved = users.own_preferred_language(caller.acts_for)
        except Exception:  # the message's language is never worth a failed answer
            saved = None
        if saved is not None:
            return i18n.locale_of(saved)
    return accept_language_locale(request.headers.get("accept-language") if request else None)


def caller_locale(caller: Caller | None) -> i18n.Locale:
    """The language to answer this request in, for text the server words or picks (clinic-written text,
    refusals): a patient's saved language, else the one on screen (Accept-Language)."""
    return _error_locale(_request.get(), caller)


def _localized(exc: errors.PortalError, locale: i18n.Locale) -> errors.PortalError:
    """The same refusal with its message and field messages in `locale` (as they are when not catalogued)."""
    if locale == i18n.DEFAULT_LOCALE:
        return exc
    exc.message = _say(exc.template, exc.params, locale)
    if exc.fields:
        exc.fields = {
            name: _say(getattr(message, "template", message), getattr(message, "params", {}), locale)
            for name, message in exc.fields.items()
        }
    return exc


def _say(template: str, params: dict[str, object], locale: i18n.Locale) -> str:
    # Words filled in (a status such as "cancelled") are translated too when the catalog has them, and so
    # are values built from templates themselves (a list of password rules).
    said = {
        k: _say(v.template, v.params, locale)
        if isinstance(v, errors.FieldMessage)
        else i18n.text(v, locale)
        if isinstance(v, str)
        else v
        for k, v in params.items()
    }
    return i18n.text(template, locale, **said)


def _error_response(exc: errors.PortalError, request_id: str) -> Response:
    headers: dict[str, str | list[str]] = dict(JSON_HEADERS)
    if exc.retry_after_seconds is not None:
        headers["Retry-After"] = str(exc.retry_after_seconds)
    return Response(body=exc.to_body(request_id), status_code=exc.STATUS_CODE, headers=headers)


def _run(
    action: str, request: Request, call: Callable[[str], Any], seen: list[Caller] | None = None
) -> Response:
    """Run a view; a refusal comes back in our JSON shape, its message in the caller's language (`seen`
    holds the caller once authenticated)."""
    request_id = request_id_of(request)
    logger.thread_safe_append_keys(request_id=request_id, action=action)
    try:
        return _to_response(call(request_id))
    except errors.PortalError as exc:
        logger.info("request refused", extra={"status": exc.STATUS_CODE, "code": exc.CODE})
        if exc.STATUS_CODE < 500 or isinstance(exc, errors.ServiceUnavailable):
            exc = _localized(exc, _error_locale(request, seen[0] if seen else None))
        return _error_response(exc, request_id)
    except Exception as exc:
        unavailable = _as_unavailable(exc)
        if unavailable is not None:
            logger.warning("AWS unavailable", extra={"error_type": type(exc).__name__})
            return _error_response(unavailable, request_id)
        # The type and where, never the text or the traceback's values: exception text may quote a name
        # or a birth date. The request id ties the log line to the user's report.
        logger.error("unhandled error", extra={"error_type": type(exc).__name__, "at": _where(exc)})
        failure = errors.InternalError("something went wrong on our side; please try again")
        return _error_response(failure, request_id)


def _where(exc: BaseException) -> str:
    """file:line of the innermost frame of our own code, enough to find the bug without any data."""
    place = "unknown"
    trace = exc.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if "site-packages" not in filename:
            place = f"{filename.rsplit('/', 1)[-1]}:{trace.tb_lineno}"
        trace = trace.tb_next
    return place


@dataclass(frozen=True)
class RouteContract:
    """What the OpenAPI document and the security matrix read off each view.

    The models are held as sources and resolved on first use (then cached), so declaring a contract
    at import loads no models module.
    """

    action: str
    public: bool
    body_source: ModelSource | None
    query_source: ModelSource | None
    returns_source: ModelSource | None
    summary: str
    # The success statuses the view answers (204: no body) and the error statuses its service raises
    # beyond those every guarded route may answer (see openapi.py); the API tests check both.
    statuses: tuple[int, ...] = (200,)
    errors: tuple[int, ...] = ()
    media_type: str = "application/json"  # of the success body
    # Request headers the view receives by field name (raw values; its service checks them).
    headers_source: ModelSource | None = None

    @cached_property
    def body(self) -> type[BaseModel] | None:
        return _resolve(self.body_source)

    @cached_property
    def query(self) -> type[BaseModel] | None:
        return _resolve(self.query_source)

    @cached_property
    def returns(self) -> type[BaseModel] | None:
        return _resolve(self.returns_source)

    @cached_property
    def headers(self) -> type[BaseModel] | None:
        return _resolve(self.headers_source)


def _resolve(source: ModelSource | None) -> type[BaseModel] | None:
    if source is None:
        return None
    model = source()
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"a route contract names {model!r}, not a pydantic model")
    return model


def _inputs(request: Request, contract: RouteContract) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    if contract.body is not None:
        inputs["body"] = parse_body(contract.body, request)
    if contract.query is not None:
        inputs["query"] = parse_query(contract.query, request)
    if contract.headers is not None:
        for name, declared in contract.headers.model_fields.items():
            inputs[name] = request.headers.get((declared.alias or name).lower())
    return inputs


def _check_path(params: Mapping[str, str]) -> None:
    if not all(PATH_ID.fullmatch(value) for value in params.values()):
        raise errors.NotFound("not found")


def requires(
    action: str,
    *,
    body: ModelSource | None = None,
    query: ModelSource | None = None,
    returns: ModelSource | None = None,
    summary: str = "",
    status: int | tuple[int, ...] = 200,
    errors: tuple[int, ...] = (),
    media_type: str = "application/json",
    headers: ModelSource | None = None,
) -> Callable[[View], View]:
    """Guard a view: only roles POLICY[action] names may call it.

    `headers=` names a model of request headers the view needs: each field's header (its alias) is handed
    to the view as a keyword of the field's name, e.g. `idempotency_key=`, or None when not sent.
    """
    allowed = POLICY[action]  # a typo fails at import, not in production
    statuses = (status,) if isinstance(status, int) else status

    def decorate(view: View) -> View:
        contract = RouteContract(
            action, False, body, query, returns, summary, statuses, errors, media_type, headers
        )

        @functools.wraps(view)
        def wrapper(**params: str) -> Response:
            request = _current_request()

            seen: list[Caller] = []

            def call(request_id: str) -> Any:
                caller = _authenticate(request, request_id, allowed, action)
                seen.append(caller)
                _check_path(params)
                if PATIENT_PARAM in params:  # the patient's data: reachable only by those who may
                    authorize_patient(caller, params[PATIENT_PARAM], action)
                return view(**params, caller=caller, **_inputs(request, contract))

            return _run(action, request, call, seen)

        wrapper.contract = contract  # type: ignore[attr-defined]
        return wrapper

    return decorate


def public(
    name: str,
    *,
    returns: ModelSource | None = None,
    summary: str = "",
    body: ModelSource | None = None,
    status: int | tuple[int, ...] = 200,
    errors: tuple[int, ...] = (),
    raw_body: bool = False,
) -> Callable[[View], View]:
    """Routes anyone may call (health, clinic contact details, activation, "forgot
    username", signing in with an email address, the card processor's signed webhooks). No PHI behind
    these.

    A public route with `body=` receives it parsed, as a guarded one does (`body=`); a view with a
    `visitor` parameter receives the request's id and source address as `visitor=` (a `Visitor`).
    One with `raw_body=True` receives the body's exact bytes (`raw_body=`, at most MAX_JSON_BYTES, never
    parsed here: a signature covers the bytes as sent) and the request's `headers=`.
    """
    statuses = (status,) if isinstance(status, int) else status

    def decorate(view: View) -> View:
        contract = RouteContract(name, True, body, None, returns, summary, statuses, errors)
        wants_visitor = "visitor" in inspect.signature(view).parameters

        @functools.wraps(view)
        def wrapper(**params: str) -> Response:
            request = _current_request()

            def call(request_id: str) -> Any:
                _check_path(params)
                extra: dict[str, Any] = {}
                if wants_visitor:
                    extra["visitor"] = Visitor(request_id, source_ip_of(request))
                if raw_body:
                    raw = request.raw_body or b""
                    data = raw.encode() if isinstance(raw, str) else bytes(raw)
                    if len(data) > MAX_JSON_BYTES:
                        raise PayloadTooLarge("the request body is too large")
                    return view(**params, **extra, raw_body=data, headers=request.headers)
                return view(**params, **extra, **_inputs(request, contract))

            return _run(name, request, call)

        wrapper.contract = contract  # type: ignore[attr-defined]
        return wrapper

    return decorate


def contract_of(view: View) -> RouteContract | None:
    contract = getattr(view, "contract", None)
    return contract if isinstance(contract, RouteContract) else None
