"""A time limit on one document's analysis, for the processes that analyse many (corpus workers, web workers).

Analysis cost is linear in the text, so no real article needs long; a limit proportional to its length (with a
floor) turns a pathological document, or a bug that loops, into one recorded failure instead of a worker stuck
for ever. The limit is a SIGALRM timer: it interrupts Python code in the process's main thread, where those
workers run each document (the detectors that read the parse run there too); elsewhere (a thread, a platform
without timers) no limit applies.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from unspin.errors import AnalysisTooSlow

# A minute, plus a second per 2,000 characters (a 3 MB text, the default size cap, gets 26 minutes).
FLOOR_SECONDS = 60.0
SECONDS_PER_CHARACTER = 1 / 2_000


def seconds_for(characters: int) -> float:
    """The time one document of this many characters may take."""
    return FLOOR_SECONDS + characters * SECONDS_PER_CHARACTER


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise AnalysisTooSlow inside the block once `seconds` have passed (no limit for None or 0)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not seconds or not usable:
        yield
        return

    def expired(_signal: int, _frame: FrameType | None) -> None:
        raise AnalysisTooSlow(f"the analysis took longer than {seconds:.0f} s and was stopped")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
