"""Identity words flagged as propaganda: false alarms on neutral sentences that name a group, recall on their
loaded variants.

Run: PYTHONPATH=src .venv/bin/python benchmarks/identity_false_alarms.py [--show 10] [--json out.json]

tests/fixtures/identity_sentences.jsonl holds 200 neutral news sentences naming ethnic, national, religious,
gender and sexual-minority groups, each paired with a variant where the group phrase is replaced by a
derogatory or dehumanising label ("should_flag": true). `phrase` is the character span of the group phrase
(neutral) or of the label (loaded). Each sentence is analysed on its own by the shipped techniques tagger.

- false alarms (identity): neutral sentences with a technique span overlapping the group phrase
- false alarms (any span): neutral sentences with any technique span at all
- flagged-variant recall: loaded sentences with a technique span overlapping the label

tests/fixtures/identity_sentences_heldout.jsonl (40 pairs, other groups and sentence frames, written after the
guard was set) checks that the guard was not fitted to the first set: `--fixture` reads it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "identity_sentences.jsonl"


def overlaps(span: tuple[int, int], start: int, end: int) -> bool:
    return start < span[1] and span[0] < end


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=10, help="print this many examples of each kind of error")
    parser.add_argument("--json", type=Path, help="also write the figures and every prediction here")
    parser.add_argument("--fixture", type=Path, default=FIXTURE, help="sentences to read (default: the 200 pairs)")
    parser.add_argument(
        "--no-identity-guard", action="store_true", help="decode without the neutral-identity guard, for comparison"
    )
    args = parser.parse_args()

    from unspin.detectors import techniques

    model = techniques.load_model()
    if args.no_identity_guard:
        model.decoding.identity_guard = False
    rows = [json.loads(line) for line in args.fixture.read_text(encoding="utf-8").splitlines() if line.strip()]
    neutral_touch: list[dict[str, Any]] = []
    neutral_any: list[dict[str, Any]] = []
    loaded_hit: list[dict[str, Any]] = []
    loaded_miss: list[dict[str, Any]] = []
    records = []
    for row in rows:
        spans = model.predict(row["text"])
        phrase = (row["phrase"][0], row["phrase"][1])
        found: list[dict[str, Any]] = [
            {"text": s.text, "technique": s.technique, "score": s.score, "start": s.start, "end": s.end} for s in spans
        ]
        touching = [f for f in found if overlaps(phrase, f["start"], f["end"])]
        record = {**row, "spans": found, "touching": touching}
        records.append(record)
        if row["should_flag"]:
            (loaded_hit if touching else loaded_miss).append(record)
        else:
            if touching:
                neutral_touch.append(record)
            if found:
                neutral_any.append(record)
    n_neutral = sum(not r["should_flag"] for r in rows)
    n_loaded = len(rows) - n_neutral
    figures = {
        "neutral_sentences": n_neutral,
        "loaded_sentences": n_loaded,
        "false_alarm_identity": round(len(neutral_touch) / n_neutral, 4),
        "false_alarm_identity_count": len(neutral_touch),
        "false_alarm_any_span": round(len(neutral_any) / n_neutral, 4),
        "false_alarm_any_span_count": len(neutral_any),
        "flagged_variant_recall": round(len(loaded_hit) / n_loaded, 4),
        "flagged_variant_count": len(loaded_hit),
        "identity_guard": model.decoding.identity_guard,
    }
    print(json.dumps(figures, indent=2))

    def show(title: str, items: list[dict[str, Any]], key: str) -> None:
        if not items or args.show <= 0:
            return
        print(f"\n{title} ({len(items)}):")
        for r in items[: args.show]:
            marks = ", ".join(f"{s['text']!r} {s['technique']} {s['score']:.2f}" for s in r[key]) or "-"
            print(f"  {r['text']}\n    -> {marks}")

    show("neutral, span on the group phrase", neutral_touch, "touching")
    show("neutral, any span", [r for r in neutral_any if r not in neutral_touch], "spans")
    show("loaded, label not flagged", loaded_miss, "spans")
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "records": records}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
