"""Speed of the quotes-and-sources detector alone, over an already parsed 1,000-word article.

Run: .venv/bin/python benchmarks/sources_speed.py [--runs 30] [--folder ../shared/data/ptc/train-articles]
The article is the hand-written quote fixtures (tests/fixtures/quotes/*.txt) joined and cut at 1,000 words:
quote-dense news text, harder than the average article. The spaCy parse is shared by all detectors and is
timed separately, for reference. `--folder` also times the detector over every *.txt article of a folder
(one pass each, parse excluded) and checks that every quote's text is the text at its offsets.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def thousand_words() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures" / "quotes").glob("*.txt"))]
    paragraphs = "\n\n".join(texts * 3).split("\n\n")
    out: list[str] = []
    words = 0
    for paragraph in paragraphs:
        if words >= 1000:
            break
        out.append(paragraph)
        words += len(paragraph.split())
    return "\n\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--folder", type=Path, help="also time every *.txt article in this folder")
    args = parser.parse_args()

    import unspin
    from unspin.analysis import Analysis, Document
    from unspin.detectors.base import Parsed
    from unspin.detectors.sources import SourcesDetector
    from unspin.nlp import parse

    text = thousand_words()
    n_words = len(text.split())
    parse(text)  # load spaCy
    began = time.perf_counter()
    doc = parse(text)
    parse_seconds = time.perf_counter() - began
    parsed = Parsed(analysis=Analysis(document=Document(text=text)), doc=doc)
    detector = SourcesDetector()
    detector(parsed)  # warm-up
    times = []
    cpu_times = []  # CPU time of this process: less sensitive than wall time to other jobs on the machine
    for _ in range(args.runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        findings = detector(parsed)
        times.append(time.perf_counter() - began)
        cpu_times.append(time.process_time() - began_cpu)
    median = statistics.median(times)
    folder_result = {}
    if args.folder:
        total_words = quotes = with_speaker = 0
        total_seconds = 0.0
        paths = sorted(Path(args.folder).glob("*.txt"))
        for path in paths:
            article = path.read_text(encoding="utf-8")
            one = Parsed(analysis=Analysis(document=Document(text=article)), doc=parse(article))
            began = time.perf_counter()
            found = detector(one)
            total_seconds += time.perf_counter() - began
            total_words += len(article.split())
            for quote in found["quotes"]:
                assert quote.text == article[quote.start : quote.end], path
                quotes += 1
                with_speaker += quote.speaker is not None
        folder_result = {
            "folder_articles": len(paths),
            "folder_words": total_words,
            "folder_detector_seconds_per_1000_words": round(total_seconds * 1000 / max(total_words, 1), 4),
            "folder_quotes": quotes,
            "folder_quotes_with_speaker": with_speaker,
        }
    print(
        json.dumps(
            {
                "unspin": unspin.__version__,
                "words": n_words,
                "quotes": len(findings["quotes"]),
                "sources": len(findings["sources"]),
                "detector_seconds_per_1000_words_median": round(median * 1000 / n_words, 4),
                "detector_seconds_per_1000_words_max": round(max(times) * 1000 / n_words, 4),
                "detector_cpu_seconds_per_1000_words_median": round(statistics.median(cpu_times) * 1000 / n_words, 4),
                "spacy_parse_seconds_per_1000_words": round(parse_seconds * 1000 / n_words, 4),
                "runs": args.runs,
                **folder_result,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
