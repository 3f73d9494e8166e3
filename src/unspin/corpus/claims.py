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
their mean vectors are close too and their entities still agree, so that a chain of near neighbours cannot walk
from one claim to another. Precision first: two clusters of one claim cost less than one cluster of two claims.

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
SAME_CLAIM_SIMILARITY_UNNAMED = 0.88
# Two clusters join only when their mean vectors are this close (guards against chaining).
CLUSTER_LINK_SIMILARITY = 0.78
# `claims_like` reports matches down to this similarity.
LIKE_SIMILARITY = 0.55
NEIGHBOURS = 24
EXACT_SEARCH_LIMIT = 20_000
_VECTOR_QUERY_CHUNK = 500

# spaCy labels that name an actor or a thing, and those that name a place.
_ACTOR_LABELS = {"PERSON", "ORG", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_NUMBER_KINDS = {"number", "money", "percent", "quantity"}
_NAME_NOISE = re.compile(r"[^\w\s]")
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+")


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
    """An appearance whose numbers disagree with those of the claim's first appearance."""

    document_id: str
    site: str | None = None
    published: str | None = None
    url: str | None = None
    text: str
    numbers: list[ClaimNumber]
    first_document_id: str
    first_numbers: list[ClaimNumber]


class ClaimCluster(BaseModel):
    """One claim and every article that makes it."""

    id: str = Field(description="Stable: a hash of the first appearance (document id and offsets)")
    text: str = Field(description="The representative wording: the variant closest to all the others")
    first_seen: str | None = Field(description="Earliest publication date; None when no variant has one")
    first_document_id: str = Field(description="The first appearance: earliest published, else first stored")
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

    def variant(self, similarity: float, kind: type[ClaimVariant] = ClaimVariant) -> ClaimVariant:
        return kind(
            document_id=self.document_id, site=self.site, published=self.published, url=self.url, title=self.title,
            text=self.text, start=self.start, end=self.end, numbers=self.numbers, similarity=round(similarity, 4),
        )

    def appearance(self) -> tuple[str, int, str, int]:
        """Sort key of appearance: dated before undated, then date, then storage order, then place in the text."""
        return (self.published or "9999-99-99", self.order, self.document_id, self.start)


# ---------------------------------------------------------------------------------------------- reading the store


def _normal_name(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    folded = folded.replace("'s ", " ").removesuffix("'s")
    folded = _NAME_NOISE.sub(" ", folded)
    return _LEADING_ARTICLE.sub("", " ".join(folded.split()))


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
                    text=quantity.get("text", ""), kind=kind, value=quantity.get("value"), low=quantity.get("low"),
                    high=quantity.get("high"), unit=quantity.get("unit"), comparator=quantity.get("comparator", "="),
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
            for claim in analysis.get("claims", []):
                if not claim.get("selected", True):
                    continue
                numbers, dates = _claim_numbers(claim.get("quantities", []))
                entities = claim.get("entities", [])
                yield _Claim(
                    document_id=document.id, site=document.site, published=document.published, url=document.url,
                    title=document.title, text=" ".join(claim["text"].split()), start=claim["start"], end=claim["end"],
                    order=analysis_id, numbers=numbers, dates=dates,
                    actors={_normal_name(e["text"]) for e in entities if e.get("label") in _ACTOR_LABELS} - {""},
                    places={_normal_name(e["text"]) for e in entities if e.get("label") in _PLACE_LABELS} - {""},
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
            for key, blob in s.execute(select(ClaimVectorRow.key, ClaimVectorRow.vector).where(ClaimVectorRow.key.in_(chunk))):
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
    """True when one name of each set is the same name: equal, one's words a run inside the other's ("trump" in
    "donald trump"), or one the initials of the other ("nasa")."""
    for a in first:
        for b in second:
            if a == b:
                return True
            short, long = (a, b) if len(a) <= len(b) else (b, a)
            if f" {short} " in f" {long} ":
                return True
            if " " not in short and len(short) >= 2 and "".join(w[0] for w in long.split()) == short:
                return True
    return False


def _dates_agree(first: list[str], second: list[str]) -> bool:
    if not first or not second:
        return True
    return any(a.startswith(b) or b.startswith(a) for a in first for b in second)


def required_similarity(a: _Claim, b: _Claim) -> float | None:
    """The similarity two claims need to be taken for one, or None when their names or dates rule it out."""
    if a.actors and b.actors and not _names_agree(a.actors, b.actors):
        return None
    if a.places and b.places and not _names_agree(a.places, b.places):
        return None
    if not _dates_agree(a.dates, b.dates):
        return None
    named_both = (a.actors or a.places) and (b.actors or b.places)
    return SAME_CLAIM_SIMILARITY if named_both else SAME_CLAIM_SIMILARITY_UNNAMED


def _neighbours(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each vector's `k` nearest (inner product = cosine on unit vectors): exact below EXACT_SEARCH_LIMIT."""
    import faiss

    dim = vectors.shape[1]
    if len(vectors) <= EXACT_SEARCH_LIMIT:
        index: Any = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 64
    index.add(vectors)
    similarities, indices = index.search(vectors, k)
    return similarities, indices


class _Clusters:
    """Union-find over claims, keeping each cluster's vector sum and names so that a join can be refused."""

    def __init__(self, claims: list[_Claim], vectors: np.ndarray) -> None:
        self.parent = list(range(len(claims)))
        self.sums = {i: vectors[i].astype(np.float64) for i in range(len(claims))}
        self.members = {i: [i] for i in range(len(claims))}
        self.claims = claims

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def try_join(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        mean_a, mean_b = self.sums[a] / len(self.members[a]), self.sums[b] / len(self.members[b])
        cosine = float(mean_a @ mean_b / max(np.linalg.norm(mean_a) * np.linalg.norm(mean_b), 1e-12))
        if cosine < CLUSTER_LINK_SIMILARITY:
            return
        # every pair across the two must still agree on names and dates (numbers may differ)
        if len(self.members[a]) * len(self.members[b]) <= 400 and any(
            required_similarity(self.claims[x], self.claims[y]) is None
            for x in self.members[a]
            for y in self.members[b]
        ):
            return
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.sums[a] = self.sums[a] + self.sums.pop(b)
        self.members[a].extend(self.members.pop(b))

    def groups(self) -> list[list[int]]:
        return [sorted(members) for members in self.members.values()]


def _number_key(numbers: list[ClaimNumber]) -> list[tuple[Any, ...]]:
    return sorted((n.kind, n.unit, n.value, n.low, n.high, n.comparator) for n in numbers)


def _cluster(claims: list[_Claim], vectors: np.ndarray, members: list[int], cluster_vectors: np.ndarray) -> ClaimCluster:
    ordered = sorted(members, key=lambda i: claims[i].appearance())
    block = cluster_vectors
    centrality = (block @ block.T).mean(axis=1)
    position = {index: row for row, index in enumerate(members)}
    representative = max(ordered, key=lambda i: (round(float(centrality[position[i]]), 6), -ordered.index(i)))
    rep_vector = vectors[representative]
    first = claims[ordered[0]]
    variants = [claims[i].variant(float(vectors[i] @ rep_vector)) for i in ordered]
    discrepancies = [
        ClaimDiscrepancy(
            document_id=claims[i].document_id, site=claims[i].site, published=claims[i].published, url=claims[i].url,
            text=claims[i].text, numbers=claims[i].numbers, first_document_id=first.document_id,
            first_numbers=first.numbers,
        )
        for i in ordered[1:]
        if claims[i].numbers and first.numbers and _number_key(claims[i].numbers) != _number_key(first.numbers)
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
        first_seen=dates[0] if dates else None,
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
        raise ValueError("min_articles must be at least 1")
    claims = list(_stored_claims(engine))
    if not claims:
        return []
    vectors = claim_vectors(engine, [claim.text for claim in claims])
    clusters = _Clusters(claims, vectors)
    k = min(NEIGHBOURS, len(claims))
    similarities, indices = _neighbours(vectors, k)
    edges: list[tuple[float, int, int]] = []
    for i in range(len(claims)):
        for similarity, j in zip(similarities[i], indices[i], strict=True):
            j = int(j)
            if j <= i or j < 0 or claims[i].document_id == claims[j].document_id:
                continue
            needed = required_similarity(claims[i], claims[j])
            if needed is not None and similarity >= needed:
                edges.append((float(similarity), i, j))
    # ties broken by position so that the result does not depend on the search's order
    for _, i, j in sorted(edges, key=lambda edge: (-edge[0], edge[1], edge[2])):
        clusters.try_join(i, j)
    found = []
    for members in clusters.groups():
        if len({claims[i].document_id for i in members}) < min_articles:
            continue
        found.append(_cluster(claims, vectors, members, vectors[members]))
    found.sort(key=lambda c: (-c.articles, c.first_seen or "9999-99-99", c.id))
    return found[:limit] if limit is not None else found


def claims_like(engine: Engine, text: str, *, limit: int = 20) -> list[ClaimMatch]:
    """Stored claims that say what `text` says, most similar first (similarity at least `LIKE_SIMILARITY`)."""
    from unspin.models import claim_encoder

    query = " ".join(text.split())
    if not query:
        raise ValueError("the claim to look for is empty")
    claims = list(_stored_claims(engine))
    if not claims or limit < 1:
        return []
    vectors = claim_vectors(engine, [claim.text for claim in claims])
    asked = claim_encoder.embed([query])[0]
    similarities = vectors @ asked
    order = sorted(range(len(claims)), key=lambda i: (-round(float(similarities[i]), 6), claims[i].appearance()))
    matches = [claims[i].variant(float(similarities[i]), ClaimMatch) for i in order if similarities[i] >= LIKE_SIMILARITY]
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
                "document_id": variant.document_id,
                "site": variant.site or "",
                "published": variant.published or "",
                "url": variant.url or "",
                "similarity": variant.similarity,
                "numbers": "; ".join(n.text for n in variant.numbers),
                "numbers_disagree": variant.document_id in disagreeing,
                "text": variant.text,
            }
