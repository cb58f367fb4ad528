"""`python -m infrastructure synth --clinic clinics/demo.json`: validate the clinic files, then synthesize.

Clinic files are validated before any CDK code is imported, so a bad file fails in a second with one line
per bad field. Synthesis is offline once the Lambda's dependency layer is built (pip, from PyPI, the first
time: infrastructure/package.py); `cdk deploy --app <outdir>` (make deploy) is the only step that talks
to AWS.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from infrastructure.clinic_file import ClinicFileError, load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infrastructure", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["check", "synth"], help="check: validate only; synth: build")
    parser.add_argument(
        "--clinic", type=Path, action="append", required=True, help="clinic file (repeatable)"
    )
    parser.add_argument("--out", type=Path, default=Path("cdk.out"), help="cloud assembly directory")
    parser.add_argument("--web-dist", type=Path, default=None, help="built SPA (default: web/dist)")
    args = parser.parse_args(argv)

    try:
        clinics = [load(path) for path in args.clinic]
    except ClinicFileError as error:
        print(error, file=sys.stderr)
        return 2
    if args.command == "check":
        for clinic in clinics:
            print(f"{clinic.id}: ok ({clinic.name})")
        return 0

    from infrastructure.build import WEB_DIST, NagFailure, build, synth
    from infrastructure.naming import stack_name
    from infrastructure.package import LayerBuildFailed, size_of
    from infrastructure.web import WebBuildMissing

    started = time.monotonic()
    try:
        app, stacks = build(clinics, outdir=args.out, web_dist=args.web_dist or WEB_DIST)
        sizes = {
            clinic_id: size_of(stack.api.code_zip, stack.api.layer_zip) for clinic_id, stack in stacks.items()
        }
        synth(app, args.out)
    except (NagFailure, WebBuildMissing, LayerBuildFailed) as error:
        print(error, file=sys.stderr)
        return 1
    names = ", ".join(stack_name(clinic) for clinic in clinics)
    for clinic_id, size in sizes.items():
        print(f"{clinic_id}: {size.describe()}")
    print(f"synthesized {names} into {args.out} in {time.monotonic() - started:.0f} s (cdk-nag: no errors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
