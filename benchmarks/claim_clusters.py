"""Pair precision and recall of `unspin corpus claims` on hand-labelled claim pairs of real news.

    python benchmarks/claim_clusters.py corpus      # analyse the articles below into out/claim_clusters/store.db
    python benchmarks/claim_clusters.py candidates  # write candidate pairs for labelling (no embedding involved)
    python benchmarks/claim_clusters.py score [--half tune|check|all] [--show]
    python benchmarks/claim_clusters.py speed       # seconds per call, cold and cached; synthetic scaling

The corpus: the hand-made article bodies (`articleBody` of `../shared/data/realnews/ground-truth.json`) of the
realnews pages that cover a story another outlet in the set covers too (plague in China, "feather duvet lung",
the WeWork inquiry, ...), and the first PTC training articles (`../shared/data/ptc/train-articles`), run through
`unspin corpus run` into a SQLite store.

The labels (`benchmarks/claim_pairs/labels.tsv`): pairs of stored selected claims from different articles,
proposed by plain word overlap (content-word Jaccard; the clusterer's encoder plays no part in choosing them)
plus random pairs from articles of the same story, each labelled by hand from the two texts alone, before the
clusterer was run on them: 1 when both sentences report the same fact or statement (numbers may differ:
"killed 62" and "killed more than 100" is one claim), 0 otherwise. A pair's half (tune / check) comes from a
hash of its two texts.

Scoring: a pair is predicted "same" when `cluster_claims` puts both claims into one cluster (min_articles=2,
so a cluster of one article's claims only is no prediction). precision = labelled-same pairs among predicted
pairs; recall = labelled-same pairs predicted. Precision counts only the labelled pairs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
if not DATA.exists():
    DATA = Path("/work/shared/data")
OUT = ROOT / "out" / "claim_clusters"
STORE = OUT / "store.db"
LABELS = Path(__file__).resolve().parent / "claim_pairs" / "labels.tsv"
CANDIDATES = OUT / "candidates.tsv"
PTC_ARTICLES = 50

# realnews pages (sha256 prefixes) grouped by the story they report; every group has two outlets or more
STORIES: dict[str, list[str]] = {
    "duvet-lung": ["7bb1ca90", "a078b365", "bd673bd7", "9eef8162"],
    "plague": ["432362af", "ba4dfe2d", "ea25dd7e", "8b194530"],
    "wework": ["1ace8c85", "06e5123e", "bc13ff87"],
    "meth-campaign": ["156770d6", "3f65af7b", "c13b9c0e", "776a1c04"],
    "doobie-brothers": ["9cb8224b", "35b15891", "ac1bfdd4"],
    "lunar-landers": ["d1c57d78", "42aad16b", "c50845a7"],
    "europa": ["f344ca5f", "14cc2a0c", "686bb170"],
    "hibernation": ["e1c7023e", "b37be353"],
    "omar-threat": ["6ebac05f", "7a457a4f"],
    "fort-worth": ["2c46804d", "51d066b0"],
    "home-depot": ["f8ff621a", "51374560"],
    "stadia": ["680c2848", "aade2ec8", "8267acac", "e100c961"],
    "asian-markets": ["d605bdef", "57d46c9d"],
    "hong-kong": ["624fcd90", "5fa3154e", "e4c6a3b4"],
    "impeachment": ["7a664e40", "c90731f0", "f5c90a6d", "82b6d780"],
}
_DATE_IN_URL = re.compile(r"/(20\d\d)[/-](\d\d)[/-](\d\d)")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = set(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "you",
        "his",
        "her",
        "their",
        "our",
        "said",
        "says",
        "not",
        "will",
        "would",
        "could",
        "can",
        "may",
        "also",
        "than",
        "then",
        "there",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "while",
        "about",
        "after",
        "before",
        "into",
        "over",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
    ]
)


def _published(url: str) -> str | None:
    match = _DATE_IN_URL.search(url)
    return f"{match[1]}-{match[2]}-{match[3]}" if match else None


def write_corpus() -> Path:
    """realnews story articles and PTC articles as one JSON Lines file."""
    truth = json.loads((DATA / "realnews" / "ground-truth.json").read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for story, prefixes in STORIES.items():
            for prefix in prefixes:
                (sha,) = [key for key in truth if key.startswith(prefix)]
                page = truth[sha]
                record = {
                    "id": f"realnews-{prefix}",
                    "url": page["url"],
                    "site": urlparse(page["url"]).hostname,
                    "published": _published(page["url"]),
                    "text": page["articleBody"],
                    "title": story,
                }
                out.write(json.dumps({k: v for k, v in record.items() if v is not None}) + "\n")
        articles = sorted((DATA / "ptc" / "train-articles").glob("article*.txt"))[:PTC_ARTICLES]
        for article in articles:
            out.write(
                json.dumps({"id": article.stem, "site": "ptc", "text": article.read_text(encoding="utf-8")}) + "\n"
            )
    return path


def run_corpus() -> None:
    corpus = write_corpus()
    subprocess.run(
        [sys.executable, "-m", "unspin", "corpus", "run", str(corpus), "--store", f"sqlite:///{STORE}", "--quiet"],
        check=True,
    )


def _stored_claims() -> list[tuple[str, str, str]]:
    """(document id, site+title tag, claim text) of every selected stored claim, in a fixed order."""
    from sqlalchemy import select

    from unspin.store import corpus

    engine = corpus.open_store(f"sqlite:///{STORE}")
    with corpus.session(engine) as s:
        rows = s.execute(
            select(corpus.ClaimRow.document_id, corpus.DocumentRow.site, corpus.DocumentRow.title, corpus.ClaimRow.text)
            .join(corpus.DocumentRow, corpus.DocumentRow.id == corpus.ClaimRow.document_id)
            .where(corpus.ClaimRow.selected)
            .order_by(corpus.ClaimRow.document_id, corpus.ClaimRow.start)
        ).all()
    return [(doc, f"{site}:{title or ''}", " ".join(text.split())) for doc, site, title, text in rows]


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def write_candidates(top: int = 130, random_pairs: int = 50) -> None:
    """The pairs to label: the most word-overlapping claim pairs across articles, plus random same-story pairs."""
    claims = _stored_claims()
    words = [_content_words(text) for _, _, text in claims]
    scored = []
    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            if claims[i][0] == claims[j][0] or not words[i] or not words[j]:
                continue
            jaccard = len(words[i] & words[j]) / len(words[i] | words[j])
            if jaccard >= 0.12:
                scored.append((jaccard, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    chosen = {(i, j) for _, i, j in scored[:top]}
    same_story = [
        (i, j)
        for i in range(len(claims))
        for j in range(i + 1, len(claims))
        if claims[i][0] != claims[j][0]
        and claims[i][1].split(":", 1)[1] == claims[j][1].split(":", 1)[1] != ""
        and (i, j) not in chosen
    ]
    rng = random.Random(15)
    chosen |= set(rng.sample(same_story, min(random_pairs, len(same_story))))
    with CANDIDATES.open("w", encoding="utf-8") as out:
        out.write("same\tdoc_a\ttext_a\tdoc_b\ttext_b\n")
        for i, j in sorted(chosen):
            out.write(f"?\t{claims[i][0]}\t{claims[i][2]}\t{claims[j][0]}\t{claims[j][2]}\n")
    print(f"{len(chosen)} candidate pairs -> {CANDIDATES}")


def half_of(text_a: str, text_b: str) -> str:
    digest = hashlib.sha256("\n".join(sorted([text_a, text_b])).encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "check"


def read_labels() -> list[tuple[int, str, str, str, str]]:
    rows = []
    for line in LABELS.read_text(encoding="utf-8").splitlines()[1:]:
        same, doc_a, text_a, doc_b, text_b = line.split("\t")
        rows.append((int(same), doc_a, text_a, doc_b, text_b))
    return rows


def score(half: str, show: bool) -> dict[str, object]:
    from unspin.corpus.claims import cluster_claims
    from unspin.store import corpus

    engine = corpus.open_store(f"sqlite:///{STORE}")
    clusters = cluster_claims(engine, min_articles=2)
    cluster_of: dict[tuple[str, str], str] = {}
    for cluster in clusters:
        for variant in cluster.variants:
            cluster_of[(variant.document_id, " ".join(variant.text.split()))] = cluster.id
    tp = fp = fn = tn = 0
    for same, doc_a, text_a, doc_b, text_b in read_labels():
        if half != "all" and half_of(text_a, text_b) != half:
            continue
        a, b = cluster_of.get((doc_a, text_a)), cluster_of.get((doc_b, text_b))
        predicted = a is not None and a == b
        if predicted and same:
            tp += 1
        elif predicted:
            fp += 1
            if show:
                print(f"FALSE JOIN\n  {text_a}\n  {text_b}")
        elif same:
            fn += 1
            if show:
                print(f"MISSED\n  {text_a}\n  {text_b}")
        else:
            tn += 1
    report = {
        "half": half,
        "pairs": tp + fp + fn + tn,
        "same_pairs": tp + fn,
        "predicted_same": tp + fp,
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "clusters": len(clusters),
    }
    print(json.dumps(report))
    return report


def speed() -> dict[str, object]:
    """Cost of `cluster_claims` on the benchmark store (vectors not cached, then cached), and of the clustering
    core on synthetic claims at two sizes past the exact-search limit (faiss HNSW), to show it grows near-linearly."""
    import shutil
    import tempfile
    import time

    import numpy as np
    from sqlalchemy import delete

    from unspin.corpus import claims as claims_module
    from unspin.store import corpus

    report: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "store.db"
        shutil.copy(STORE, copy)
        engine = corpus.open_store(f"sqlite:///{copy}")
        with corpus.session(engine) as s, s.begin():
            s.execute(delete(corpus.ClaimVectorRow))
        count = len(list(claims_module._stored_claims(engine)))
        begin = time.perf_counter()
        claims_module.cluster_claims(engine)
        cold = time.perf_counter() - begin
        begin = time.perf_counter()
        claims_module.cluster_claims(engine)
        warm = time.perf_counter() - begin
        engine.dispose()
    report["store"] = {"claims": count, "first_call_s": round(cold, 2), "second_call_s": round(warm, 2)}

    rng = np.random.default_rng(15)
    for size in (25_000, 50_000):
        # claims in groups of 4 near-copies (a story retold), each group about its own named place
        centres = rng.normal(size=(size // 4, 384)).astype(np.float32)
        vectors = np.repeat(centres, 4, axis=0) + rng.normal(scale=0.35, size=(size, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        synthetic = [
            claims_module._Claim(
                document_id=f"d{i}",
                site=f"s{i % 50}",
                published=None,
                url=None,
                title=None,
                text=f"claim {i}",
                start=0,
                end=1,
                order=i,
                numbers=[],
                dates=[],
                places={f"place {i // 4}"},
            )
            for i in range(size)
        ]
        begin = time.perf_counter()
        found = claims_module._clusters_of(synthetic, vectors, 2)
        seconds = time.perf_counter() - begin
        report[f"synthetic_{size}"] = {
            "seconds": round(seconds, 2),
            "ms_per_claim": round(1000 * seconds / size, 3),
            "clusters": len(found),
            "claims_in_clusters": sum(len(c.variants) for c in found),
        }
    print(json.dumps(report))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["corpus", "candidates", "score", "speed"])
    parser.add_argument("--half", choices=["tune", "check", "all"], default="check")
    parser.add_argument("--show", action="store_true", help="print the wrongly joined and the missed pairs")
    args = parser.parse_args()
    if args.step == "corpus":
        run_corpus()
    elif args.step == "candidates":
        write_candidates()
    elif args.step == "speed":
        speed()
    else:
        score(args.half, args.show)


if __name__ == "__main__":
    main()
