"""Run the scheduled caregiver job on demand against the local portal (`make run` must be running).

    .venv/bin/python -m chalicelib.local.proxy_jobs      # end parental grants of patients come of age

It talks to the same moto server as `make run` (port 4566 unless AWS_PORT says otherwise); sent email
appears in moto's store (GET http://127.0.0.1:4566/moto-api/data.json, under ses).
"""

from __future__ import annotations

import argparse
import json
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the caregiver job against the local portal.")
    parser.add_argument("--aws-port", type=int, default=int(os.environ.get("AWS_PORT", "4566")))
    args = parser.parse_args(argv)

    from chalicelib.local.server import connect_to_running_portal

    connect_to_running_portal(args.aws_port)

    from chalicelib.proxies import service as proxy_service

    print(json.dumps({"ended": proxy_service.end_grants_at_adulthood()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
