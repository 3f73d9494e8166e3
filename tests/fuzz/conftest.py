"""Fuzzing budget: a few seconds per test in the normal run; `UNSPIN_FUZZ_EXAMPLES=N` for a long run.

The normal run is derandomised (the same examples every time, so CI never flakes); a long run explores.
"""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, settings

LONG_RUN = int(os.environ.get("UNSPIN_FUZZ_EXAMPLES", "0"))

settings.register_profile(
    "unspin-fuzz",
    max_examples=LONG_RUN or 100,
    deadline=dt.timedelta(seconds=3),
    derandomize=not LONG_RUN,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
