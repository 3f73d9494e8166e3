"""What every worker process of ours (corpus pool, web app pool) does at start: ignore Ctrl-C, which reaches the
whole process group and which the parent alone handles, and exit as soon as the process that started it is gone.

A parent killed outright (`kill -9`) cannot stop its pool, and a worker waiting for work never learns of it (it
holds the work queue's pipe open itself), so each worker watches its parent. The parent's pid is handed in by
the parent: read in the worker, it would already be 1 (init) when the parent died before the worker started,
and the worker would then wait for ever.
"""

from __future__ import annotations

import os
import signal
import threading
import time

# How often a worker checks that its parent is still there.
PARENT_CHECK_SECONDS = 1.0


def start_worker_process(parent: int) -> None:
    """Call first in a pool's initializer, with the parent's `os.getpid()` passed in its initargs."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="unspin-parent-watch").start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)
