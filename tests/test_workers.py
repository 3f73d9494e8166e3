"""A worker process exits once the process that started it is gone, even if that happened before it started."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKER = (
    "import sys, time\n"
    "from unspin.workers import start_worker_process\n"
    "start_worker_process(int(sys.argv[1]))\n"
    "time.sleep(60)\n"
    "sys.exit(0)\n"
)


def run_worker(parent: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-c", WORKER, str(parent)], env=env, capture_output=True, text=True, timeout=50, check=False
    )


def test_a_worker_whose_parent_is_already_gone_exits() -> None:
    """The parent's pid comes from the parent: a worker started after its parent died (its parent is now init)
    does not take init for its parent and wait for ever."""
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    result = run_worker(int(gone.stdout))
    assert result.returncode == 1, result.stderr


def test_a_worker_stays_while_its_parent_lives() -> None:
    script = (
        "import subprocess, sys, os\n"
        "child = subprocess.Popen([sys.executable, '-c', sys.argv[1], str(os.getpid())])\n"
        "try:\n"
        "    child.wait(timeout=3)\n"
        "    print('exited')\n"
        "except subprocess.TimeoutExpired:\n"
        "    print('alive')\n"
        "    child.kill()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-c", script, WORKER], env=env, capture_output=True, text=True, timeout=50, check=True
    )
    assert result.stdout.strip() == "alive", result.stderr
