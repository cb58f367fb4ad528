"""Email notices through SES. A notice says only that something is waiting: never PHI.

Sending is best effort after the change it announces has been committed: a failed email must not undo
or block a release, so errors are logged (by code, never by address) and reported as False.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.core import aws, config


@dataclass(frozen=True)
class Notice:
    subject: str
    text: str


def portal_url() -> str:
    clinic = config.clinic()
    return f"https://{clinic.domain}" if clinic.domain else "your clinic's patient portal"


def new_result_notice() -> Notice:
    clinic = config.clinic()
    return Notice(
        subject=f"A new result is available from {clinic.name}",
        text=(
            "A new result is available in your patient portal. Sign in to see it:\n"
            f"{portal_url()}\n\n"
            "For your privacy this email does not include any health information.\n"
            f"Questions? Call us at {clinic.phone_display}."
        ),
    )


def send(to_address: str, notice: Notice) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        aws.ses_client().send_email(
            Source=config.clinic().mail_from,
            Destination={"ToAddresses": [to_address]},
            Message={
                "Subject": {"Data": notice.subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": notice.text, "Charset": "UTF-8"}},
            },
        )
    except ClientError as exc:
        aws.logger.warning("email not sent", extra={"error_code": exc.response.get("Error", {}).get("Code")})
        return False
    except BotoCoreError as exc:
        aws.logger.warning("email not sent", extra={"error_type": type(exc).__name__})
        return False
    return True
