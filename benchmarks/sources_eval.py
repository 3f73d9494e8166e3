"""Precision/recall of quotes and of quote+speaker on the hand-annotated articles in tests/fixtures/quotes/.

Run: .venv/bin/python benchmarks/sources_eval.py [--show]
Each `NAME.json` lists the quotes of `NAME.txt` as {text, speaker, kind}. A predicted quote matches a gold
quote when they overlap by at least half of the shorter one (one-to-one, in text order, same kind first); its speaker is
right when the names are equal ignoring case and a leading "the", or one lies inside the other as whole
words (a gold speaker may list several acceptable names). Sets: tests/fixtures/quotes (dev), .../dev2,
.../heldout, and .../ptc (real PTC articles: add `--texts ../shared/data/ptc/train-articles`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "fixtures" / "quotes"


def norm(name: str | None) -> str:
    name = (name or "").strip().lower()
    return name[4:] if name.startswith("the ") else name


def same_speaker(predicted: str | None, gold: str | list[str]) -> bool:
    if isinstance(gold, list):  # several acceptable names for one speaker ("Rick", "the caller")
        return any(same_speaker(predicted, g) for g in gold)
    return _same_name(predicted, gold)


def _same_name(predicted: str | None, gold: str) -> bool:
    """Equal ignoring case and a leading 'the', or one name inside the other as whole words
    ('Health Ministry' for 'Health Ministry in Gaza', 'Burhan' for 'Abdel Fattah al-Burhan')."""
    p, g = norm(predicted), norm(gold)
    if not p:
        return False
    return p == g or f" {p} " in f" {g} " or f" {g} " in f" {p} "


def gold_quotes(text: str, path: Path) -> list[dict[str, Any]]:
    gold = json.loads(path.read_text(encoding="utf-8"))["quotes"]
    for quote in gold:
        start = -1
        for _ in range(quote.get("occurrence", 0) + 1):  # "occurrence": n picks the n-th (from 0) of repeated text
            start = text.find(quote["text"], start + 1)
        if start < 0:
            raise SystemExit(f"{path.name}: gold quote not in text: {quote['text']!r}")
        quote["start"], quote["end"] = start, start + len(quote["text"])
    return sorted(gold, key=lambda q: q["start"])


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared * 2 >= min(a[1] - a[0], b[1] - b[0])


def score(
    kinds: set[str] | None, show: bool = False, gold_dir: Path = GOLD_DIR, texts: Path | None = None
) -> dict[str, Any]:
    import unspin

    counts = {"gold": 0, "predicted": 0, "matched": 0, "speaker_right": 0, "exact_span": 0}
    for path in sorted(gold_dir.glob("*.json")):
        text_path = path.with_suffix(".txt")
        if not text_path.exists() and texts is not None:
            text_path = texts / text_path.name
        text = text_path.read_text(encoding="utf-8")
        gold = [g for g in gold_quotes(text, path) if kinds is None or g["kind"] in kinds]
        analysis = unspin.analyze(unspin.Document(text=text), only=("sources",))
        predicted = [q for q in analysis.quotes if kinds is None or q.kind in kinds]
        counts["gold"] += len(gold)
        counts["predicted"] += len(predicted)
        used: set[int] = set()
        for g in gold:
            candidates = [
                i
                for i, q in enumerate(predicted)
                if i not in used and overlaps((q.start, q.end), (g["start"], g["end"]))
            ]
            # a partial direct quote inside reported speech: match kinds first
            same_kind = [i for i in candidates if predicted[i].kind == g["kind"]]
            match = (same_kind or candidates or [None])[0]
            if match is None:
                if show:
                    print(f"MISSED  {path.stem}: {g['text'][:60]!r} ({g['speaker']})")
                continue
            used.add(match)
            q = predicted[match]
            counts["matched"] += 1
            counts["exact_span"] += (q.start, q.end) == (g["start"], g["end"])
            if same_speaker(q.speaker, g["speaker"]):
                counts["speaker_right"] += 1
            elif show:
                print(f"SPEAKER {path.stem}: {g['text'][:60]!r} gold={g['speaker']!r} got={q.speaker!r}")
        if show:
            for i, q in enumerate(predicted):
                if i not in used:
                    print(f"EXTRA   {path.stem}: [{q.kind}] {q.text[:60]!r} ({q.speaker})")
    p = counts["matched"] / counts["predicted"] if counts["predicted"] else 0.0
    r = counts["matched"] / counts["gold"] if counts["gold"] else 0.0
    sp = counts["speaker_right"] / counts["predicted"] if counts["predicted"] else 0.0
    sr = counts["speaker_right"] / counts["gold"] if counts["gold"] else 0.0
    return {
        **counts,
        "quote_precision": round(p, 3),
        "quote_recall": round(r, 3),
        "quote_speaker_precision": round(sp, 3),
        "quote_speaker_recall": round(sr, 3),
        "speaker_accuracy_on_matched": round(counts["speaker_right"] / counts["matched"], 3)
        if counts["matched"]
        else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print misses, wrong speakers and extra quotes")
    parser.add_argument("--dir", type=Path, default=GOLD_DIR, help="folder of NAME.txt + NAME.json pairs")
    parser.add_argument("--texts", type=Path, help="folder holding NAME.txt when the gold folder has only NAME.json")
    args = parser.parse_args()
    result = {
        "all kinds": score(None, args.show, args.dir, args.texts),
        "direct only": score({"direct"}, gold_dir=args.dir, texts=args.texts),
        "reported and block": score({"reported", "block"}, gold_dir=args.dir, texts=args.texts),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
