"""The per-document time limit of corpus and web workers stops Python code that loops, and only that block."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from unspin.deadline import seconds_for, time_limit
from unspin.errors import AnalysisTooSlow


def spin_for_ever() -> None:
    while True:  # the shape of the bug that once hung a worker: a walk that never reached its end
        pass


def test_a_looping_analysis_is_stopped_with_a_clear_error() -> None:
    began = time.monotonic()
    with pytest.raises(AnalysisTooSlow, match="longer than"), time_limit(0.3):
        spin_for_ever()
    assert time.monotonic() - began < 5
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # the timer is cleared for the next document


def test_work_within_the_limit_is_untouched_and_no_alarm_fires_later() -> None:
    with time_limit(0.5):
        total = sum(range(1000))
    time.sleep(0.7)  # past the limit, after the block: nothing may fire now
    assert total == 499500


def test_no_limit_off_the_main_thread_or_when_none() -> None:
    outcome: list[str] = []

    def in_a_thread() -> None:
        with time_limit(0.1):
            time.sleep(0.3)
        outcome.append("finished")

    worker = threading.Thread(target=in_a_thread)
    worker.start()
    worker.join()
    assert outcome == ["finished"]
    with time_limit(None):
        time.sleep(0.01)


def test_the_limit_grows_with_the_text() -> None:
    assert seconds_for(0) == 60 and seconds_for(3_000_000) == 60 + 1500
    assert seconds_for(20_000) < seconds_for(40_000)
