"""Untrusted parsing runs in a child process under CPU-time, memory and wall-clock limits (issue 10, finding 1)."""
import os
import time

import pytest

from honours.core import isolation

pytestmark = pytest.mark.skipif(not isolation.can_isolate(), reason="no fork on this platform")
LIMITS = {"cpu_seconds": 5, "memory_bytes": 64 * 1024 * 1024, "wall_seconds": 5}


def test_the_function_runs_in_another_process_and_its_result_comes_back():
    assert isolation.run_limited(os.getpid, **LIMITS) != os.getpid()
    assert isolation.run_limited(sorted, [3, 1, 2], **LIMITS) == [1, 2, 3]


def test_a_child_past_the_wall_clock_is_killed():
    started = time.monotonic()
    with pytest.raises(isolation.LimitExceeded):
        isolation.run_limited(time.sleep, 60, **{**LIMITS, "wall_seconds": 1})
    assert time.monotonic() - started < 3


def _spin():
    while True:
        pass


def test_a_child_past_its_cpu_time_dies():
    started = time.monotonic()
    with pytest.raises(isolation.LimitExceeded):
        isolation.run_limited(_spin, **{**LIMITS, "cpu_seconds": 1, "wall_seconds": 30})
    assert time.monotonic() - started < 15  # the CPU limit, not the 30 s wall clock, ended it


def _allocate():
    return len(bytearray(512 * 1024 * 1024))


def test_a_child_past_its_memory_budget_is_stopped():
    with pytest.raises(isolation.LimitExceeded):
        isolation.run_limited(_allocate, **LIMITS)


def _fail():
    raise KeyError("broken")


def test_an_exception_in_the_child_is_reported_by_type():
    with pytest.raises(isolation.ChildFailed, match="KeyError"):
        isolation.run_limited(_fail, **LIMITS)
