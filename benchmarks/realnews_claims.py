"""Score unspin's claims and direct quotes against hand-made gold of real news pages.

    python benchmarks/realnews_claims.py [--gold DIR] [--data ../shared/data/realnews] [--out FILE] [--show]

Each gold page (`benchmarks/realnews/gold/claims/<sha12>.json`, rules in `benchmarks/realnews/ANNOTATION.md`)
names its check-worthy sentences (by an anchor, with a priority), its direct quotes (text, speaker) and the
quoted strings that are not quotes. unspin analyses the page's `articleBody` (from `ground-truth.json`) with
the page's publication date (from `gold/meta.jsonl` when it has one); a gold page whose sha is "ptc:ID" is the
PTC training article `articleID.txt` instead. Matching rules:

- claims: a *selected* claim matches a gold check-worthy sentence when unspin's sentence holding the claim
  covers at least half of the anchor's characters (so a claim cut to its reported clause still counts as its
  sentence). precision = selected claims that match / selected claims; recall = gold sentences matched /
  gold sentences; `selected_share` = selected claims / unspin's sentences; `top5_priority1` = priority-1 gold
  sentences matched by one of the page's first five selected claims (highest check-worthiness first) /
  priority-1 gold sentences.
- direct quotes: a predicted quote of kind `direct` matches a gold quote when their character spans overlap by
  at least half of the shorter one (one-to-one, largest overlap first).
- speaker accuracy on matched quotes: both speakers are normalised (case-folded, accents and punctuation
  removed, a leading article and honorifics dropped, name suffixes "Jr."/"III" and middle initials dropped); they agree when one's words are a contiguous run of the
  other's words containing a word that is not an article or preposition ("Cruz" ~ "Nadia Cruz", "a doctor" ~
  "a doctor on the scene"; "Meghan cry" !~ "Meghan Markle"), or when one is a single word made of the
  initials of the other's words ("DEA" ~ "Drug Enforcement Administration"); a null gold speaker agrees only with a null one.
- not_quotes: gold strings in quotation marks that are not quotes (titles, nicknames, scare quotes, terms);
  one counts as wrongly reported when a `direct` quote overlaps one of its occurrences by half of the longer of
  the two (a quotation holding a scare-quoted word is not that word reported as a quote).

Figures are micro-averaged (summed counts) per batch and overall; `--out` writes the JSON report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DEFAULT_GOLD = ROOT / "realnews" / "gold" / "claims"
DEFAULT_DATA = ROOT.parent.parent / "shared" / "data" / "realnews"
FALLBACK_DATA = Path("/work/shared/data/realnews")

_ARTICLES = {"a", "an", "the"}
_MINOR = _ARTICLES | {"of", "on", "in", "at", "for", "to", "and", "from", "with", "by", "'s", "s"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "prof", "professor", "rev"}


def normalise_speaker(name: str | None) -> list[str]:
    if not name:
        return []
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[’']s\b", "", text)
    words = re.findall(r"[a-z0-9]+", text)
    while words and words[0] in _ARTICLES | _HONORIFICS:
        words = words[1:]
    # name suffixes and middle initials do not tell people apart ("Patrick W. Carlineo" ~ "Patrick Carlineo Jr.")
    return [w for w in words if w not in _SUFFIXES and not (len(w) == 1 and w.isalpha())] or words


def _contains_run(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def speakers_agree(predicted: str | None, gold: str | None) -> bool:
    """The rule in the module docstring."""
    if gold is None:
        return predicted is None
    pred_words, gold_words = normalise_speaker(predicted), normalise_speaker(gold)
    if not pred_words or not gold_words:
        return False
    shorter, longer = sorted((pred_words, gold_words), key=len)
    if len(shorter) == 1 and len(shorter[0]) >= 2:  # an acronym of the other ("DEA" ~ "Drug Enforcement ...")
        initials = "".join(w[0] for w in longer if w not in _MINOR)
        if shorter[0] == initials:
            return True
    return any(w not in _MINOR for w in shorter) and _contains_run(longer, shorter)


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    spans = []
    start = text.find(needle)
    while start >= 0 and needle:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return spans


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def load_meta(gold_dir: Path) -> dict[str, dict[str, Any]]:
    meta: dict[str, dict[str, Any]] = {}
    for meta_path in sorted(gold_dir.parent.glob("meta*.jsonl")):  # meta.jsonl (dev), meta-heldout.jsonl
        for line in meta_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                meta[row["sha"]] = row
    return meta


def page_body(gold: dict[str, Any], truth: dict[str, Any], data: Path) -> str:
    """The text unspin analyses: the realnews page's `articleBody`, or for a gold page named "ptc:ID" the PTC
    training article beside the realnews folder (`data/../ptc/train-articles/articleID.txt`)."""
    sha = str(gold["sha"])
    if sha.startswith("ptc:"):
        return (data.parent / "ptc" / "train-articles" / f"article{sha[4:]}.txt").read_text(encoding="utf-8")
    return str(truth[sha]["articleBody"])


def _published(gold: dict[str, Any], meta: dict[str, dict[str, Any]]) -> dt.date | None:
    value = gold.get("published") or meta.get(gold["sha"], {}).get("published")
    return dt.date.fromisoformat(value) if value else None


def score_page(body: str, gold: dict[str, Any], analysis: Any) -> dict[str, Any]:
    sentences = [(s.start, s.end) for s in analysis.sentences]

    def sentence_of(start: int, end: int) -> tuple[int, int]:
        for s in sentences:
            if s[0] <= start < s[1]:
                return s
        return (start, end)

    selected = [c for c in analysis.claims if c.selected]  # already highest check-worthiness first
    selected_spans = [sentence_of(c.start, c.end) for c in selected]
    gold_claims = []
    missing_anchors = []
    for item in gold["checkworthy"]:
        found = occurrences(body, item["anchor"])
        if not found:
            missing_anchors.append(item["anchor"])
        gold_claims.append((found, int(item.get("priority", 2)), item["anchor"]))

    def matches(sent: tuple[int, int], anchors: list[tuple[int, int]]) -> bool:
        return any(overlap(sent, a) * 2 >= (a[1] - a[0]) for a in anchors)

    claim_hits = [any(matches(sp, g[0]) for g in gold_claims) for sp in selected_spans]
    gold_found = [any(matches(sp, g[0]) for sp in selected_spans) for g in gold_claims]
    top5 = selected_spans[:5]
    p1 = [g for g in gold_claims if g[1] == 1]
    p1_top5 = sum(1 for g in p1 if any(matches(sp, g[0]) for sp in top5))

    predicted = [q for q in analysis.quotes if q.kind == "direct"]
    pairs: list[tuple[int, int, int]] = []
    gold_quotes = gold["quotes"]
    for gi, item in enumerate(gold_quotes):
        for occ in occurrences(body, item["text"]):
            for pi, q in enumerate(predicted):
                ov = overlap(occ, (q.start, q.end))
                if ov * 2 >= min(occ[1] - occ[0], q.end - q.start) and ov > 0:
                    pairs.append((ov, gi, pi))
    pairs.sort(reverse=True)
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matched: list[tuple[int, int]] = []
    for _, gi, pi in pairs:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            matched.append((gi, pi))
    speaker_rows = []
    for gi, pi in matched:
        gold_speaker, pred_speaker = gold_quotes[gi]["speaker"], predicted[pi].speaker
        speaker_rows.append(
            {
                "quote": gold_quotes[gi]["text"][:60],
                "gold": gold_speaker,
                "predicted": pred_speaker,
                "ok": speakers_agree(pred_speaker, gold_speaker),
            }
        )
    wrong_not_quotes = []
    for item in gold.get("not_quotes", []):
        for occ in occurrences(body, item["text"]):
            # half of the longer of the two: a quotation that holds a scare-quoted word ("... a slightly
            # 'under-exposed' chest X-ray," he said) is a right quote, not that word reported as one
            if any(
                overlap(occ, (q.start, q.end)) * 2 >= max(occ[1] - occ[0], q.end - q.start)
                and overlap(occ, (q.start, q.end)) > 0
                for q in predicted
            ):
                wrong_not_quotes.append(item["text"])
                break
    return {
        "sentences": len(sentences),
        "claims_all": len(analysis.claims),
        "selected": len(selected),
        "selected_matched": sum(claim_hits),
        "gold_claims": len(gold_claims),
        "gold_matched": sum(gold_found),
        "priority1": len(p1),
        "priority1_top5": p1_top5,
        "missing_anchors": missing_anchors,
        "predicted_quotes": len(predicted),
        "gold_quotes": len(gold_quotes),
        "quotes_matched": len(matched),
        "speakers_right": sum(r["ok"] for r in speaker_rows),
        "speaker_rows": speaker_rows,
        "not_quotes": len(gold.get("not_quotes", [])),
        "not_quotes_reported": wrong_not_quotes,
        "unmatched_predicted": [predicted[i].text[:80] for i in range(len(predicted)) if i not in used_pred],
        "unmatched_gold": [gold_quotes[i]["text"][:80] for i in range(len(gold_quotes)) if i not in used_gold],
        "false_claims": [c.text[:100] for c, hit in zip(selected, claim_hits, strict=True) if not hit],
        "missed_claims": [g[2][:100] for g, hit in zip(gold_claims, gold_found, strict=True) if not hit],
    }


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def summarise(pages: Iterable[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, float] = defaultdict(float)
    count = 0
    for page in pages:
        count += 1
        for key, value in page.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                total[key] += value
        total["not_quotes_reported_n"] += len(page["not_quotes_reported"])
    return {
        "pages": count,
        "claims_precision": _ratio(total["selected_matched"], total["selected"]),
        "claims_recall": _ratio(total["gold_matched"], total["gold_claims"]),
        "selected_share": _ratio(total["selected"], total["sentences"]),
        "all_claims_share": _ratio(total["claims_all"], total["sentences"]),
        "top5_priority1": _ratio(total["priority1_top5"], total["priority1"]),
        "quotes_precision": _ratio(total["quotes_matched"], total["predicted_quotes"]),
        "quotes_recall": _ratio(total["quotes_matched"], total["gold_quotes"]),
        "speaker_accuracy": _ratio(total["speakers_right"], total["quotes_matched"]),
        "not_quotes": int(total["not_quotes"]),
        "not_quotes_reported": int(total["not_quotes_reported_n"]),
        "counts": {k: int(v) for k, v in sorted(total.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="folder of gold claims/quotes pages")
    parser.add_argument("--data", type=Path, default=None, help="folder holding ground-truth.json")
    parser.add_argument("--out", type=Path, default=None, help="write the JSON report here")
    parser.add_argument("--show", action="store_true", help="print each page's errors")
    args = parser.parse_args(argv)

    import unspin

    data = args.data or (DEFAULT_DATA if DEFAULT_DATA.is_dir() else FALLBACK_DATA)
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    meta = load_meta(args.gold)
    gold_files = sorted(args.gold.glob("*.json"))
    if not gold_files:
        print(f"no gold pages in {args.gold}", file=sys.stderr)
        return 2
    per_page: dict[str, dict[str, Any]] = {}
    batches: dict[str, list[str]] = defaultdict(list)
    started = time.perf_counter()
    for path in gold_files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        body = page_body(gold, truth, data)
        analysis = unspin.analyze(
            unspin.Document(text=body, published=(p.isoformat() if (p := _published(gold, meta)) else None)),
            only=("claims", "sources", "subjectivity"),
            published=_published(gold, meta),
        )
        page = score_page(body, gold, analysis)
        page.update(batch=gold.get("batch"), role=gold.get("role"), genre=gold.get("genre"))
        per_page[path.stem] = page
        batches[f"{gold.get('batch')} ({gold.get('role')})"].append(path.stem)
        if args.show:
            print(f"== {path.stem} {gold.get('genre')}: {json.dumps(summarise([page]), ensure_ascii=False)}")
            for key in (
                "false_claims",
                "missed_claims",
                "unmatched_predicted",
                "unmatched_gold",
                "not_quotes_reported",
            ):
                for item in page[key]:
                    print(f"  {key}: {item}")
            for row in page["speaker_rows"]:
                if not row["ok"]:
                    print(f"  speaker: {row['predicted']!r} for {row['gold']!r} ({row['quote']})")
    report = {
        "gold": str(args.gold),
        "seconds": round(time.perf_counter() - started, 1),
        "overall": summarise(per_page.values()),
        "batches": {name: summarise(per_page[s] for s in shas) for name, shas in sorted(batches.items())},
        "by_genre": {
            genre: summarise(p for p in per_page.values() if p["genre"] == genre)
            for genre in sorted({str(p["genre"]) for p in per_page.values()})
        },
        "pages": per_page,
    }
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    short = {k: report[k] for k in ("gold", "seconds", "overall", "batches", "by_genre")}
    for section in ("overall",):
        short[section] = {k: v for k, v in report[section].items() if k != "counts"}
    print(json.dumps(short, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
