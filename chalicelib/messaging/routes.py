"""Secure messaging: the patient's conversations with care-team pools, and the pools' shared inboxes.

Thin: parse, authorize (the guard), call messaging/service.py, respond. Staff reach a thread only through
membership of its pool; for anyone else it answers exactly like an id that does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Cron, Response

from chalicelib.core import access
from chalicelib.core.access import JSON_HEADERS, Caller
from chalicelib.core.lazy import lazy_module
from chalicelib.core.observability import logger

if TYPE_CHECKING:
    from chalicelib.documents import models as document_models
    from chalicelib.documents.models import DownloadOut
    from chalicelib.messaging import attachments as messaging_attachments
    from chalicelib.messaging import digest as messaging_digest
    from chalicelib.messaging import models as message_models
    from chalicelib.messaging import service as messaging_service
    from chalicelib.messaging.models import (
        CareTeamsOut,
        DigestOut,
        InboxPage,
        InboxQuery,
        MessagePageQuery,
        NewThreadIn,
        PoolsOut,
        ReplyIn,
        ThreadDetailOut,
        ThreadOut,
        ThreadPage,
        ThreadPageQuery,
        UnreadOut,
    )
else:
    messaging_attachments = lazy_module("chalicelib.messaging.attachments")
    messaging_digest = lazy_module("chalicelib.messaging.digest")
    document_models = lazy_module("chalicelib.documents.models")
    message_models = lazy_module("chalicelib.messaging.models")
    messaging_service = lazy_module("chalicelib.messaging.service")

bp = Blueprint(__name__)
requires = access.requires

THREAD = "/patients/{patient_id}/threads/{thread_id}"


def _created(out: ThreadDetailOut) -> Response:
    return Response(body=out.model_dump(mode="json"), status_code=201, headers=dict(JSON_HEADERS))


@bp.route("/care-teams", methods=["GET"])
@requires(
    "care_teams:read",
    returns=lambda: message_models.CareTeamsOut,
    summary="Who can be messaged, the emergency notice for the compose screen, and the length limit",
)
def care_teams(*, caller: Caller) -> CareTeamsOut:
    return messaging_service.care_teams()


# --- the patient's conversations -----------------------------------------------------------------


@bp.route("/patients/{patient_id}/threads", methods=["GET"])
@requires(
    "thread:list",
    query=lambda: message_models.ThreadPageQuery,
    returns=lambda: message_models.ThreadPage,
    summary="The patient's conversations, most recent activity first, each marked unread or not",
)
def list_threads(patient_id: str, *, caller: Caller, query: ThreadPageQuery) -> ThreadPage:
    return messaging_service.list_threads(caller, patient_id, limit=query.limit, cursor=query.cursor)


@bp.route("/patients/{patient_id}/threads/unread", methods=["GET"])
@requires(
    "thread:list",
    returns=lambda: message_models.UnreadOut,
    summary="How many conversations have a clinic message not yet read",
)
def unread_count(patient_id: str, *, caller: Caller) -> UnreadOut:
    return messaging_service.unread_count(caller, patient_id)


@bp.route("/patients/{patient_id}/threads", methods=["POST"])
@requires(
    "thread:create",
    body=lambda: message_models.NewThreadIn,
    returns=lambda: message_models.ThreadDetailOut,
    summary="Start a conversation with a care team: subject, plain-text body, optional attachments",
    status=201,
)
def start_thread(patient_id: str, *, caller: Caller, body: NewThreadIn) -> Response:
    return _created(messaging_service.start_thread(caller, patient_id, body))


@bp.route(THREAD, methods=["GET"])
@requires(
    "thread:read",
    query=lambda: message_models.MessagePageQuery,
    returns=lambda: message_models.ThreadDetailOut,
    summary="Open a conversation: its header and messages oldest first; marks it read for your side",
)
def open_thread(
    patient_id: str, thread_id: str, *, caller: Caller, query: MessagePageQuery
) -> ThreadDetailOut:
    return messaging_service.open_thread(
        caller, patient_id, thread_id, limit=query.limit, cursor=query.cursor
    )


@bp.route(THREAD + "/messages", methods=["POST"])
@requires(
    "thread:reply",
    body=lambda: message_models.ReplyIn,
    returns=lambda: message_models.ThreadDetailOut,
    summary="Reply in an open conversation (409 once it is closed)",
    status=201,
    errors=(409,),
)
def reply(patient_id: str, thread_id: str, *, caller: Caller, body: ReplyIn) -> Response:
    return _created(messaging_service.reply(caller, patient_id, thread_id, body))


@bp.route(THREAD + "/attachments/{document_id}", methods=["GET"])
@requires(
    "thread:read",
    returns=lambda: document_models.DownloadOut,
    summary="A one-minute download link for one attachment of this conversation",
)
def download_attachment(patient_id: str, thread_id: str, document_id: str, *, caller: Caller) -> DownloadOut:
    return messaging_attachments.download(caller, patient_id, thread_id, document_id)


# --- the care team's side ------------------------------------------------------------------------


@bp.route(THREAD + "/assign", methods=["POST"])
@requires(
    "thread:manage",
    returns=lambda: message_models.ThreadOut,
    summary="Take charge of a conversation (assign it to yourself)",
    errors=(409,),
)
def assign(patient_id: str, thread_id: str, *, caller: Caller) -> ThreadOut:
    return messaging_service.assign_to_me(caller, patient_id, thread_id)


@bp.route(THREAD + "/close", methods=["POST"])
@requires(
    "thread:manage",
    returns=lambda: message_models.ThreadOut,
    summary="Close a conversation: nobody can reply to it any more",
    errors=(409,),
)
def close(patient_id: str, thread_id: str, *, caller: Caller) -> ThreadOut:
    return messaging_service.close(caller, patient_id, thread_id)


@bp.route("/staff/pools", methods=["GET"])
@requires(
    "inbox:read",
    returns=lambda: message_models.PoolsOut,
    summary="Your care-team pools with unread and open counts (admins: every pool)",
)
def my_pools(*, caller: Caller) -> PoolsOut:
    return messaging_service.pools_overview(caller)


@bp.route("/staff/pools/{pool_id}/inbox", methods=["GET"])
@requires(
    "inbox:read",
    query=lambda: message_models.InboxQuery,
    returns=lambda: message_models.InboxPage,
    summary="A pool's shared inbox, one tab (unread, open, closed); waiting longest first",
)
def pool_inbox(pool_id: str, *, caller: Caller, query: InboxQuery) -> InboxPage:
    return messaging_service.inbox(caller, pool_id, query.state, limit=query.limit, cursor=query.cursor)


@bp.route("/staff/messaging/digest", methods=["POST"])
@requires(
    "messaging:jobs",
    returns=lambda: message_models.DigestOut,
    summary="Send the daily care-team digest now (counts per pool, no PHI); it also runs every morning",
)
def send_digest(*, caller: Caller) -> DigestOut:
    return messaging_digest.send_daily_digest()


# 12:00 UTC is early morning in US time zones, before clinics open.
@bp.schedule(Cron(0, 12, "*", "*", "?", "*"), name="messaging-daily-digest", description="Care-team digest")
def daily_digest(event: Any) -> None:
    logger.info("messaging digest", extra={"sent": messaging_digest.send_daily_digest().sent})
