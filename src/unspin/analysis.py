"""The one data model every output renders: an `Analysis` of one `Document`.

Every finding carries `start`/`end`: Python `str` offsets into `Analysis.document.text`, end exclusive.
The JSON field names follow the contract in DESIGN.md; new fields may be added, none renamed.
Version 2 adds what identifies an analysis (`document.id`, `analysed_at`, `provenance`), what was not
analysed (`skipped`), how the text was extracted (`extraction`), confidences on places and events and the
default cut of claims (`selected`); every field of version 1 keeps its meaning.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA = "unspin.analysis/2"


SourceKind = Literal["text", "html", "url", "stdin", "string"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Document(Model):
    """The normalised article text (offsets index `text`) and what ingest learnt about it."""

    text: str
    id: str | None = Field(
        default=None,
        description="Stable content id: SHA-256 (first 32 hex digits) of the normalised text and the source URL "
        "or file name; the same input gives the same id on any machine",
    )
    title: str | None = None
    url: str | None = None
    site: str | None = None
    author: str | None = Field(default=None, description="The authors, joined by ', '")
    authors: list[str] = Field(default_factory=list, description="The people who wrote it, each a plain name")
    published: str | None = Field(default=None, description="ISO date (YYYY-MM-DD) of publication")
    published_source: Literal["metadata", "option", "inferred"] | None = None
    language: str | None = Field(default=None, description="ISO 639-1 code, best guess")
    source: str | None = Field(default=None, description="Path, URL or '-' the text came from")
    source_kind: SourceKind = "string"
    encoding: str | None = None


class Span(Model):
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class TechniqueReliability(Model):
    """How often the model's spans of one technique were right, measured by cross-validation (model card)."""

    precision: float = Field(ge=0.0, le=1.0, description="Share of predicted span length that annotators marked")
    recall: float = Field(ge=0.0, le=1.0, description="Share of annotated span length the model found")
    f1: float = Field(ge=0.0, le=1.0)


class TechniqueSpan(Span):
    technique: str = Field(description="PTC technique label, e.g. Loaded_Language")
    score: float = Field(ge=0.0, le=1.0)
    text: str = ""
    evidence: list[tuple[int, int]] = Field(
        default_factory=list, description="Other spans supporting this one (e.g. earlier occurrences of a repetition)"
    )
    reliability: TechniqueReliability | None = Field(
        default=None, description="The technique's cross-validated precision and recall: how far to trust the label"
    )


class Sentence(Span):
    subjective: bool
    subjectivity: float = Field(ge=0.0, le=1.0, description="Probability that the sentence is opinion")


class Quantity(Span):
    """A number, amount, percentage or date in a claim, normalised."""

    text: str
    kind: Literal["number", "money", "percent", "date", "quantity", "ordinal"]
    value: float | None = None
    low: float | None = Field(default=None, description="Lower bound, for vague amounts ('over 100' -> 100)")
    high: float | None = Field(default=None, description="Upper bound, None when open")
    unit: str | None = Field(default=None, description="Currency code or unit, e.g. USD, %, km")
    comparator: Literal["=", ">=", "<=", "~"] = "="
    date: str | None = Field(default=None, description="For kind 'date': ISO date, year-month or year (e.g. 2024-03)")


class Entity(Span):
    text: str
    label: str


class Claim(Span):
    text: str
    checkworthiness: float = Field(ge=0.0, le=1.0)
    selected: bool = Field(default=True, description="In the default cut of claims worth checking")
    quantities: list[Quantity] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    attributed: bool | None = Field(default=None, description="False when it asserts a fact citing no source")


class Quote(Span):
    text: str
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    verb: str | None = None
    verb_start: int | None = None
    verb_end: int | None = None
    kind: Literal["direct", "reported", "block", "title"] = Field(
        default="direct",
        description="'title': words in quotation marks that name a work, a show or a campaign, not a quotation "
        "(no speaker)",
    )
    speaker_confidence: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="How sure the speaker is: 1 named at the verb; lower when resolved from 'he', 'the minister' "
        "or carried from an earlier quote",
    )
    group: int | None = Field(
        default=None,
        description="Quotes sharing a group are parts of one quotation (split by 'he said', or over paragraphs)",
    )
    closed: bool = Field(
        default=True, description="False when the closing quote mark is missing (span capped at the paragraph end)"
    )


class Source(Model):
    name: str
    kind: Literal[
        "agency", "newspaper", "broadcaster", "government", "official", "organisation", "document", "person", "other"
    ]
    mentions: list[tuple[int, int]] = Field(default_factory=list)


class Attribution(Span):
    """An attribution verb or hedge ('claimed', 'admitted', 'reportedly') and what it signals."""

    text: str
    kind: Literal["verb", "hedge"]
    stance: Literal["neutral", "doubt", "concession", "emphasis"] = "neutral"


class Place(Span):
    name: str
    lat: float
    lon: float
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 country code")
    geonameid: int | None = None
    feature: str | None = Field(default=None, description="city, country, admin, region ...")
    confidence: float | None = Field(
        default=None, ge=0.0, le=1.0, description="How sure the place is right (None: not assessed)"
    )


class DateMention(Span):
    text: str
    value: str | None = Field(default=None, description="ISO date of the start of the expressed period")
    end_value: str | None = Field(default=None, description="ISO date of the end of the period (inclusive)")
    precision: Literal["day", "month", "year", "range"] = "day"
    inferred: bool = Field(default=False, description="True when resolved against an inferred publication date")


class Fatalities(Span):
    text: str
    low: int | None = None
    high: int | None = None
    exact: bool = False


class DeathsComparison(Model):
    claimed_low: int | None = None
    claimed_high: int | None = None
    recorded_low: int | None = None
    recorded_best: int | None = None
    recorded_high: int | None = None
    agrees: bool | None = None


class RecordMatch(Model):
    id: str
    score: float
    days_apart: int | None = None
    distance_km: float | None = None
    date_agrees: bool | None = None
    place_agrees: bool | None = None
    actors_agree: bool | None = None
    deaths: DeathsComparison = Field(default_factory=DeathsComparison)
    discrepancies: list[str] = Field(default_factory=list)
    record: dict[str, str] = Field(default_factory=dict, description="The record's main fields, as read")


class Event(Span):
    text: str = ""
    actor: str | None = None
    action: Literal[
        "attack",
        "air_strike",
        "shelling",
        "siege",
        "capture",
        "kill",
        "withdraw",
        "aid",
        "negotiate",
        "protest",
        "other",
    ] = "other"
    target: str | None = None
    date: str | None = None
    date_end: str | None = None
    date_precision: Literal["day", "month", "year", "range"] | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    fatalities: Fatalities | None = None
    matches: list[RecordMatch] = Field(default_factory=list)
    trigger: Span | None = Field(default=None, description="The words that report the action")
    actor_span: Span | None = None
    target_span: Span | None = None
    place_span: Span | None = Field(default=None, description="The place mention (may lie in an earlier sentence)")
    date_span: Span | None = None
    confidence: float | None = Field(
        default=None, ge=0.0, le=1.0, description="How sure the event is a real report of violence (None: not assessed)"
    )


class DetectorRun(Model):
    name: str
    id: str = Field(description="Versioned detector id, e.g. unspin.techniques.v1")
    seconds: float


class Skipped(Model):
    """A detector that did not run on this document: its findings are "not analysed", never "none found"."""

    detector: str
    reason: str


class Extraction(Model):
    """How the article text was taken from its page (HTML and URLs; absent for plain text)."""

    method: str = Field(description="Extractor that produced the text, e.g. trafilatura")
    coverage: float | None = Field(
        default=None, ge=0.0, description="Words kept, as a share of the page's visible words"
    )
    confidence: float = Field(ge=0.0, le=1.0, description="How sure the text is the whole article and nothing else")
    doubts: list[str] = Field(default_factory=list, description="Why the extraction may be incomplete or wrong")
    page_kind: str = Field(default="article", description="article, or what else the page looks like")


class Provenance(Model):
    """What produced the analysis, so that two runs can be compared and stored ones reused."""

    unspin_version: str
    detectors: dict[str, str] = Field(default_factory=dict, description="Detector name -> versioned id")
    models: dict[str, str] = Field(default_factory=dict, description="Model name -> model id or version")
    options: dict[str, str] = Field(default_factory=dict, description="The options that change findings")


class Analysis(Model):
    schema_: str = Field(default=SCHEMA, alias="schema")
    unspin_version: str = ""
    analysed_at: str | None = Field(default=None, description="When the analysis was made, ISO 8601 UTC")
    provenance: Provenance | None = None
    document: Document
    extraction: Extraction | None = None
    techniques: list[TechniqueSpan] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    detectors: list[DetectorRun] = Field(default_factory=list)
    skipped: list[Skipped] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)

    @classmethod
    def from_json(cls, data: str | bytes) -> Analysis:
        return cls.model_validate_json(data)


def json_schema() -> dict[str, object]:
    """The JSON Schema of the analysis, as shipped in `schema/analysis.schema.json`."""
    return Analysis.model_json_schema(by_alias=True, mode="serialization")


def document_id(text: str, origin: str | None = None) -> str:
    """A stable id for a document: SHA-256 over the normalised text and its origin (URL or file name), first 32
    hex digits. The same input gives the same id on every machine and run; any change of text changes it."""
    import hashlib

    digest = hashlib.sha256()
    digest.update(text.encode("utf-8"))
    digest.update(b"\x00")
    digest.update((origin or "").encode("utf-8"))
    return digest.hexdigest()[:32]
