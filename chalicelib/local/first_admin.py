"""Create a clinic's first administrator on the local stack, the way README's "Go live" does it on a
deployed one: `admin-create-user` with the email, then `admin-add-user-to-group ... admin`.

    python -m chalicelib.local.first_admin <username> <email> [--portal http://127.0.0.1:8000]

It reads the local Cognito endpoint and pool from the running portal's /config.json and prints the
temporary password (a deployed Cognito mails it instead). Everything else the admin does in the browser.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import urllib.request
from typing import Any

import boto3

from chalicelib.core.identity import Role


def temporary_password() -> str:
    # Meets the pool's policy whatever the random part holds: upper, lower, digit and symbol are fixed.
    return f"Go-Live-{secrets.token_urlsafe(9)}-7a"


def create_first_admin(portal_url: str, username: str, email: str) -> str:
    """Make `username` an admin in the portal's user pool and return their temporary password."""
    with urllib.request.urlopen(f"{portal_url}/config.json", timeout=10) as response:  # noqa: S310 (localhost)
        cognito: dict[str, Any] = json.load(response)["cognito"]
    client = boto3.client(
        "cognito-idp",
        endpoint_url=cognito["endpoint"],
        region_name=cognito["region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",  # moto accepts any: never a developer's real keys
    )
    password = temporary_password()
    client.admin_create_user(
        UserPoolId=cognito["userPoolId"],
        Username=username,
        TemporaryPassword=password,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",  # a deployed pool mails it; locally it is printed
    )
    client.admin_add_user_to_group(
        UserPoolId=cognito["userPoolId"], Username=username, GroupName=Role.ADMIN.value
    )
    return password


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create the first administrator on the local portal.")
    parser.add_argument("username")
    parser.add_argument("email")
    parser.add_argument("--portal", default="http://127.0.0.1:8000", help="the running portal's URL")
    args = parser.parse_args(argv)
    from botocore.exceptions import ClientError

    try:
        password = create_first_admin(args.portal, args.username, args.email)
    except OSError as error:
        print(
            f"No portal answers at {args.portal} ({error}). Start it first: make run-empty", file=sys.stderr
        )
        return 1
    except ClientError as error:
        print(f"Cognito refused: {error.response['Error']['Message']}", file=sys.stderr)
        return 1
    print(f"Created administrator {args.username}. Temporary password: {password}")
    print(f"Sign in at {args.portal}: you will choose a password and set up an authenticator app.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
