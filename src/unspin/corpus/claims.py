"""The same claim across articles: clusters of stored claims that say the same thing, and where a claim appears.

Two claims are taken for one when
- their sentence vectors (all-MiniLM-L6-v2 at full depth, `models.claim_encoder`) are close: cosine at least
  `SAME_CLAIM_SIMILARITY` when they name a common actor or place, `SAME_CLAIM_SIMILARITY_UNNAMED` when one of them
  names none (a sentence that says "the company" is weaker evidence than one that says "WeWork");
- their named entities agree: when both name actors, one of them is shared ("Trump" ~ "Donald Trump"), and
  when both name places, one of them is shared (the same strike "in Gaza" and "in Lebanon" are two claims);
- their dates agree: when both carry a resolved date, one of each pair is the same day, month or year;
- and their numbers may differ: that is the point ("killed 62" and "killed more than 100" is one claim told two
  ways, reported as a discrepancy).

Clusters grow from the most similar pair down (each claim's nearest neighbours: exact search below
`EXACT_SEARCH_LIMIT` claims, a faiss HNSW index above, so cost stays near-linear), and two clusters join only when
their mean vectors are as close as the pair that links them had to be and all their claims still agree on names
and dates, so that a chain of near neighbours cannot walk from one claim to another. Precision first: two clusters of one claim cost less than one cluster of two claims.

Vectors are cached in the store (`corpus_claim_vectors`, keyed by encoder and text): a second call encodes only
the claims it has not seen. Memory holds one record and one 384-float vector per claim (about 2 KB).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, Field

from unspin.errors import BadOption

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

__all__ = [
    "ClaimCluster",
    "ClaimDiscrepancy",
    "ClaimMatch",
    "ClaimNumber",
    "ClaimVariant",
    "claims_like",
    "cluster_claims",
]

# Thresholds: chosen on the tune half of hand-labelled claim pairs (benchmarks/claim_clusters.py, BENCHMARKS.md).
SAME_CLAIM_SIMILARITY = 0.80
SAME_CLAIM_SIMILARITY_UNNAMED = 0.84
# ... and when they state a distinctive number in common ("28 people", "$2.52 a share"): shared figures are strong
# evidence of one source, though a claim's numbers may also differ between its variants.
SHARED_NUMBER_SIMILARITY = 0.62
# `claims_like` reports matches down to this similarity.
LIKE_SIMILARITY = 0.55
NEIGHBOURS = 24
EXACT_SEARCH_LIMIT = 20_000
_PAIRWISE_CHECK_LIMIT = 400
_VECTOR_QUERY_CHUNK = 500

# spaCy labels that name an actor or a thing, and those that name a place.
_ACTOR_LABELS = {"PERSON", "ORG", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_NUMBER_KINDS = {"number", "money", "percent", "quantity"}
_NAME_NOISE = re.compile(r"[^\w\s]")
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+")
_DOTTED_INITIALS = re.compile(r"\b(?:[A-Za-z]\.){2,}")
_ISO_PREFIX = re.compile(r"^\d{4}(-\d\d){0,2}$")
_POSSESSIVE = re.compile(r"'s?\b")


class ClaimNumber(BaseModel):
    """A number a claim states: its words and its normalised value or bounds."""

    text: str
    kind: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    comparator: str = "="


class ClaimVariant(BaseModel):
    """One appearance of a claim: the article, and the sentence as that article words it."""

    document_id: str
    site: str | None = None
    published: str | None = Field(default=None, description="ISO date of the article, when known")
    published_inferred: bool = Field(
        default=False, description="The date was guessed from the text (no page metadata gave it): a weaker date"
    )
    url: str | None = None
    title: str | None = None
    text: str
    start: int
    end: int
    numbers: list[ClaimNumber] = Field(default_factory=list)
    similarity: float = Field(description="Cosine similarity to the cluster's representative (or the query)")


class ClaimMatch(ClaimVariant):
    """A stored claim close to the text asked about (`claims_like`), ranked by similarity."""


class ClaimDiscrepancy(BaseModel):
    """An appearance whose numbers disagree with those of the claim's first appearance that states figures."""

    document_id: str
    site: str | None = None
    published: str | None = None
    url: str | None = None
    text: str
    numbers: list[ClaimNumber]
    first_document_id: str = Field(description="The first appearance that states figures: what is compared with")
    first_numbers: list[ClaimNumber]


class ClaimCluster(BaseModel):
    """One claim and every article that makes it."""

    id: str = Field(description="Stable: a hash of the first appearance (document id and offsets)")
    text: str = Field(description="The representative wording: the variant closest to all the others")
    first_seen: str | None = Field(description="Publication date of the first appearance; None when no variant has one")
    first_seen_inferred: bool = Field(default=False, description="first_seen was guessed from an article's text")
    first_document_id: str = Field(
        description="The first appearance: earliest date given by metadata, else earliest inferred date, else first "
        "stored"
    )
    articles: int
    sites: list[str] = Field(description="Sites in the order the claim reached them")
    dates: list[str] = Field(description="Publication dates of the variants, sorted")
    variants: list[ClaimVariant] = Field(description="In order of appearance")
    discrepancies: list[ClaimDiscrepancy] = Field(default_factory=list)


@dataclass
class _Claim:
    """A stored claim as the clusterer sees it."""

    document_id: str
    site: str | None
    published: str | None
    url: str | None
    title: str | None
    text: str
    start: int
    end: int
    order: int  # when it was stored: the fallback for "first" when dates are missing
    numbers: list[ClaimNumber]
    dates: list[str]
    actors: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    published_inferred: bool = False

    def variant(self, similarity: float, kind: type[ClaimVariant] = ClaimVariant) -> ClaimVariant:
        return kind(
            document_id=self.document_id,
            site=self.site,
            published=self.published,
            published_inferred=self.published_inferred,
            url=self.url,
            title=self.title,
            text=self.text,
            start=self.start,
            end=self.end,
            numbers=self.numbers,
            similarity=round(similarity, 4),
        )

    def appearance(self) -> tuple[int, str, int, str, int]:
        """Sort key of appearance: a date from metadata before a date guessed from the text (often an older date
        the article mentions) before none; then the date, storage order, place in the text."""
        rank = 2 if self.published is None else 1 if self.published_inferred else 0
        return (rank, self.published or "", self.order, self.document_id, self.start)


# ---------------------------------------------------------------------------------------------- reading the store


def _normal_name(name: str) -> str:
    """Case, accents, possessives and punctuation folded: "Paddock’s" ~ "paddock", "U.S." ~ "us"."""
    text = name.replace("\u2019", "'")
    text = _DOTTED_INITIALS.sub(lambda match: match[0].replace(".", ""), text)
    text = _POSSESSIVE.sub("", text)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _LEADING_ARTICLE.sub("", " ".join(_NAME_NOISE.sub(" ", folded).split()))


def _claim_numbers(quantities: list[dict[str, Any]]) -> tuple[list[ClaimNumber], list[str]]:
    numbers, dates = [], []
    for quantity in quantities:
        kind = quantity.get("kind")
        if kind == "date":
            if quantity.get("date"):
                dates.append(str(quantity["date"]))
        elif kind in _NUMBER_KINDS:
            numbers.append(
                ClaimNumber(
                    text=quantity.get("text", ""),
                    kind=kind,
                    value=quantity.get("value"),
                    low=quantity.get("low"),
                    high=quantity.get("high"),
                    unit=quantity.get("unit"),
                    comparator=quantity.get("comparator", "="),
                )
            )
    return numbers, dates


def _stored_claims(engine: Engine) -> Iterator[_Claim]:
    """The selected claims of each document's latest analysis, streamed one analysis at a time."""
    from sqlalchemy import func, select

    from unspin.store.corpus import AnalysisRow, DocumentRow, session

    latest = select(func.max(AnalysisRow.id)).group_by(AnalysisRow.document_id).scalar_subquery()
    query = (
        select(AnalysisRow.id, AnalysisRow.analysis, DocumentRow)
        .join(DocumentRow, DocumentRow.id == AnalysisRow.document_id)
        .where(AnalysisRow.id.in_(latest))
        .order_by(AnalysisRow.id)
        .execution_options(yield_per=50)
    )
    with session(engine) as s:
        for analysis_id, analysis_json, document in s.execute(query):
            analysis = json.loads(analysis_json)
            inferred = analysis.get("document", {}).get("published_source") == "inferred"
            for claim in analysis.get("claims", []):
                if not claim.get("selected", True):
                    continue
                numbers, dates = _claim_numbers(claim.get("quantities", []))
                entities = claim.get("entities", [])
                yield _Claim(
                    document_id=document.id,
                    site=document.site,
                    published=document.published,
                    url=document.url,
                    title=document.title,
                    text=" ".join(claim["text"].split()),
                    start=claim["start"],
                    end=claim["end"],
                    order=analysis_id,
                    numbers=numbers,
                    dates=dates,
                    actors={_normal_name(e["text"]) for e in entities if e.get("label") in _ACTOR_LABELS} - {""},
                    places={_normal_name(e["text"]) for e in entities if e.get("label") in _PLACE_LABELS} - {""},
                    published_inferred=inferred,
                )


def _vector_key(encoder: str, text: str) -> str:
    return hashlib.sha256(f"{encoder}\n{text}".encode()).hexdigest()


def claim_vectors(engine: Engine, texts: Sequence[str]) -> np.ndarray:
    """One vector per text, from the store's cache; those not cached are encoded and stored."""
    from sqlalchemy import select

    from unspin.models import claim_encoder
    from unspin.store.corpus import ClaimVectorRow, session

    encoder = claim_encoder.fingerprint()
    keys = [_vector_key(encoder, text) for text in texts]
    found: dict[str, np.ndarray] = {}
    with session(engine) as s:
        unique = sorted(set(keys))
        for begin in range(0, len(unique), _VECTOR_QUERY_CHUNK):
            chunk = unique[begin : begin + _VECTOR_QUERY_CHUNK]
            for key, blob in s.execute(
                select(ClaimVectorRow.key, ClaimVectorRow.vector).where(ClaimVectorRow.key.in_(chunk))
            ):
                found[key] = np.frombuffer(blob, dtype=np.float32)
    missing = sorted({key: text for key, text in zip(keys, texts, strict=True) if key not in found}.items())
    if missing:
        log.info("encoding %d claims not in the vector cache", len(missing))
        for begin in range(0, len(missing), _VECTOR_QUERY_CHUNK):
            batch = missing[begin : begin + _VECTOR_QUERY_CHUNK]
            vectors = claim_encoder.embed([text for _, text in batch])
            with session(engine) as s, s.begin():
                for (key, _), vector in zip(batch, vectors, strict=True):
                    found[key] = vector
                    s.merge(ClaimVectorRow(key=key, encoder=encoder, vector=vector.astype(np.float32).tobytes()))
    out = np.zeros((len(texts), claim_encoder.DIM), dtype=np.float32)
    for row, key in enumerate(keys):
        out[row] = found[key]
    return out


# ------------------------------------------------------------------------------------------------------- matching


def _names_agree(first: set[str], second: set[str]) -> bool:
    """True when one name of each set names the same thing: equal, one's words all among the other's
    ("trump" ~ "donald trump", "patrick carlineo jr" ~ "patrick w carlineo jr"), or one the initials of the other
    ("nasa", "us" ~ "united states")."""
    for a in first:
        for b in second:
            if a == b:
                return True
            short, long = (a, b) if len(a) <= len(b) else (b, a)
            if set(short.split()) <= set(long.split()):
                return True
            if " " not in short and len(short) >= 2 and "".join(w[0] for w in long.split()) == short:
                return True
    return False


def _interval(value: str) -> tuple[str, str] | None:
    """An ISO date, month, year or `start/end` range as its first and last day (strings compare as dates)."""
    first, _, last = value.partition("/")
    last = last or first
    if not _ISO_PREFIX.match(first) or not _ISO_PREFIX.match(last):
        return None
    start = first + "-01-01"[len(first) - 4 :] if len(first) < 10 else first
    end = last + "-12-31"[len(last) - 4 :] if len(last) < 10 else last
    return start, end


def _dates_agree(first: list[str], second: list[str]) -> bool:
    """True unless both claims carry dates and no date of one overlaps a date of the other."""
    spans_a = [span for value in first if (span := _interval(value))]
    spans_b = [span for value in second if (span := _interval(value))]
    if not spans_a or not spans_b:
        return True
    return any(a[0] <= b[1] and b[0] <= a[1] for a in spans_a for b in spans_b)


def required_similarity(a: _Claim, b: _Claim) -> float | None:
    """The similarity two claims need to be taken for one, or None when their names or dates rule it out."""
    if a.actors and b.actors and not _names_agree(a.actors, b.actors):
        return None
    if a.places and b.places and not _names_agree(a.places, b.places):
        return None
    if not _dates_agree(a.dates, b.dates):
        return None
    if _share_a_number(a.numbers, b.numbers):
        return SHARED_NUMBER_SIMILARITY
    named_both = (a.actors or a.places) and (b.actors or b.places)
    return SAME_CLAIM_SIMILARITY if named_both else SAME_CLAIM_SIMILARITY_UNNAMED


def _distinctive(number: ClaimNumber) -> float | None:
    """The number's value when it is specific enough to point to one source: money, a percentage, or a count
    above a dozen or with decimals (small round counts, "two", "10 years", are everywhere)."""
    value = number.value if number.value is not None else number.low
    if value is None:
        return None
    if number.kind in ("money", "percent") or value > 12 or value != int(value):
        return value
    return None


def _share_a_number(first: list[ClaimNumber], second: list[ClaimNumber]) -> bool:
    values = {v for n in first if (v := _distinctive(n)) is not None}
    return any(_distinctive(n) in values for n in second)


def _neighbours(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each vector's `k` nearest (inner product = cosine on unit vectors): exact below EXACT_SEARCH_LIMIT."""
    import faiss

    dim = vectors.shape[1]
    if len(vectors) <= EXACT_SEARCH_LIMIT:
        index: Any = faiss.IndexFlatIP(dim)
    else:
        # 16 links a node, build beam 40, search beam 64: on synthetic groups of 4 near-copies among 40,000 claims,
        # 98% of each claim's group mates are found, at about half the cost of 32 / 80 (benchmarks/claim_clusters.py)
        index = faiss.IndexHNSWFlat(dim, 16, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 40
        index.hnsw.efSearch = 64
    index.add(vectors)
    similarities, indices = index.search(vectors, k)
    return similarities, indices


class _Clusters:
    """Union-find over claims, keeping each joined cluster's vector sum and members so that a join can be refused.
    A claim alone keeps nothing but its parent: memory grows with the claims that join, not with the corpus."""

    def __init__(self, claims: list[_Claim], vectors: np.ndarray) -> None:
        self.parent = list(range(len(claims)))
        self.sums: dict[int, np.ndarray] = {}
        self.members: dict[int, list[int]] = {}
        self.claims = claims
        self.vectors = vectors

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _of(self, root: int) -> tuple[np.ndarray, list[int]]:
        if root in self.members:
            return self.sums[root], self.members[root]
        return self.vectors[root].astype(np.float64), [root]

    def try_join(self, i: int, j: int, needed: float) -> None:
        """Join the clusters of claims i and j when their mean vectors are as close as the pair had to be, and
        every claim of one still agrees with every claim of the other on names and dates."""
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        (sum_a, members_a), (sum_b, members_b) = self._of(a), self._of(b)
        cosine = float(sum_a @ sum_b / max(np.linalg.norm(sum_a) * np.linalg.norm(sum_b), 1e-12))
        if cosine < needed:
            return
        # the pairwise check is skipped only between two clusters already large (its cost is their product)
        if len(members_a) * len(members_b) <= _PAIRWISE_CHECK_LIMIT and any(
            required_similarity(self.claims[x], self.claims[y]) is None for x in members_a for y in members_b
        ):
            return
        if len(members_a) < len(members_b):
            a, b = b, a
            sum_a, sum_b, members_a, members_b = sum_b, sum_a, members_b, members_a
        self.parent[b] = a
        self.sums[a] = sum_a + sum_b
        self.members[a] = members_a + members_b
        self.sums.pop(b, None)
        self.members.pop(b, None)

    def groups(self, singles: bool) -> list[list[int]]:
        """The clusters of two claims or more, and with `singles` every claim that joined none."""
        found = [sorted(members) for members in self.members.values()]
        if singles:
            found += [[i] for i in range(len(self.parent)) if self.parent[i] == i and i not in self.members]
        return found


def _same_number(a: ClaimNumber, b: ClaimNumber) -> bool:
    def close(x: float | None, y: float | None) -> bool:
        return x == y if x is None or y is None else abs(x - y) <= 1e-9 * max(abs(x), abs(y), 1.0)

    return a.comparator == b.comparator and close(a.value, b.value) and close(a.low, b.low) and close(a.high, b.high)


def numbers_disagree(first: list[ClaimNumber], second: list[ClaimNumber]) -> bool:
    """True when both state a number of one kind and unit, and each states one the other does not ("62" vs "more
    than 100"); a variant that only adds or leaves out a figure ("$2.52 a share" vs "$2.52 a share on revenue of
    $27.53 billion") does not disagree."""
    for kind, unit in {(n.kind, n.unit) for n in first} & {(n.kind, n.unit) for n in second}:
        ours = [n for n in first if (n.kind, n.unit) == (kind, unit)]
        theirs = [n for n in second if (n.kind, n.unit) == (kind, unit)]
        only_ours = any(not any(_same_number(a, b) for b in theirs) for a in ours)
        only_theirs = any(not any(_same_number(b, a) for a in ours) for b in theirs)
        if only_ours and only_theirs:
            return True
    return False


def _cluster(claims: list[_Claim], vectors: np.ndarray, members: list[int]) -> ClaimCluster:
    ordered = sorted(members, key=lambda i: claims[i].appearance())
    block = vectors[members]
    centrality = (block @ block.T).mean(axis=1)
    position = {index: row for row, index in enumerate(members)}
    representative = max(ordered, key=lambda i: (round(float(centrality[position[i]]), 6), -ordered.index(i)))
    rep_vector = vectors[representative]
    first = claims[ordered[0]]
    variants = [claims[i].variant(float(vectors[i] @ rep_vector)) for i in ordered]
    # figures are compared with the first appearance that states one (the first may give none: "dozens died")
    stating = [i for i in ordered if claims[i].numbers]
    reference = claims[stating[0]] if stating else first
    discrepancies = [
        ClaimDiscrepancy(
            document_id=claims[i].document_id,
            site=claims[i].site,
            published=claims[i].published,
            url=claims[i].url,
            text=claims[i].text,
            numbers=claims[i].numbers,
            first_document_id=reference.document_id,
            first_numbers=reference.numbers,
        )
        for i in stating[1:]
        if numbers_disagree(reference.numbers, claims[i].numbers)
    ]
    sites: list[str] = []
    for i in ordered:
        site = claims[i].site
        if site and site not in sites:
            sites.append(site)
    dates = sorted({published for i in ordered if (published := claims[i].published)})
    identity = f"{first.document_id}:{first.start}:{first.end}"
    return ClaimCluster(
        id="c" + hashlib.sha256(identity.encode()).hexdigest()[:12],
        text=claims[representative].text,
        first_seen=first.published,
        first_seen_inferred=first.published is not None and first.published_inferred,
        first_document_id=first.document_id,
        articles=len({claims[i].document_id for i in ordered}),
        sites=sites,
        dates=dates,
        variants=variants,
        discrepancies=discrepancies,
    )


def cluster_claims(engine: Engine, *, min_articles: int = 2, limit: int | None = None) -> list[ClaimCluster]:
    """Clusters of stored claims that say the same thing in at least `min_articles` articles; the most widely
    repeated first (then the earliest, then by id), at most `limit` of them."""
    if min_articles < 1:
        raise BadOption(f"min_articles must be at least 1, not {min_articles}")
    claims = list(_stored_claims(engine))
    if not claims:
        return []
    vectors = claim_vectors(engine, [claim.text for claim in claims])
    found = _clusters_of(claims, vectors, min_articles)
    return found[:limit] if limit is not None else found


def _clusters_of(claims: list[_Claim], vectors: np.ndarray, min_articles: int) -> list[ClaimCluster]:
    clusters = _Clusters(claims, vectors)
    similarities, indices = _neighbours(vectors, min(NEIGHBOURS + 1, len(claims)))
    edges: dict[tuple[int, int], tuple[float, float]] = {}
    lowest = min(SAME_CLAIM_SIMILARITY, SAME_CLAIM_SIMILARITY_UNNAMED, SHARED_NUMBER_SIMILARITY)
    # only pairs close enough for the loosest rule are looked at in Python
    for row, column in zip(*np.nonzero(similarities >= lowest), strict=True):
        i, j, similarity = int(row), int(indices[row, column]), float(similarities[row, column])
        if j < 0 or j == i or claims[i].document_id == claims[j].document_id:
            continue
        pair = (min(i, j), max(i, j))  # a pair found from either side counts once
        if pair in edges:
            continue
        needed = required_similarity(claims[pair[0]], claims[pair[1]])
        if needed is not None and similarity >= needed:
            edges[pair] = (similarity, needed)
    # the most similar pairs first; ties broken by position, so the result does not depend on the search's order
    for (i, j), (_, needed) in sorted(edges.items(), key=lambda item: (-item[1][0], item[0])):
        clusters.try_join(i, j, needed)
    found = [
        _cluster(claims, vectors, members)
        for members in clusters.groups(singles=min_articles == 1)
        if len({claims[i].document_id for i in members}) >= min_articles
    ]
    found.sort(key=_cluster_order)
    return found


def _cluster_order(cluster: ClaimCluster) -> tuple[int, int, str, str]:
    """The most widely repeated first, then the earliest (a date from metadata before a guessed one), then id."""
    rank = 2 if cluster.first_seen is None else 1 if cluster.first_seen_inferred else 0
    return (-cluster.articles, rank, cluster.first_seen or "", cluster.id)


def claims_like(engine: Engine, text: str, *, limit: int = 20) -> list[ClaimMatch]:
    """Stored claims that say what `text` says, most similar first (similarity at least `LIKE_SIMILARITY`)."""
    from unspin.models import claim_encoder

    query = " ".join(text.split())
    if not query:
        raise BadOption("the claim to look for is empty")
    claims = list(_stored_claims(engine))
    if not claims or limit < 1:
        return []
    vectors = claim_vectors(engine, [claim.text for claim in claims])
    asked = claim_encoder.embed([query])[0]
    similarities = vectors @ asked
    order = sorted(range(len(claims)), key=lambda i: (-round(float(similarities[i]), 6), claims[i].appearance()))
    matches = [
        claims[i].variant(float(similarities[i]), ClaimMatch) for i in order if similarities[i] >= LIKE_SIMILARITY
    ]
    return [match for match in matches if isinstance(match, ClaimMatch)][:limit]


def cluster_rows(clusters: list[ClaimCluster]) -> Iterator[dict[str, Any]]:
    """One flat row per variant, for CSV."""
    for cluster in clusters:
        disagreeing = {d.document_id for d in cluster.discrepancies}
        for variant in cluster.variants:
            yield {
                "cluster": cluster.id,
                "articles": cluster.articles,
                "first_seen": cluster.first_seen or "",
                "first_seen_inferred": cluster.first_seen_inferred,
                "document_id": variant.document_id,
                "site": variant.site or "",
                "published": variant.published or "",
                "published_inferred": variant.published_inferred,
                "url": variant.url or "",
                "similarity": variant.similarity,
                "numbers": "; ".join(n.text for n in variant.numbers),
                "numbers_disagree": variant.document_id in disagreeing,
                "text": variant.text,
            }
