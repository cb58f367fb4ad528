"""The demo billing seed: every demo statement has its own readable number."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from chalicelib.local.seed_billing import _STATEMENTS, statement_number


def test_demo_statement_numbers_are_distinct_and_look_like_posted_ones() -> None:
    # Given the demo statements, all posted the same month
    posted_at = datetime(2026, 11, 1, tzinfo=UTC)

    # When each gets its number
    numbers = [statement_number(row[0], posted_at) for row in _STATEMENTS]

    # Then no two patients' (or one patient's) statements share a number, and each reads like S-202611-1A2B3C
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"S-202611-[0-9A-F]{6}", n) for n in numbers), numbers
