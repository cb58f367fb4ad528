"""The current sign-in code of a demo user's authenticator, for the local portal: `python -m
chalicelib.local.totp drrivera` prints what their phone would show.

moto hands every user of every pool one and the same TOTP secret (DEMO_TOTP_SECRET), so the demo staff
are enrolled with it (seed.py) and any user enrolled on the local stack answers to these codes.
"""

from __future__ import annotations

import sys
import time
from typing import Final

import pyotp

DEMO_TOTP_SECRET: Final = "asdfasdfasdf"  # moto.cognitoidp.models.COGNITO_TOTP_MFA_SECRET
STEP_SECONDS: Final = 30
# moto accepts only the code of the current 30-second step: one read this close to the end could be
# stale by the time it arrives, so wait for the next step.
MARGIN_SECONDS: Final = 3


def current_code(secret: str = DEMO_TOTP_SECRET) -> str:
    """The code an authenticator shows now, valid for at least MARGIN_SECONDS more."""
    left = STEP_SECONDS - time.time() % STEP_SECONDS
    if left < MARGIN_SECONDS:
        time.sleep(left + 0.1)
    return str(pyotp.TOTP(secret).now())


def main(argv: list[str]) -> int:
    from chalicelib.local.seed import DEMO_USERS

    names = {user.username for user in DEMO_USERS if user.role.value != "patient"}
    if len(argv) != 1 or argv[0] not in names:
        print(f"usage: python -m chalicelib.local.totp <{'|'.join(sorted(names))}>", file=sys.stderr)
        return 2
    left = int(STEP_SECONDS - time.time() % STEP_SECONDS)
    code = current_code()
    print(f"{code}  (sign-in code for {argv[0]}; a new one every 30 seconds, this one for {max(left, 1)}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
