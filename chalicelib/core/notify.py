"""Email notices through SES. A notice says only that something is waiting: never PHI.

Sending is best effort after the change it announces has been committed: a failed email must not undo
or block a release, so errors are logged (by code, never by address), counted as the EmailSendFailed
metric (an alarm watches it) and reported as False; a request whose point is the email checks that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.core import aws, config
from chalicelib.core.i18n import DEFAULT_LOCALE, Locale, text
from chalicelib.core.observability import logger


@dataclass(frozen=True)
class Notice:
    subject: str
    text: str


def portal_base() -> str | None:
    """The portal's https address: the stack's own (PORTAL_URL: its domain, or CloudFront's without one),
    else the clinic file's domain (locally); None when neither is known."""
    url = config.settings().portal_url
    if url:
        return url.rstrip("/")
    clinic = config.clinic()
    return f"https://{clinic.domain}" if clinic.domain else None


def portal_url(locale: Locale = DEFAULT_LOCALE) -> str:
    return portal_base() or text("your clinic's patient portal", locale)


# A patient's email, written once they are known: in their language (see patients.profiles.notify_patient).
NoticeFor = Callable[[Locale], Notice]


def patient_notice(
    subject: str,
    first_line: str,
    *,
    sign_in_to: str = "see it",
    locale: Locale = DEFAULT_LOCALE,
    **params: object,
) -> Notice:
    """Every email to a patient says the same: something is waiting, sign in to see it, and no PHI.

    `subject` and `first_line` are English templates ({clinic} is filled in here, other placeholders from
    `params`), looked up in `locale`'s catalog (core/i18n.py).
    """
    clinic = config.clinic()
    values = {"clinic": clinic.name, **params}
    first = text(first_line, locale, **values)
    action = text(sign_in_to, locale)
    return Notice(
        subject=text(subject, locale, **values),
        text=(
            f"{text('{first_line} Sign in to {sign_in_to}:', locale, first_line=first, sign_in_to=action)}"
            f"\n{portal_url(locale)}\n\n"
            f"{text('For your privacy this email does not include any health or billing details.', locale)}\n"
            f"{text('Questions? Call us at {phone}.', locale, phone=clinic.phone_display)} "
            f"{text(clinic.emergency_notice, locale)}"
        ),
    )


def new_result_notice(locale: Locale = DEFAULT_LOCALE) -> Notice:
    return patient_notice(
        "A new result is available from {clinic}",
        "A new result is available in your patient portal.",
        locale=locale,
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
        _failed(error_code=str(exc.response.get("Error", {}).get("Code")))
        return False
    except BotoCoreError as exc:
        _failed(error_type=type(exc).__name__)
        return False
    return True


def _failed(**why: str) -> None:
    logger.warning("email not sent", extra=why)
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    # Written at once (embedded metric format in the log), not at the end of the invocation.
    with single_metric(name="EmailSendFailed", unit=MetricUnit.Count, value=1) as metric:
        metric.add_dimension(name="clinic", value=config.settings().clinic_id)


@dataclass(frozen=True)
class SendQuota:
    """SES's limits for this account: a day's emails and the pace, as GetSendQuota reports them."""

    max_per_day: float  # -1: no daily limit
    sent_last_day: float
    max_per_second: float

    @property
    def left(self) -> int | None:
        """Emails still allowed in the rolling 24 hours; None when there is no daily limit."""
        if self.max_per_day < 0:
            return None
        return max(0, int(self.max_per_day - self.sent_last_day))


def send_quota() -> SendQuota:
    quota = aws.ses_client().get_send_quota()
    return SendQuota(
        max_per_day=float(quota.get("Max24HourSend", -1)),
        sent_last_day=float(quota.get("SentLast24Hours", 0)),
        max_per_second=float(quota.get("MaxSendRate", 1)),
    )
