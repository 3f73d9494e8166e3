"""Event extraction on hand-annotated articles (issue 4).

    .venv/bin/python benchmarks/events_eval.py [--verbose]

benchmarks/events/gold.jsonl holds one row per event-reporting sentence: a phrase of the sentence, the
action (ACLED-style: a missile or rocket strike is `shelling`), the date it happened (start of the period),
the GeoNames name of the most specific place, and the deaths as low/high. The `dev` articles
(syria_dev = tests/fixtures/conflict_article.txt, sahel_dev) were used while writing the detector; the
`heldout` article was written and annotated after, and run once. A gold event is found when a predicted
event's sentence contains the phrase; each field is then compared exactly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
EVENTS = ROOT / "benchmarks" / "events"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    os.environ["UNSPIN_STORE"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'none.db'}"  # no stored records
    import unspin

    gold = [json.loads(line) for line in (EVENTS / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]
    out: dict[str, object] = {}
    for split in sorted({g["set"] for g in gold}):
        rows = [g for g in gold if g["set"] == split]
        found = predicted = 0
        right = {"action": 0, "date": 0, "place": 0, "deaths": 0}
        notes: list[str] = []
        for article in sorted({g["article"] for g in rows}):
            text = (EVENTS / article).read_text(encoding="utf-8")
            events = unspin.analyze(unspin.Document(text=text), only=("events",)).events
            predicted += len(events)
            for g in (g for g in rows if g["article"] == article):
                match = next((e for e in events if g["sentence"] in e.text), None)
                if match is None:
                    notes.append(f"{article}: missed {g['sentence']!r}")
                    continue
                found += 1
                got = {
                    "action": match.action,
                    "date": match.date,
                    "place": match.place,
                    "deaths": [match.fatalities.low, match.fatalities.high] if match.fatalities else [None, None],
                }
                want = {"action": g["action"], "date": g["date"], "place": g["place"], "deaths": [g["low"], g["high"]]}
                for field in right:
                    if got[field] == want[field]:
                        right[field] += 1
                    else:
                        notes.append(f"{article}: {g['sentence']!r} {field}: got {got[field]!r}, gold {want[field]!r}")
        result: dict[str, object] = {
            "gold_events": len(rows),
            "predicted_events": predicted,
            "found": found,
            "recall": round(found / len(rows), 3),
            "precision": round(found / predicted, 3) if predicted else None,
            **{f"{k}_accuracy": f"{v}/{found}" for k, v in right.items()},
        }
        if args.verbose:
            result["notes"] = notes
        out[split] = result
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
