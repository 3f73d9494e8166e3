"""SemEval-2020 Task 11 (PTC) scoring: span identification (SI) and span + technique ("full task") F1.

Partial overlap is credited by length (Da San Martino et al., 2019/2020):
  precision = (1/|S|) * sum over predicted spans s of sum over gold spans t of |s ∩ t| / |s|
  recall    = (1/|T|) * sum over gold spans t of sum over predicted spans s of |s ∩ t| / |t|
SI ignores techniques and merges overlapping spans of an article first (gold and predicted alike). The full
task does the same per technique: only spans of the same technique overlap-credit each other, and spans of
one technique in one article are merged. Per-technique F1 restricts both sides to one technique. Micro
averages over all articles: the sums and span counts are pooled before dividing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unspin.errors import BadOption, InputNotFound

if TYPE_CHECKING:
    from unspin.options import Runtime


@dataclass(frozen=True)
class LabelSpan:
    """One line of a PTC label file; `technique` is None for SI (technique-free) files."""

    article: str
    technique: str | None
    start: int
    end: int


@dataclass
class PRF:
    precision: float
    recall: float
    f1: float
    predicted: int  # spans after merging
    gold: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "predicted_spans": self.predicted,
            "gold_spans": self.gold,
        }


def read_labels(path: Path) -> list[LabelSpan]:
    """Read a PTC label file: `ID<TAB>technique<TAB>start<TAB>end` or the SI form `ID<TAB>start<TAB>end`."""
    if not path.is_file():
        raise InputNotFound(f"label file not found: {path}")
    spans: list[LabelSpan] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            cols = line.split("\t")
            try:
                if len(cols) == 4:
                    span = LabelSpan(cols[0], cols[1], int(cols[2]), int(cols[3]))
                elif len(cols) == 3:
                    span = LabelSpan(cols[0], None, int(cols[1]), int(cols[2]))
                else:
                    raise ValueError(f"expected 3 or 4 tab-separated columns, got {len(cols)}")
            except ValueError as exc:
                raise BadOption(f"{path}:{lineno}: not a PTC label line ({exc})") from None
            if span.start < 0 or span.end < span.start:
                raise BadOption(f"{path}:{lineno}: bad offsets {span.start}-{span.end}")
            spans.append(span)
    return spans


def write_labels(spans: Iterable[LabelSpan], path: Path) -> None:
    """Write spans in the PTC format (the technique column is left out for technique-free spans), one line as
    each span comes: a generator of a whole corpus's spans is never held in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as stream:
        for s in spans:
            if s.technique is None:
                stream.write(f"{s.article}\t{s.start}\t{s.end}\n")
            else:
                stream.write(f"{s.article}\t{s.technique}\t{s.start}\t{s.end}\n")


def merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted union of half-open intervals; overlapping ones become one (touching ones stay apart)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if out and start < out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _credit(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[float, float]:
    """(sum_s sum_t |s∩t|/|s|, sum_t sum_s |s∩t|/|t|) for two merged, sorted interval lists."""
    p_sum = r_sum = 0.0
    i = j = 0
    while i < len(pred) and j < len(gold):
        (ps, pe), (gs, ge) = pred[i], gold[j]
        overlap = min(pe, ge) - max(ps, gs)
        if overlap > 0:
            p_sum += overlap / (pe - ps)
            r_sum += overlap / (ge - gs)
        if pe <= ge:
            i += 1
        else:
            j += 1
    return p_sum, r_sum


def _prf(p_sum: float, r_sum: float, n_pred: int, n_gold: int) -> PRF:
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return PRF(precision, recall, f1, n_pred, n_gold)


def _group(spans: Iterable[LabelSpan], by_technique: bool) -> dict[tuple[str, str | None], list[tuple[int, int]]]:
    groups: dict[tuple[str, str | None], list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        groups[(s.article, s.technique if by_technique else None)].append((s.start, s.end))
    return {k: merge(v) for k, v in groups.items()}


def credit_stats(
    gold: dict[tuple[str, str | None], list[tuple[int, int]]],
    pred: dict[tuple[str, str | None], list[tuple[int, int]]],
    keep: set[tuple[str, str | None]] | None = None,
) -> tuple[float, float, int, int]:
    """Pooled (precision credit, recall credit, predicted spans, gold spans) over merged span groups.

    The four numbers add up across groups, which lets threshold search score techniques one at a time.
    """
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for key in set(gold) | set(pred):
        if keep is not None and key not in keep:
            continue
        g, p = gold.get(key, []), pred.get(key, [])
        n_gold += len(g)
        n_pred += len(p)
        ps, rs = _credit(p, g)
        p_sum += ps
        r_sum += rs
    return p_sum, r_sum, n_pred, n_gold


def group(spans: Iterable[LabelSpan], by_technique: bool) -> dict[tuple[str, str | None], list[tuple[int, int]]]:
    """Merged, sorted intervals per article (and per technique when `by_technique`)."""
    return _group(spans, by_technique)


def prf(p_sum: float, r_sum: float, n_pred: int, n_gold: int) -> PRF:
    return _prf(p_sum, r_sum, n_pred, n_gold)


def _score_groups(
    gold: dict[tuple[str, str | None], list[tuple[int, int]]],
    pred: dict[tuple[str, str | None], list[tuple[int, int]]],
    keep: set[tuple[str, str | None]] | None = None,
) -> PRF:
    return _prf(*credit_stats(gold, pred, keep))


def score_si(gold: Iterable[LabelSpan], pred: Iterable[LabelSpan]) -> PRF:
    """Span identification: techniques ignored, overlapping spans of an article merged."""
    return _score_groups(_group(gold, False), _group(pred, False))


def score_full(gold: Iterable[LabelSpan], pred: Iterable[LabelSpan]) -> tuple[PRF, dict[str, PRF]]:
    """Span + technique: micro P/R/F1 over all techniques, and P/R/F1 per technique."""
    g, p = _group(gold, True), _group(pred, True)
    overall = _score_groups(g, p)
    per: dict[str, PRF] = {}
    techniques = sorted({k[1] for k in (*g, *p) if k[1] is not None})
    for technique in techniques:
        keys = {k for k in (*g, *p) if k[1] == technique}
        per[technique] = _score_groups(g, p, keys)
    return overall, per


def evaluate(gold: list[LabelSpan], pred: list[LabelSpan], articles: Iterable[str] | None = None) -> dict[str, Any]:
    """The JSON report: SI and full-task scores, and per-technique F1 (restricted to `articles` if given)."""
    if articles is not None:
        wanted = set(articles)
        gold = [s for s in gold if s.article in wanted]
        pred = [s for s in pred if s.article in wanted]
    report: dict[str, Any] = {
        "articles": len({s.article for s in gold} | ({*articles} if articles is not None else set())),
        "span_identification": score_si(gold, pred).as_dict(),
    }
    if any(s.technique is not None for s in gold):
        overall, per = score_full(gold, pred)
        report["full_task"] = overall.as_dict()
        report["per_technique"] = {t: v.as_dict() for t, v in per.items()}
    return report


_ARTICLE = re.compile(r"article(.+)\.txt")


def read_articles(directory: Path) -> dict[str, str]:
    """`article<ID>.txt` files of a folder, by ID, read as plain UTF-8: a BOM stays a character, since gold
    offsets count it."""
    if not directory.is_dir():
        raise InputNotFound(f"articles folder not found: {directory}")
    articles: dict[str, str] = {}
    for path in sorted(directory.iterdir()):
        m = _ARTICLE.fullmatch(path.name)
        if m and path.is_file():
            try:
                articles[m.group(1)] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise BadOption(f"{path}: not UTF-8 text ({exc.reason})") from None
    if not articles:
        raise InputNotFound(f"no article<ID>.txt files in {directory}")
    return articles


def predict_articles(articles: dict[str, str], runtime: Runtime | None = None) -> list[LabelSpan]:
    """Run the pipeline (`--only techniques`, as `unspin analyze` would) on every article; spans in PTC form.

    The article text is given as is (PTC offsets index the file read as UTF-8), never re-normalised.
    """
    from unspin.analysis import Document
    from unspin.options import Options
    from unspin.pipeline import load_pipeline

    out: list[LabelSpan] = []
    with load_pipeline(Options(only=("techniques",)), runtime) as pipeline:
        for aid, text in articles.items():
            analysis = pipeline(Document(text=text, source_kind="text", language="en"))
            out += [LabelSpan(aid, s.technique, s.start, s.end) for s in analysis.techniques]
    return out
