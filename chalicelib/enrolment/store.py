"""Enrolment items, and the Cognito calls that create a patient's sign-in.

- MRN index: PK=MRN#<mrn>, SK=PATIENT -> patient_id. Written with the profile, only if absent: one
  patient per medical record number, even when two registrations race.
- Invitation: PK=PATIENT#<id>, SK=INVITE#<invitation id>. Holds the code only as a peppered hash, the
  wrong-answer count (locked at MAX_ATTEMPTS), and the username and account an activation claimed, so an
  activation that failed half-way is finished by its retry.
- Code lookup: PK=ACTIVATION#<code hash>, SK=CODE -> patient and invitation. Written with the invitation;
  removed when it is revoked or replaced. A used code keeps its lookup, so a retry finds its activation.
- Self-registration request: PK=REGREQ#<id>, SK=REQUEST; GSI1 REGREQ#OPEN / <submitted>#<id> while open.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from functools import cache
from typing import Any, Final

from chalicelib.core import audit_log, aws, config, dynamo
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.errors import InternalError
from chalicelib.core.schema import patient_pk
from chalicelib.enrolment.models import MAX_ATTEMPTS, Invitation, RegistrationRequest

MRN_PREFIX: Final = "MRN#"
INVITE_PREFIX: Final = "INVITE#"
CODE_PREFIX: Final = "ACTIVATION#"
REQUEST_PREFIX: Final = "REGREQ#"
OPEN_REQUESTS: Final = "REGREQ#OPEN"
PAGE_SIZE: Final = 25
BATCH_GET_LIMIT: Final = 100

# Only for the laptop and tests; a deployed stack reads its own secret (ACTIVATION_PEPPER_SECRET_ARN).
_LOCAL_PEPPER: Final = "local-activation-pepper"


@cache
def _pepper() -> bytes:
    arn = os.environ.get("ACTIVATION_PEPPER_SECRET_ARN")
    if arn:
        import boto3

        client = boto3.client("secretsmanager", region_name=config.settings().region)
        return str(client.get_secret_value(SecretId=arn)["SecretString"]).encode()
    if config.settings().stage == "prod":
        raise InternalError("activation is not configured on this server")
    return (os.environ.get("ACTIVATION_PEPPER") or _LOCAL_PEPPER).encode()


def code_hash(code: str) -> str:
    """HMAC-SHA256 under a server-side pepper: a copy of the table alone cannot try codes offline."""
    return hmac.new(_pepper(), code.encode(), hashlib.sha256).hexdigest()


# --- MRN index ---------------------------------------------------------------------------------------


def mrn_key(mrn: str) -> dict[str, str]:
    return {"PK": f"{MRN_PREFIX}{mrn.upper()}", "SK": "PATIENT"}


def mrn_entry(mrn: str, patient_id: str) -> dict[str, Any]:
    entry = dynamo.put({**mrn_key(mrn), "patient_id": patient_id})
    entry["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    return entry


def patient_with_mrn(mrn: str) -> str | None:
    item = aws.table().get_item(Key=mrn_key(mrn)).get("Item")
    return str(item["patient_id"]) if item else None


def patients_with_mrns(mrns: list[str]) -> dict[str, str]:
    """MRN (upper case) -> patient id for those registered; one BatchGetItem per 100 MRNs."""
    found: dict[str, str] = {}
    wanted = list(dict.fromkeys(mrn.upper() for mrn in mrns))
    name = dynamo.table_name()
    for start in range(0, len(wanted), BATCH_GET_LIMIT):
        request: dict[str, Any] = {
            name: {"Keys": [mrn_key(mrn) for mrn in wanted[start : start + BATCH_GET_LIMIT]]}
        }
        for attempt in range(6):  # throttled keys come back unprocessed: retry them, never drop them
            response = aws.dynamodb_resource().batch_get_item(RequestItems=request)
            for item in response["Responses"].get(name, []):
                found[str(item["PK"]).removeprefix(MRN_PREFIX)] = str(item["patient_id"])
            request = response.get("UnprocessedKeys") or {}
            if not request:
                break
            time.sleep(0.05 * 2**attempt)
        if request:
            raise InternalError("the MRN index could not be read; please try again")
    return found


def write_registrations(entries: list[dict[str, Any]]) -> list[int]:
    """Several registrations in one transaction; [] when all landed, else the failed entries' indexes
    (then none landed)."""
    try:
        dynamo.transact_all(entries)
    except dynamo.TransactionRefused as refused:
        return refused.failed
    return []


def write_registration(entries: list[dict[str, Any]]) -> bool:
    """All of a registration's writes or none; False if a condition failed (the MRN or id was taken)."""
    try:
        dynamo.transact_all(entries)
    except dynamo.TransactionRefused:
        return False
    return True


# --- invitations -------------------------------------------------------------------------------------


def invitation_key(patient_id: str, invitation_id: str) -> dict[str, str]:
    return {"PK": patient_pk(patient_id), "SK": f"{INVITE_PREFIX}{invitation_id}"}


def code_key(hashed: str) -> dict[str, str]:
    return {"PK": f"{CODE_PREFIX}{hashed}", "SK": "CODE"}


def _invitation_item(invitation: Invitation) -> dict[str, Any]:
    item = invitation.model_dump(mode="json", exclude_none=True)
    for name in ("created_at", "expires_at", "used_at", "access_ends_at"):
        moment = getattr(invitation, name)
        if moment is not None:
            item[name] = dynamo.utc_text(moment)
    return {**item, **invitation_key(invitation.patient_id, invitation.id)}


def _revoke_entries(old: Invitation) -> list[dict[str, Any]]:
    table = dynamo.table_name()
    return [
        {
            "Update": {
                "TableName": table,
                "Key": invitation_key(old.patient_id, old.id),
                "UpdateExpression": "SET #state = :revoked",
                "ConditionExpression": "#state = :pending",
                "ExpressionAttributeNames": {"#state": "state"},
                "ExpressionAttributeValues": {":revoked": "revoked", ":pending": "pending"},
            }
        },
        {"Delete": {"TableName": table, "Key": code_key(old.code_hash)}},
    ]


def create_invitation(
    invitation: Invitation, *, audit: AuditEvent, replaces: Invitation | None = None
) -> None:
    """The invitation, its code lookup and the audit event; a resend revokes the old one in the same write."""
    lookup = dynamo.put(
        {
            **code_key(invitation.code_hash),
            "patient_id": invitation.patient_id,
            "invitation_id": invitation.id,
        }
    )
    lookup["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
    entries = [dynamo.put(_invitation_item(invitation)), lookup, audit_log.entry(audit)]
    if replaces is not None:
        entries += _revoke_entries(replaces)
    dynamo.transact(entries, conflict="this invitation was changed meanwhile; reload and try again")


def revoke_invitation(invitation: Invitation, *, audit: AuditEvent) -> None:
    dynamo.transact(
        [*_revoke_entries(invitation), audit_log.entry(audit)],
        conflict="this invitation is no longer pending",
    )


def list_invitations(patient_id: str) -> list[Invitation]:
    response = aws.table().query(
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": patient_pk(patient_id), ":prefix": INVITE_PREFIX},
    )
    invitations = dynamo.parse_items(Invitation, response.get("Items", []))
    return sorted(invitations, key=lambda invitation: invitation.created_at, reverse=True)


def get_invitation(patient_id: str, invitation_id: str) -> Invitation | None:
    item = aws.table().get_item(Key=invitation_key(patient_id, invitation_id)).get("Item")
    return None if item is None else dynamo.parse_or_skip(Invitation, item)


def invitation_for_code(hashed: str) -> Invitation | None:
    """The invitation a code belongs to (two GetItems), or None for a code we never issued or revoked."""
    lookup = aws.table().get_item(Key=code_key(hashed)).get("Item")
    if lookup is None:
        return None
    return get_invitation(str(lookup["patient_id"]), str(lookup["invitation_id"]))


def count_wrong_answer(invitation: Invitation) -> int:
    """One more wrong answer for this code, counted atomically; the new count."""
    response = aws.table().update_item(
        Key=invitation_key(invitation.patient_id, invitation.id),
        UpdateExpression="ADD failed_attempts :one",
        ExpressionAttributeValues={":one": 1},
        ReturnValues="UPDATED_NEW",
    )
    return int(response["Attributes"]["failed_attempts"])


def claim(invitation: Invitation, username: str) -> bool:
    """Reserve a pending, unlocked code for this username; True also when this username holds it already."""
    from botocore.exceptions import ClientError

    try:
        aws.table().update_item(
            Key=invitation_key(invitation.patient_id, invitation.id),
            UpdateExpression="SET claimed_username = :username",
            ConditionExpression=(
                "attribute_exists(PK) AND #state = :pending "
                "AND (attribute_not_exists(failed_attempts) OR failed_attempts < :max) "
                "AND (attribute_not_exists(claimed_username) OR claimed_username = :username)"
            ),
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={":username": username, ":pending": "pending", ":max": MAX_ATTEMPTS},
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def release_claim(invitation: Invitation, username: str) -> None:
    """Let another username be chosen (the one claimed was taken by someone else)."""
    from botocore.exceptions import ClientError

    try:
        aws.table().update_item(
            Key=invitation_key(invitation.patient_id, invitation.id),
            UpdateExpression="REMOVE claimed_username",
            ConditionExpression="claimed_username = :username AND attribute_not_exists(account_sub)",
            ExpressionAttributeValues={":username": username},
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def record_account(invitation: Invitation, sub: str) -> None:
    aws.table().update_item(
        Key=invitation_key(invitation.patient_id, invitation.id),
        UpdateExpression="SET account_sub = :sub",
        ExpressionAttributeValues={":sub": sub},
    )


def consume(
    invitation: Invitation, *, sub: str, at: str, audit: AuditEvent, also: list[dict[str, Any]] | None = None
) -> None:
    """Mark the code used (once) with the activation's audit event, and `also` (writes that come with the
    activation, such as the language chosen on the page); a repeat is a Conflict and writes nothing."""
    dynamo.transact(
        [
            {
                "Update": {
                    "TableName": dynamo.table_name(),
                    "Key": invitation_key(invitation.patient_id, invitation.id),
                    "UpdateExpression": "SET #state = :used, used_at = :at, account_sub = :sub",
                    "ConditionExpression": "#state = :pending",
                    "ExpressionAttributeNames": {"#state": "state"},
                    "ExpressionAttributeValues": {
                        ":used": "used",
                        ":at": at,
                        ":sub": sub,
                        ":pending": "pending",
                    },
                }
            },
            audit_log.entry(audit),
            *(also or []),
        ],
        conflict="this code was already used",
    )


# --- Cognito: the patient's sign-in ------------------------------------------------------------------


class UsernameTaken(Exception):
    pass


class PasswordRefused(Exception):
    pass


def create_sign_in(username: str, *, email: str | None, adopt: bool) -> str:
    """Create the Cognito user (no Cognito email) and return its sub.

    `adopt`: this activation claimed the username before, so a user of that name is the one its earlier
    try created, unless it belongs to a staff group (then it is someone else's, and taken).
    """
    cognito = aws.cognito_client()
    pool_id = config.settings().user_pool_id
    attributes = (
        [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}] if email else []
    )
    try:
        created = cognito.admin_create_user(
            UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS", UserAttributes=attributes
        )["User"]
        return _sub(created["Attributes"])
    except cognito.exceptions.UsernameExistsException:
        if not adopt:
            raise UsernameTaken from None
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username=username)["Groups"]
    if any(group["GroupName"] != "patient" for group in groups):
        raise UsernameTaken
    return _sub(cognito.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"])


def username_exists(username: str) -> bool:
    cognito = aws.cognito_client()
    try:
        cognito.admin_get_user(UserPoolId=config.settings().user_pool_id, Username=username)
    except cognito.exceptions.UserNotFoundException:
        return False
    return True


def finish_sign_in(username: str, password: str) -> None:
    """Set the chosen password (permanent) and put the user in the patient group; both repeatable."""
    cognito = aws.cognito_client()
    pool_id = config.settings().user_pool_id
    try:
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=password, Permanent=True
        )
    except cognito.exceptions.InvalidPasswordException:
        raise PasswordRefused from None
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName="patient")


def _sub(attributes: list[dict[str, str]]) -> str:
    return next(str(a["Value"]) for a in attributes if a["Name"] == "sub")


# --- self-registration requests ------------------------------------------------------------------------


def request_key(request_id: str) -> dict[str, str]:
    return {"PK": f"{REQUEST_PREFIX}{request_id}", "SK": "REQUEST"}


def create_request(request: RegistrationRequest) -> None:
    item = request.model_dump(mode="json", exclude_none=True)
    submitted = dynamo.utc_text(request.submitted_at)
    aws.table().put_item(
        Item={
            **item,
            "submitted_at": submitted,
            **request_key(request.id),
            "GSI1PK": OPEN_REQUESTS,
            "GSI1SK": f"{submitted}#{request.id}",
        },
        ConditionExpression="attribute_not_exists(PK)",
    )


def get_request(request_id: str) -> RegistrationRequest | None:
    item = aws.table().get_item(Key=request_key(request_id)).get("Item")
    return None if item is None else dynamo.parse_or_skip(RegistrationRequest, item)


def open_requests(cursor: str | None) -> tuple[list[RegistrationRequest], str | None]:
    """The front desk's queue, oldest first: one GSI1 Query a page."""
    kwargs: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :queue",
        "ExpressionAttributeValues": {":queue": OPEN_REQUESTS},
        "Limit": PAGE_SIZE,
    }
    start = dynamo.decode_index_cursor(
        cursor, gsi_pk=OPEN_REQUESTS, gsi_sk_prefix="", pk_prefix=REQUEST_PREFIX
    )
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.table().query(**kwargs)
    requests = dynamo.parse_items(RegistrationRequest, response.get("Items", []))
    return requests, dynamo.encode_cursor(response.get("LastEvaluatedKey"))


def decide_request(request: RegistrationRequest, *, audit: AuditEvent) -> None:
    """Close an open request with its decision (leaves the queue) and its audit event; a second decision
    is a Conflict."""
    values: dict[str, Any] = {
        ":state": request.state,
        ":open": "open",
        ":by": request.decided_by,
        ":at": dynamo.utc_text(request.decided_at) if request.decided_at else None,
    }
    update = "SET #state = :state, decided_by = :by, decided_at = :at REMOVE GSI1PK, GSI1SK"
    if request.patient_id:
        update = (
            "SET #state = :state, decided_by = :by, decided_at = :at, patient_id = :pid REMOVE GSI1PK, GSI1SK"
        )
        values[":pid"] = request.patient_id
    dynamo.transact(
        [
            {
                "Update": {
                    "TableName": dynamo.table_name(),
                    "Key": request_key(request.id),
                    "UpdateExpression": update,
                    "ConditionExpression": "#state = :open",
                    "ExpressionAttributeNames": {"#state": "state"},
                    "ExpressionAttributeValues": values,
                }
            },
            audit_log.entry(audit),
        ],
        conflict="this request was already decided",
    )
