"""Import a clinic's existing patients from the command line: `make import-patients FILE=patients.csv`.

    python -m chalicelib.enrolment.cli patients.csv                  # dry run against `make run`'s cloud
    python -m chalicelib.enrolment.cli patients.csv --apply          # import
    python -m chalicelib.enrolment.cli patients.csv --apply --invite # and email invitations at SES's pace
    python -m chalicelib.enrolment.cli bundle.json --stack clinic-portal-riverside \
        --clinic clinics/riverside.json

Where it writes: `--stack NAME` reads a deployed stack's outputs (TableName, UserPoolId, UserPoolClientId)
and its activation pepper with the shell's AWS credentials; otherwise TABLE_NAME, USER_POOL_ID and
USER_POOL_CLIENT_ID from the environment, when set; otherwise the moto server of a running `make run`
(127.0.0.1, port AWS_PORT or 4566). The rules are the admin page's (chalicelib/enrolment/importer.py).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalicelib.core.config import PROJECT_ROOT

if TYPE_CHECKING:
    from rich.console import Console

    from chalicelib.core.access import Caller
    from chalicelib.enrolment.models import PatientImportOut
    from chalicelib.enrolment.patient_files import Row

INVITE_BATCH = 50


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="make import-patients",
        description="Import existing patients from a CSV file or a FHIR R4 Bundle. A dry run unless --apply.",
    )
    parser.add_argument(
        "file", type=Path, help="the CSV file (docs/patient-import.md) or FHIR Bundle (.json)"
    )
    parser.add_argument("--apply", action="store_true", help="import for real (default: a dry run)")
    parser.add_argument("--invite", action="store_true", help="with --apply: email portal invitations")
    parser.add_argument("--format", choices=("csv", "fhir"), help="default: from the file's extension")
    parser.add_argument("--operator", default=getpass.getuser(), help="who runs it, for the audit")
    parser.add_argument("--clinic", type=Path, default=PROJECT_ROOT / "clinics" / "demo.json")
    parser.add_argument("--stack", help="a deployed stack's name, e.g. clinic-portal-riverside")
    parser.add_argument("--aws-port", type=int, default=int(os.environ.get("AWS_PORT", "4566")))
    return parser.parse_args(argv)


def _use_stack(name: str, clinic_file: Path) -> str:
    import boto3

    cloudformation = boto3.client("cloudformation")
    stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    os.environ.update(
        {
            "STAGE": "prod",
            "TABLE_NAME": outputs["TableName"],
            "AUDIT_TABLE_NAME": outputs["AuditTableName"],
            "USER_POOL_ID": outputs["UserPoolId"],
            "USER_POOL_CLIENT_ID": outputs["UserPoolClientId"],
            "CLINIC_CONFIG_FILE": str(clinic_file),
        }
    )
    # Invitation codes are hashed with the stack's pepper: the secret the stack made for it.
    pages = cloudformation.get_paginator("list_stack_resources").paginate(StackName=name)
    for page in pages:
        for resource in page["StackResourceSummaries"]:
            if resource["ResourceType"] == "AWS::SecretsManager::Secret" and "ActivationPepper" in str(
                resource["LogicalResourceId"]
            ):
                os.environ["ACTIVATION_PEPPER_SECRET_ARN"] = str(resource["PhysicalResourceId"])
    return f"stack {name} (table {outputs['TableName']})"


def _use_local(aws_port: int, clinic_file: Path) -> str:
    os.environ["AWS_ACCESS_KEY_ID"] = "local"  # moto accepts anything; never pick up real credentials
    os.environ["AWS_SECRET_ACCESS_KEY"] = "local"  # noqa: S105  (moto's)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.pop("AWS_PROFILE", None)
    from botocore.exceptions import EndpointConnectionError

    from chalicelib.local.bootstrap import bootstrap
    from chalicelib.local.server import configure_environment

    endpoint = f"http://127.0.0.1:{aws_port}"
    try:
        resources = bootstrap(endpoint)  # idempotent: finds what the running `make run` made
    except EndpointConnectionError:
        raise SystemExit(f"no local cloud at {endpoint}: start `make run` first (or pass --stack)") from None
    configure_environment(resources, clinic_file)
    return f"the local portal ({endpoint})"


def _target(args: argparse.Namespace) -> str:
    if args.stack:
        return _use_stack(args.stack, args.clinic)
    if os.environ.get("TABLE_NAME"):
        os.environ.setdefault("CLINIC_CONFIG_FILE", str(args.clinic))
        return f"table {os.environ['TABLE_NAME']} (from the environment)"
    return _use_local(args.aws_port, args.clinic)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    # The terminal shows the report; the service's JSON log lines would only break up the progress bar.
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    from rich.console import Console

    console = Console(highlight=False)
    if args.invite and not args.apply:
        console.print("--invite needs --apply (APPLY=1): a dry run sends nothing.")
        return 2
    file_format = args.format or ("fhir" if args.file.suffix.lower() == ".json" else "csv")
    try:
        content = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        console.print(f"cannot read {args.file}: {type(exc).__name__}")
        return 2
    where = _target(args)

    from chalicelib.core import dynamo, errors
    from chalicelib.enrolment import importer
    from chalicelib.enrolment.patient_files import rows_of

    try:
        rows = rows_of(content, file_format)
    except errors.PortalError as exc:
        details = "; ".join(f"{k}: {v}" for k, v in (exc.fields or {}).items())
        console.print(f"[bold red]{exc.message}[/]" + (f" ({details})" if details else ""))
        return 2
    run_id = dynamo.new_id("import-")
    caller = importer.importer_caller(args.operator, run_id)
    mode = "Import" if args.apply else "Dry run"
    console.print(f"{mode} of {args.file.name} ({file_format.upper()}, {len(rows):,} rows) into {where}")
    report = _run(console, caller, rows, dry_run=not args.apply, unit=importer.unit_of(file_format))
    _print_report(console, report)
    if not args.apply:
        console.print(f"Nothing was written. To import: make import-patients FILE={args.file} APPLY=1")
        return 0
    importer.record_run(
        caller,
        run_id=run_id,
        file_name=args.file.name,
        detail=f"Command line, operator {args.operator}: {importer.summary(report)}",
    )
    if args.invite:
        ids = [c.patient_id for c in report.created] + [e.patient_id for e in report.already_registered]
        _invite(console, caller, ids)
    return 0


def _run(console: Console, caller: Caller, rows: list[Row], *, dry_run: bool, unit: Any) -> PatientImportOut:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from chalicelib.enrolment import importer
    from chalicelib.enrolment.models import PatientImportOut

    seen = importer.Seen()  # repeats are found across the whole file
    parts: list[PatientImportOut] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("checking" if dry_run else "importing", total=len(rows))
        for start in range(0, len(rows), importer.CHUNK_ROWS):
            chunk = rows[start : start + importer.CHUNK_ROWS]
            parts.append(importer.check_rows(caller, chunk, dry_run=dry_run, unit=unit, seen=seen))
            progress.advance(task, len(chunk))
    report = PatientImportOut(
        dry_run=dry_run,
        numbered_by=unit,
        read=sum(p.read for p in parts),
        accepted=sum(p.accepted for p in parts),
        new=sum(p.new for p in parts),
        new_with_email=sum(p.new_with_email for p in parts),
        created=[c for p in parts for c in p.created],
        already_registered=[e for p in parts for e in p.already_registered],
        rejected=[r for p in parts for r in p.rejected],
    )
    importer.log_report(report, run_id=caller.request_id)
    return report


def _print_report(console: Console, report: PatientImportOut) -> None:
    by_name = sum(1 for e in report.already_registered if e.matched_by == "name_and_birth_date")
    verb = "would be created" if report.dry_run else "created"
    console.print(
        f"Accepted {report.accepted:,}: {report.new:,} {verb} ({report.new_with_email:,} with an email "
        f"address), {len(report.already_registered):,} already registered"
        + (f" ({by_name:,} matched by name and birth date)" if by_name else "")
    )
    console.print(f"Rejected {len(report.rejected):,}" + (":" if report.rejected else ""))
    for rejected in report.rejected:
        console.print(f"  {report.numbered_by} {rejected.row}: {rejected.reason}", markup=False)


def _invite(console: Console, caller: Caller, patient_ids: list[str]) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from chalicelib.core import notify
    from chalicelib.enrolment import importer

    quota = notify.send_quota()
    pacer = importer.Pacer(quota.max_per_second)
    left = "no daily limit" if quota.left is None else f"{quota.left:,} left today"
    console.print(f"Invitations: SES sends {quota.max_per_second:g} a second, {left}")
    sent = skipped = 0
    remaining: list[str] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("inviting", total=len(patient_ids))
        for start in range(0, len(patient_ids), INVITE_BATCH):
            batch = patient_ids[start : start + INVITE_BATCH]
            out = importer.invite_imported(caller, batch, seconds=None, pacer=pacer)
            sent += len(out.sent)
            skipped += len(out.not_sent)
            progress.advance(task, len(out.sent) + len(out.not_sent))
            if out.remaining:  # the day's quota is used up
                remaining = out.remaining + patient_ids[start + INVITE_BATCH :]
                break
    console.print(f"Invitations sent: {sent:,}; not sent: {skipped:,} (no email, or invited before)")
    if remaining:
        console.print(
            f"SES's daily quota is used up: {len(remaining):,} not invited yet. Run the same command again "
            "tomorrow: patients already invited are skipped."
        )


if __name__ == "__main__":
    sys.exit(main())
