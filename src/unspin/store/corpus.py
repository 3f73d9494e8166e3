"""The corpus store: documents, their analyses, runs, failures, and one queryable table per finding kind.

The full analysis JSON is kept (the truth, re-renderable with `unspin render`); the finding tables hold the
main fields of each finding, for queries across thousands of articles. The schema is owned by Alembic
(`store/migrations/`), applied on open; `ged_records` stays with `store.records`.

One transaction per document (`save_analysis`): a process killed mid-run loses only documents in flight.
SQLite and PostgreSQL are both tested: text is clipped to its column's length and stripped of NUL characters
(PostgreSQL refuses both, SQLite would keep them), a document is upserted, and the migrations run under a
PostgreSQL advisory lock so that several workers opening a new store at once do not race to create it.
Timestamps are naive UTC on both engines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import socket
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from unspin.errors import BadOption, StoreBusy, UnspinError
from unspin.store import db

if TYPE_CHECKING:
    from unspin.analysis import Analysis, Document

log = logging.getLogger(__name__)
_migrating = threading.Lock()

MIGRATIONS = Path(__file__).parent / "migrations"
RUNNING = "running"
INTERRUPTED = "interrupted"
# The boot clock and the wall clock disagree by rounding (clock ticks, whole seconds of btime) and by NTP steps.
PID_START_SLACK_SECONDS = 5.0


class CorpusBase(DeclarativeBase):
    """Corpus tables: kept apart from `db.Base`, whose `create_all` must never create them (Alembic does)."""

    metadata = MetaData()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class DocumentRow(CorpusBase):
    __tablename__ = "corpus_documents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    site: Mapped[str | None] = mapped_column(String(300), nullable=True, index=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    author: Mapped[str | None] = mapped_column(String(500), nullable=True, index=True)
    published: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    words: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class RunRow(CorpusBase):
    __tablename__ = "corpus_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    finished: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    sources: Mapped[str] = mapped_column(Text, default="[]")
    provenance_key: Mapped[str] = mapped_column(String(64))
    options: Mapped[str] = mapped_column(Text, default="{}")
    workers: Mapped[int] = mapped_column(Integer, default=1)
    stored: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="running")
    # Who runs it: a run left "running" whose process is gone from this host was killed (see `run_state`).
    host: Mapped[str | None] = mapped_column(String(255), nullable=True)
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)


class AnalysisRow(CorpusBase):
    __tablename__ = "corpus_analyses"
    __table_args__ = (UniqueConstraint("document_id", "provenance_key", name="uq_analysis_document_provenance"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("corpus_documents.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("corpus_runs.id"), nullable=True)
    provenance_key: Mapped[str] = mapped_column(String(64), index=True)
    provenance: Mapped[str] = mapped_column(Text)
    analysis: Mapped[str] = mapped_column(Text)
    sentences: Mapped[int] = mapped_column(Integer, default=0)
    opinion_sentences: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class FailureRow(CorpusBase):
    __tablename__ = "corpus_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("corpus_runs.id"), nullable=True, index=True)
    source: Mapped[str] = mapped_column(Text, index=True)
    provenance_key: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class _Finding:
    """Columns every finding row shares: which analysis and document, and where in the text."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class TechniqueRow(_Finding, CorpusBase):
    __tablename__ = "corpus_techniques"

    analysis_id: Mapped[int] = mapped_column(ForeignKey("corpus_analyses.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(64), index=True)
    technique: Mapped[str] = mapped_column(String(100), index=True)
    score: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text, default="")


class SentenceRow(_Finding, CorpusBase):
    """One sentence of an analysis where subjectivity ran: opinion or reporting, with the opinion probability."""

    __tablename__ = "corpus_sentences"

    analysis_id: Mapped[int] = mapped_column(ForeignKey("corpus_analyses.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(64), index=True)
    label: Mapped[str] = mapped_column(String(10), index=True)
    score: Mapped[float] = mapped_column(Float)


class ClaimRow(_Finding, CorpusBase):
    __tablename__ = "corpus_claims"

    analysis_id: Mapped[int] = mapped_column(ForeignKey("corpus_analyses.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    checkworthiness: Mapped[float] = mapped_column(Float)
    selected: Mapped[bool] = mapped_column(Boolean, default=True)
    attributed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class QuoteRow(_Finding, CorpusBase):
    __tablename__ = "corpus_quotes"

    analysis_id: Mapped[int] = mapped_column(ForeignKey("corpus_analyses.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(String(300), nullable=True, index=True)
    verb: Mapped[str | None] = mapped_column(String(100), nullable=True)
    kind: Mapped[str] = mapped_column(String(20))


class SourceRow(CorpusBase):
    """A source an article cites (a person, agency, newspaper, document ...), once per analysis: how often it
    is mentioned, where first, and every mention's offsets (a JSON list of [start, end] pairs)."""

    __tablename__ = "corpus_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("corpus_analyses.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    offsets: Mapped[str] = mapped_column(Text, default="[]")


class PlaceRow(_Finding, CorpusBase):
    __tablename__ = "corpus_places"

    analysis_id: Mapped[int] = mapped_column(ForeignKey("corpus_analyses.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    country: Mapped[str | None] = mapped_column(String(8), nullable=True, index=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)


class EventRow(_Finding, CorpusBase):
    __tablename__ = "corpus_events"

    analysis_id: Mapped[int] = mapped_column(ForeignKey("corpus_analyses.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str | None] = mapped_column(String(300), nullable=True)
    action: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    target: Mapped[str | None] = mapped_column(String(300), nullable=True)
    date: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    place: Mapped[str | None] = mapped_column(String(300), nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    country: Mapped[str | None] = mapped_column(String(8), nullable=True)
    fatalities_low: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fatalities_high: Mapped[int | None] = mapped_column(Integer, nullable=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)


class ClaimVectorRow(CorpusBase):
    """A claim's sentence vector, cached for `unspin corpus claims`: keyed by a hash of the encoder and the
    claim's text, so that a claim seen again (in another article, or after `--force`) is not encoded again."""

    __tablename__ = "corpus_claim_vectors"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    encoder: Mapped[str] = mapped_column(String(100))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


FINDING_TABLES: dict[str, type[Any]] = {
    "techniques": TechniqueRow,
    "sentences": SentenceRow,
    "claims": ClaimRow,
    "quotes": QuoteRow,
    "sources": SourceRow,
    "places": PlaceRow,
    "events": EventRow,
}


def provenance_key(provenance: dict[str, Any]) -> str:
    """A short hash of what decides the findings (version, detector ids, models, options): two analyses with
    the same key are interchangeable, so a resumed run skips a document already stored under it."""
    canonical = json.dumps(provenance, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def open_store(url: str) -> Engine:
    """The engine of the store at `url`, its corpus schema brought up to date (Alembic `upgrade head`).

    A URL SQLAlchemy does not know is a BadOption, a store that is busy is StoreBusy, any other failure to open it
    one clear UnspinError: callers (CLI, web app) show one line, never a driver's traceback."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    from unspin.store.records import is_busy

    try:
        return _open_store(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise BadOption(f"--store {_shown(url)!r} is not a store URL SQLAlchemy knows ({exc})") from None
    except SQLAlchemyError as exc:
        if is_busy(exc):
            raise StoreBusy(f"store busy: another process is writing to it ({_shown(url)}); retry") from None
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise UnspinError(f"cannot open the store {_shown(url)}: {reason}") from None
    except OSError as exc:
        raise UnspinError(f"cannot open the store {_shown(url)}: {exc}") from None


def _shown(url: str) -> str:
    """The URL without its password."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _open_store(url: str) -> Engine:
    from alembic import command
    from alembic.config import Config

    engine = db.engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's `op` and `context` are module globals: one migration at a time in this process.
    with _migrating, engine.begin() as connection:
        # Another process opening the same new store waits for this one's schema, then finds it current.
        db.hold_schema_lock(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return engine


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def stored_documents(engine: Engine, key: str) -> set[str]:
    """Ids of the documents already analysed under provenance `key`."""
    with session(engine) as s:
        return set(s.scalars(select(AnalysisRow.document_id).where(AnalysisRow.provenance_key == key)))


def failed_sources(engine: Engine, key: str) -> set[str]:
    with session(engine) as s:
        return set(s.scalars(select(FailureRow.source).where(FailureRow.provenance_key == key)))


def start_run(engine: Engine, sources: Iterable[str], key: str, options: dict[str, str], workers: int) -> int:
    """A new run, "running", recorded with this host and process id (the process that will finish it)."""
    with session(engine) as s, s.begin():
        run = RunRow(
            sources=json.dumps(list(sources)),
            provenance_key=key,
            options=json.dumps(options),
            workers=workers,
            status=RUNNING,
            host=_clip_value(RunRow.host, socket.gethostname()),
            pid=os.getpid(),
        )
        s.add(run)
        s.flush()
        return run.id


def finish_run(engine: Engine, run_id: int, stored: int, skipped: int, failed: int, status: str) -> None:
    with session(engine) as s, s.begin():
        run = s.get(RunRow, run_id)
        if run is not None:
            run.finished, run.stored, run.skipped, run.failed, run.status = now(), stored, skipped, failed, status


def record_failure(engine: Engine, run_id: int | None, source: str, key: str, reason: str) -> None:
    """Record why `source` failed under `key`, replacing what an earlier run recorded for it."""
    source = _clip_value(FailureRow.source, source)  # a JSON Lines id may hold a NUL
    with session(engine) as s, s.begin():
        s.execute(delete(FailureRow).where(FailureRow.source == source, FailureRow.provenance_key == key))
        s.add(_clipped(FailureRow(run_id=run_id, source=source, provenance_key=key, reason=reason)))


def save_analysis(engine: Engine, analysis: Analysis, key: str, source: str, run_id: int | None) -> int:
    """Store one analysis and its findings in one transaction, replacing any under the same key (--force);
    a failure recorded earlier for the same source is cleared. Returns the analysis row id."""
    if analysis.document.id is None:
        raise ValueError("an analysis to store needs document.id")
    try:
        return _save_analysis(engine, analysis, key, source, run_id)
    except IntegrityError:
        # Another writer (a second run on a shared store) stored the same document and key between our read
        # and our insert: our transaction is rolled back whole; once more replaces theirs, as --force would.
        log.info("store: %s was stored concurrently; replacing it", analysis.document.id)
        return _save_analysis(engine, analysis, key, source, run_id)


def _save_analysis(engine: Engine, analysis: Analysis, key: str, source: str, run_id: int | None) -> int:
    document = analysis.document
    assert document.id is not None
    with session(engine) as s, s.begin():
        _upsert_document(s, document, source)
        previous = s.scalar(
            select(AnalysisRow.id).where(AnalysisRow.document_id == document.id, AnalysisRow.provenance_key == key)
        )
        if previous is not None:
            _delete_analysis(s, previous)
        provenance = analysis.provenance.model_dump() if analysis.provenance else {}
        stored = AnalysisRow(
            document_id=document.id,
            run_id=run_id,
            provenance_key=key,
            provenance=json.dumps(provenance, sort_keys=True),
            analysis=analysis.to_json(indent=None),  # JSON escapes NUL as \u0000: no clipping needed
            sentences=len(analysis.sentences),
            opinion_sentences=sum(1 for sentence in analysis.sentences if sentence.subjective),
        )
        s.add(stored)
        s.flush()
        s.add_all(_clipped(row) for row in _finding_rows(analysis, stored.id, document.id))
        cleared = _clip_value(FailureRow.source, source)
        s.execute(delete(FailureRow).where(FailureRow.source == cleared, FailureRow.provenance_key == key))
        return stored.id


def _upsert_document(s: Session, document: Document, source: str) -> None:
    """Insert the document's row, or update it in place: an INSERT ... ON CONFLICT on SQLite and PostgreSQL, so
    two writers storing the same document at once do not collide on its id; a read-then-write elsewhere."""
    values = {
        "source": source,
        "url": document.url,
        "site": document.site,
        "title": document.title,
        "author": document.author,
        "published": document.published,
        "language": document.language,
        "words": len(document.text.split()),
    }
    values = {name: _clip_value(getattr(DocumentRow, name), value) for name, value in values.items()}
    dialect = s.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        lite = sqlite.insert(DocumentRow).values(id=document.id, created=now(), **values)
        s.execute(lite.on_conflict_do_update(index_elements=[DocumentRow.id], set_=values))
        return
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        pg = postgresql.insert(DocumentRow).values(id=document.id, created=now(), **values)
        s.execute(pg.on_conflict_do_update(index_elements=[DocumentRow.id], set_=values))
        return
    row = s.get(DocumentRow, document.id)
    if row is None:
        s.add(DocumentRow(id=document.id, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def _clip_value(column: Any, value: Any) -> Any:
    """`value` fit for `column` on every engine: NUL characters removed (PostgreSQL refuses them in text) and
    cut to the column's declared length (PostgreSQL refuses longer text; a name that long is not a name)."""
    if not isinstance(value, str):
        return value
    value = value.replace("\x00", "")
    length = getattr(column.type, "length", None)
    return value[:length] if length else value


def _clipped(row: CorpusBase) -> CorpusBase:
    for column in row.__table__.columns:
        value = getattr(row, column.key, None)
        if isinstance(value, str):
            setattr(row, column.key, _clip_value(column, value))
    return row


def _delete_analysis(s: Session, analysis_id: int) -> None:
    for table in FINDING_TABLES.values():
        s.execute(delete(table).where(table.analysis_id == analysis_id))
    s.execute(delete(AnalysisRow).where(AnalysisRow.id == analysis_id))


def _finding_rows(analysis: Analysis, analysis_id: int, document_id: str) -> list[CorpusBase]:
    ids = {"analysis_id": analysis_id, "document_id": document_id}
    rows: list[CorpusBase] = []
    rows += [
        TechniqueRow(**ids, start=t.start, end=t.end, technique=t.technique, score=t.score, text=t.text)
        for t in analysis.techniques
    ]
    rows += [
        SentenceRow(
            **ids,
            start=sentence.start,
            end=sentence.end,
            label="opinion" if sentence.subjective else "reporting",
            score=sentence.subjectivity,
        )
        for sentence in analysis.sentences
    ]
    rows += [
        ClaimRow(
            **ids,
            start=c.start,
            end=c.end,
            text=c.text,
            checkworthiness=c.checkworthiness,
            selected=c.selected,
            attributed=c.attributed,
        )
        for c in analysis.claims
    ]
    rows += [
        QuoteRow(**ids, start=q.start, end=q.end, text=q.text, speaker=q.speaker, verb=q.verb, kind=q.kind)
        for q in analysis.quotes
    ]
    rows += [
        SourceRow(
            **ids,
            name=source.name,
            kind=source.kind,
            mentions=len(source.mentions),
            start=source.mentions[0][0] if source.mentions else None,
            end=source.mentions[0][1] if source.mentions else None,
            offsets=json.dumps([list(mention) for mention in source.mentions]),
        )
        for source in analysis.sources
    ]
    rows += [
        PlaceRow(
            **ids,
            start=p.start,
            end=p.end,
            name=p.name,
            lat=p.lat,
            lon=p.lon,
            country=p.country,
            confidence=p.confidence,
        )
        for p in analysis.places
    ]
    rows += [
        EventRow(
            **ids,
            start=e.start,
            end=e.end,
            text=e.text,
            actor=e.actor,
            action=e.action,
            target=e.target,
            date=e.date,
            place=e.place,
            lat=e.lat,
            lon=e.lon,
            country=e.country,
            fatalities_low=e.fatalities.low if e.fatalities else None,
            fatalities_high=e.fatalities.high if e.fatalities else None,
            confidence=e.confidence,
        )
        for e in analysis.events
    ]
    return rows


def run_state(run: RunRow) -> str:
    """The run's status as recorded, except that a "running" run whose process is gone from this host (killed
    with SIGKILL, the machine's power cut: nothing could record its end) is "interrupted". A run on another
    host cannot be checked from here and keeps its recorded status."""
    if run.status != RUNNING or run.pid is None or run.host != _clip_value(RunRow.host, socket.gethostname()):
        return run.status
    return run.status if _process_alive(run.pid, run.started) else INTERRUPTED


def _process_alive(pid: int, since: dt.datetime | None) -> bool:
    """Whether the process `pid` of this host that started a run at `since` (naive UTC) still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, another user's
        return True
    try:  # Linux: a zombie (killed, not reaped yet) is gone; a process started after the run reuses its pid.
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace").rsplit(")", 1)[1].split()
        boot = next(
            int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime ")
        )
        started = boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError, StopIteration):
        return True
    if fields[0] == "Z":
        return False
    if since is not None:
        run_started = since.replace(tzinfo=dt.UTC).timestamp()
        return started <= run_started + PID_START_SLACK_SECONDS
    return True


def status(engine: Engine, runs: int = 10) -> dict[str, Any]:
    """Counts of the store (documents, analyses, failures, findings by kind) and the latest runs."""
    with session(engine) as s:
        counts: dict[str, Any] = {
            "documents": s.scalar(select(func.count()).select_from(DocumentRow)) or 0,
            "analyses": s.scalar(select(func.count()).select_from(AnalysisRow)) or 0,
            "failures": s.scalar(select(func.count(func.distinct(FailureRow.source)))) or 0,
            "findings": {
                name: s.scalar(select(func.count()).select_from(table)) or 0 for name, table in FINDING_TABLES.items()
            },
        }
        latest = s.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(runs))
        counts["runs"] = [
            {
                "id": run.id,
                "started": run.started.isoformat(timespec="seconds") if run.started else None,
                "finished": run.finished.isoformat(timespec="seconds") if run.finished else None,
                "status": run_state(run),
                "host": run.host,
                "pid": run.pid,
                "stored": run.stored,
                "skipped": run.skipped,
                "failed": run.failed,
                "workers": run.workers,
                "sources": json.loads(run.sources),
                "provenance_key": run.provenance_key,
            }
            for run in latest
        ]
        recent = s.scalars(select(FailureRow).order_by(FailureRow.id.desc()).limit(runs))
        counts["recent_failures"] = [{"source": f.source, "reason": f.reason, "run": f.run_id} for f in recent]
    return counts
