"""Load a clinic file for deployment, failing with one line per bad field before any CDK code runs.

A production file (deploy.environment, the default) must also be able to serve real patients: real card
payments, a sender SES can sign for, and a domain CloudFront can serve. Each problem is one line naming
the field and what it should be.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chalicelib.core.clinic import ClinicConfig

# Mail providers whose addresses a clinic cannot verify as a domain (no DKIM, SPF or DMARC of its own).
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "ymail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "mail.com",
        "zoho.com",
        "yandex.com",
        "comcast.net",
    }
)

# What a field that must match a pattern should look like: shown instead of the regular expression.
EXPECTED_FORM = {
    "id": "3-40 lowercase letters, digits and hyphens, e.g. riverside",
    "phone": "an E.164 number, e.g. +15555550100",
    "billing.billing_phone": "an E.164 number, e.g. +15555550100",
    "branding.primary_color": "a colour as #rrggbb, e.g. #0f5f8c",
    "billing.currency": "a three-letter currency code, e.g. USD",
    "billing.stripe.publishable_key": "Stripe's publishable key, e.g. pk_live_...",
    "billing.stripe.secret_key_arn": (
        "a Secrets Manager ARN, e.g. arn:aws:secretsmanager:us-east-1:<account>:secret:<name>"
    ),
    "deploy.certificate_arn": (
        "an ACM certificate ARN in us-east-1, e.g. arn:aws:acm:us-east-1:<account>:certificate/<id>"
    ),
    "deploy.backup_copy_vault_arn": (
        "an AWS Backup vault ARN, e.g. arn:aws:backup:us-west-2:<account>:backup-vault:<name>"
    ),
}


class ClinicFileError(Exception):
    """A clinic file that is missing or invalid; the message names the file and each bad field."""


def _line(problem: Any) -> str:
    field = ".".join(str(part) for part in problem["loc"])
    message = problem["msg"].removeprefix("Value error, ")
    if problem["type"] == "string_pattern_mismatch":
        expected = EXPECTED_FORM.get(field) or EXPECTED_FORM.get(field.split(".", 1)[-1])
        message = (
            f"expected {expected}"
            if expected
            else "does not have the expected form (README: the clinic file)"
        )
    # Checks across fields (duplicate pool names, certificate without domain) name it in the message.
    return f"  - {field}: {message}" if field else f"  - {message}"


def describe(path: Path, error: ValidationError) -> str:
    lines = [f"{path}: this clinic configuration is not valid:"]
    lines += [_line(problem) for problem in error.errors(include_url=False, include_input=False)]
    return "\n".join(lines)


def sender_domain(clinic: ClinicConfig) -> str:
    return clinic.mail_from.rsplit("@", 1)[1].lower()


def production_problems(clinic: ClinicConfig) -> list[str]:
    """What stops a production clinic file from serving real patients; empty when it can."""
    if clinic.deploy.environment != "production":
        return []
    problems = []
    if clinic.billing.provider == "simulated":
        problems.append(
            '  - billing.provider: "simulated" charges nothing and refuses to run in production; '
            'expected "stripe" with billing.stripe (or deploy.environment "staging")'
        )
    if sender_domain(clinic) in FREE_MAIL_DOMAINS:
        field = "sender_email" if clinic.sender_email else "email (the sender, as sender_email is not set)"
        problems.append(
            f"  - {field}: {sender_domain(clinic)} is a free-mail domain SES cannot sign for; expected an "
            "address at the clinic's own domain, e.g. no-reply@yourclinic.org"
        )
    if clinic.domain and not clinic.deploy.certificate_arn:
        problems.append(
            f"  - domain: {clinic.domain} has no deploy.certificate_arn, so CloudFront cannot serve it and "
            "email links to it would fail; expected an ACM certificate ARN in us-east-1 for it (or no domain)"
        )
    return problems


def load(path: Path) -> ClinicConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        known = ", ".join(sorted(p.stem for p in path.parent.glob("*.json"))) or "none"
        raise ClinicFileError(f"{path}: no such clinic file (clinics available: {known})") from None
    try:
        clinic = ClinicConfig.model_validate_json(text)
    except ValidationError as error:
        raise ClinicFileError(describe(path, error)) from None
    problems = production_problems(clinic)
    if problems:
        raise ClinicFileError(
            "\n".join([f"{path}: not ready for production (deploy.environment):", *problems])
        )
    return clinic
