"""Send the daily care-team digest now, against the local cloud of a running `make run`.

    .venv/bin/python -m chalicelib.local.messages_digest [--aws-port 4566]

Deployed, the digest runs every morning (messaging/routes.py) and an admin can send it at any time with
POST /api/staff/messaging/digest. The emails land in moto's SES outbox.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from chalicelib.core.config import PROJECT_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Send the care-team digest on the local cloud.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--aws-port", type=int, default=int(os.environ.get("AWS_PORT", "4566")))
    parser.add_argument("--clinic", type=Path, default=PROJECT_ROOT / "clinics" / "demo.json")
    args = parser.parse_args(argv)
    os.environ["AWS_ACCESS_KEY_ID"] = "local"  # moto accepts anything; never pick up real credentials
    os.environ["AWS_SECRET_ACCESS_KEY"] = "local"
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.pop("AWS_PROFILE", None)

    from chalicelib.local.bootstrap import bootstrap
    from chalicelib.local.server import configure_environment
    from chalicelib.messaging import digest as messaging_digest

    resources = bootstrap(f"http://{args.host}:{args.aws_port}")  # idempotent: finds the running portal's
    configure_environment(resources, args.clinic)
    result = messaging_digest.send_daily_digest()
    print(f"digest sent to {result.sent} staff member(s); waiting per pool: {result.pools}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
