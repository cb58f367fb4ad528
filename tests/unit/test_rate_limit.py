"""Rate limits of the public routes: a count per key and window, one conditional write per attempt."""

from __future__ import annotations

import threading

import pytest

from chalicelib.core import aws, errors, rate_limit

LIMIT = rate_limit.Limit("unit", hits=3, window_seconds=600)
START = 1_800_000_000.0  # a window's first second (a multiple of 600)


def test_a_key_gets_its_hits_per_window_then_waits_for_the_next() -> None:
    for second in (0, 10, 20):
        rate_limit.hit(LIMIT, "203.0.113.9", now=START + second)
    with pytest.raises(errors.TooManyAttempts) as refused:
        rate_limit.hit(LIMIT, "203.0.113.9", now=START + 100)

    assert refused.value.retry_after_seconds == 500
    rate_limit.hit(LIMIT, "198.51.100.1", now=START + 100)  # another key counts on its own
    rate_limit.hit(LIMIT, "203.0.113.9", now=START + 600)  # the next window


def test_the_key_is_stored_only_as_a_hash_and_expires() -> None:
    rate_limit.hit(LIMIT, "someone@home.example", now=START)

    [item] = aws.table().scan()["Items"]  # a test's own table: one item
    assert "someone" not in str(item)
    assert int(item["ttl"]) == START + 600 + rate_limit.KEEP_AFTER_WINDOW_SECONDS


def test_attempts_at_the_same_moment_never_pass_the_limit_together(serialized_dynamodb: None) -> None:
    passed: list[bool] = []
    start = threading.Barrier(12)

    def attempt() -> None:
        start.wait(timeout=10)
        try:
            rate_limit.hit(LIMIT, "203.0.113.9", now=START)
            passed.append(True)
        except errors.TooManyAttempts:
            passed.append(False)

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(passed) == [False] * 9 + [True] * 3
