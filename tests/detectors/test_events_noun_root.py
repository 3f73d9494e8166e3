"""A trigger word in a sentence with no verb at its root ("So, why the April deadline?") once sent the events
detector round a loop for ever: a spaCy `Token` is made anew at each access, so `tok.head is not tok` never
ends at the root. Found by the web load test (a PTC article that never finished); run in a subprocess so that
a return of the hang fails the test instead of stopping the suite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ARTICLE = (
    "Council delays vote on the harbour budget\n\n"
    "The city council put off its vote on the harbour budget on Monday, officials said.\n\n"
    "The mayor had promised a decision before the spring. So, why the April deadline?\n\n"
    "The council will meet again next week to discuss the plan."
)


def test_a_trigger_under_a_verbless_root_ends_and_is_no_event(tmp_path: Path) -> None:
    article = tmp_path / "deadline.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "unspin", "analyze", str(article), "--format", "json", "--only", "events"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "UNSPIN_STORE": f"sqlite:///{tmp_path / 'store.db'}"},
    )
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout)["events"]
    assert not any("deadline" in event["text"] for event in events)
