"""The corpus store on SQLite and on a real PostgreSQL server: Alembic owns its schema (the migrations match
the models, and fill the tables they add from analyses stored before), documents are stored once per
provenance, every finding kind has its rows, text PostgreSQL would refuse is made fit, a killed run shows as
interrupted, and ged_records still works beside the corpus tables."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from typer.testing import CliRunner

from unspin.analysis import (
    Analysis,
    Claim,
    Document,
    Provenance,
    Quote,
    Sentence,
    Source,
    TechniqueSpan,
    document_id,
)
from unspin.cli import app
from unspin.store import corpus as store
from unspin.store import db, records
from unspin.store.corpus import RunRow

ROOT = Path(__file__).resolve().parents[2]
TEXT = (
    "The minister called the protesters a mob of thugs on Monday.\n\n"
    '"We will not be bullied," she said, adding that 40 people were arrested, according to Reuters.'
)


def analysis(score: float = 0.8, title: str = "Minister", speaker: str = "she") -> Analysis:
    start = TEXT.index("a mob of thugs")
    quote_start = TEXT.index('"We')
    reuters = TEXT.index("Reuters")
    return Analysis(
        document=Document(text=TEXT, id=document_id(TEXT, "minister.txt"), title=title, site="Example"),
        provenance=Provenance(unspin_version="0.1.0", detectors={"techniques": "unspin.techniques.v2"}),
        techniques=[TechniqueSpan(technique="Name_Calling,Labeling", start=start, end=start + 14, score=score)],
        sentences=[
            Sentence(start=0, end=61, subjective=True, subjectivity=0.9),
            Sentence(start=63, end=len(TEXT), subjective=False, subjectivity=0.2),
        ],
        claims=[Claim(start=63, end=len(TEXT), text=TEXT[63:], checkworthiness=0.7)],
        quotes=[Quote(start=quote_start, end=quote_start + 26, text="We will not be bullied,", speaker=speaker)],
        sources=[
            Source(name="Reuters", kind="agency", mentions=[(reuters, reuters + 7)]),
            Source(name="the minister", kind="official", mentions=[(4, 12), (63, 66)]),
        ],
    )


def migrate(url: str, revision: str) -> None:
    """Bring the store at `url` to `revision` (what `open_store` does for "head")."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(store.MIGRATIONS))
    with db.engine(url).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_store_migration_creates_what_the_models_declare(store_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = store.open_store(store_url)
    store.open_store(store_url)  # a second open finds the schema current
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": "alembic_version_unspin"})
        differences = compare_metadata(context, store.CorpusBase.metadata)
    # ged_records belongs to the other metadata (store.records), so it is reported as "not in these models".
    assert [d for d in differences if "ged_records" not in str(d)] == []
    tables = set(inspect(engine).get_table_names())
    assert {"ged_records", "corpus_sentences", "corpus_sources"} <= tables
    assert engine.dialect.name == store_url.split(":")[0].split("+")[0]
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_store_migration_fills_sentences_and_sources_from_analyses_stored_before(store_url: str) -> None:
    migrate(store_url, "0001_corpus")
    engine = db.engine(store_url)
    stored = analysis()
    with engine.begin() as connection:  # what a store written before revision 0002 holds
        connection.execute(
            store.DocumentRow.__table__.insert(),
            [
                {
                    "id": stored.document.id,
                    "source": "minister.txt",
                    "words": 30,
                    "created": store.now(),
                }
            ],
        )
        connection.execute(
            store.AnalysisRow.__table__.insert(),
            [
                {
                    "document_id": stored.document.id,
                    "provenance_key": "k",
                    "provenance": "{}",
                    "analysis": stored.to_json(indent=None),
                    "sentences": 2,
                    "opinion_sentences": 1,
                    "created": store.now(),
                }
            ],
        )
    store.open_store(store_url)
    with store.session(engine) as s:
        sentences = s.execute(
            select(store.SentenceRow.start, store.SentenceRow.label, store.SentenceRow.score).order_by(
                store.SentenceRow.start
            )
        ).all()
        assert [tuple(row) for row in sentences] == [(0, "opinion", 0.9), (63, "reporting", 0.2)]
        sources = {row.name: row for row in s.scalars(select(store.SourceRow))}
    assert sources["Reuters"].kind == "agency" and sources["Reuters"].mentions == 1
    assert sources["Reuters"].start == TEXT.index("Reuters")
    assert sources["the minister"].mentions == 2 and json.loads(sources["the minister"].offsets) == [[4, 12], [63, 66]]


def test_store_keeps_one_analysis_per_document_and_provenance(store_url: str) -> None:
    engine = store.open_store(store_url)
    key = store.provenance_key({"detectors": {"techniques": "unspin.techniques.v2"}})
    other = store.provenance_key({"detectors": {"techniques": "unspin.techniques.v3"}})
    assert key != other
    store.record_failure(engine, None, "minister.txt", key, "was busy")
    store.save_analysis(engine, analysis(0.8), key, "minister.txt", None)
    store.save_analysis(engine, analysis(0.6, title="Minister (updated)"), key, "minister.txt", None)  # --force
    store.save_analysis(engine, analysis(0.7), other, "minister.txt", None)
    with store.session(engine) as s:
        assert s.scalar(select(func.count()).select_from(store.DocumentRow)) == 1
        assert s.scalar(select(func.count()).select_from(store.AnalysisRow)) == 2
        scores = sorted(s.scalars(select(store.TechniqueRow.score)))
        assert scores == [0.6, 0.7]
        row = s.scalars(select(store.AnalysisRow).where(store.AnalysisRow.provenance_key == key)).one()
        assert (row.sentences, row.opinion_sentences) == (2, 1)
        assert Analysis.from_json(row.analysis).techniques[0].score == 0.6
        quote = s.scalars(select(store.QuoteRow)).first()
        assert quote is not None and quote.speaker == "she"
        labels = s.execute(
            select(store.SentenceRow.label, func.count())
            .group_by(store.SentenceRow.label)
            .order_by(store.SentenceRow.label)
        ).all()
        assert [tuple(label) for label in labels] == [("opinion", 2), ("reporting", 2)]
        agencies = s.scalars(select(store.SourceRow.name).where(store.SourceRow.kind == "agency")).all()
        assert agencies == ["Reuters", "Reuters"]
        document = s.scalars(select(store.DocumentRow)).one()
        assert (document.title, document.site, document.words) == ("Minister", "Example", len(TEXT.split()))
    assert store.stored_documents(engine, key) == {analysis().document.id}
    assert store.failed_sources(engine, key) == set()  # stored after all: the failure is cleared
    status = store.status(engine)
    assert (status["documents"], status["analyses"], status["failures"]) == (1, 2, 0)
    assert status["findings"] == {
        "techniques": 2,
        "sentences": 4,
        "claims": 2,
        "quotes": 2,
        "sources": 4,
        "places": 0,
        "events": 0,
    }


def test_store_makes_text_fit_what_postgresql_accepts(store_url: str) -> None:
    """A NUL character (from a badly converted page) and a run-on "speaker" longer than its column: PostgreSQL
    would refuse the whole document; both engines store it, cleaned, and the full JSON keeps the original."""
    engine = store.open_store(store_url)
    speaker = "a spokesperson for the regional office of the ministry " * 10
    source = "feed.jsonl#minister\x00speaks"  # a JSON Lines record's own id
    store.record_failure(engine, None, source, "k", "cut short: \x00")
    assert store.status(engine)["recent_failures"][0]["source"] == "feed.jsonl#ministerspeaks"
    store.save_analysis(engine, analysis(title="Minister\x00 speaks", speaker=speaker), "k", source, None)
    assert store.status(engine)["failures"] == 0  # stored after all: the failure is cleared
    with store.session(engine) as s:
        assert s.scalars(select(store.DocumentRow.title)).one() == "Minister speaks"
        assert s.scalars(select(store.QuoteRow.speaker)).one() == speaker[:300]
        kept = Analysis.from_json(s.scalars(select(store.AnalysisRow.analysis)).one())
    assert kept.document.title == "Minister\x00 speaks" and kept.quotes[0].speaker == speaker


def test_store_opened_by_several_processes_at_once_is_migrated_once(store_url: str) -> None:
    """Workers starting together against a new store: each opens it, none fails on a table another created."""
    script = "import sys\nfrom unspin.store import corpus\ncorpus.open_store(sys.argv[1])\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    processes = [
        subprocess.Popen([sys.executable, "-c", script, store_url], env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(5)
    ]
    errors = [process.communicate(timeout=120)[1] for process in processes]
    assert [process.returncode for process in processes] == [0] * 5, errors
    assert store.status(store.open_store(store_url))["documents"] == 0


def test_store_shows_a_run_whose_process_was_killed_as_interrupted(store_url: str) -> None:
    engine = store.open_store(store_url)
    # A real run's process: it records its run, says so, and waits to be killed.
    script = (
        "import sys, time\n"
        "from unspin.store import corpus\n"
        "engine = corpus.open_store(sys.argv[1])\n"
        "print(corpus.start_run(engine, ['corpus/'], 'k', {}, 2), flush=True)\n"
        "time.sleep(300)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, store_url],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        assert process.stdout is not None
        run_id = int(process.stdout.readline())
        (running,) = store.status(engine)["runs"]
        assert (running["id"], running["status"], running["pid"]) == (run_id, "running", process.pid)
        os.kill(process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while store.status(engine)["runs"][0]["status"] == "running" and time.monotonic() < deadline:
            time.sleep(0.05)  # before it is reaped, the killed process is a zombie: gone all the same
        assert store.status(engine)["runs"][0]["status"] == "interrupted"
    finally:
        process.kill()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()
    assert store.status(engine)["runs"][0]["status"] == "interrupted"
    # A finished run keeps its recorded status; a run on another host cannot be checked from here.
    finished = store.start_run(engine, ["corpus/"], "k", {}, 1)
    store.finish_run(engine, finished, 3, 0, 0, "done")
    elsewhere = store.start_run(engine, ["corpus/"], "k", {}, 1)
    with store.session(engine) as s, s.begin():
        row = s.get(RunRow, elsewhere)
        assert row is not None
        row.host = "another-machine.example.org"
    runs = {run["id"]: run["status"] for run in store.status(engine)["runs"]}
    assert runs == {run_id: "interrupted", finished: "done", elsewhere: "running"}
    shown = CliRunner().invoke(app, ["corpus", "status", "--store", store_url])
    assert shown.exit_code == 0, shown.output
    assert f"run {run_id} " in shown.output and " interrupted: stored 0" in shown.output


def test_store_run_on_this_process_is_running_and_a_reused_pid_is_not_taken_for_it(store_url: str) -> None:
    engine = store.open_store(store_url)
    mine = store.start_run(engine, ["corpus/"], "k", {}, 1)
    assert store.status(engine)["runs"][0]["status"] == "running"
    if not Path("/proc/1/stat").exists():
        pytest.skip("process start times are read from Linux /proc")
    # A run recorded long ago whose pid now belongs to a process that started after it (here: this one).
    with store.session(engine) as s, s.begin():
        row = s.get(RunRow, mine)
        assert row is not None
        row.started = store.now().replace(year=2001)
        row.pid = os.getpid()
    # pid 1 started before any run recorded now would; this process started after 2001.
    assert store.status(engine)["runs"][0]["status"] == "interrupted"


def test_store_ged_records_work_beside_the_corpus_tables(tmp_path: Path, store_url: str) -> None:
    csv = tmp_path / "ged.csv"
    csv.write_text(
        "id,date_start,date_end,side_a,side_b,latitude,longitude,where_coordinates,country,best,low,high\n"
        "900001,2016-09-17,2016-09-17,Government of Syria,Civilians,35.01873,40.44779,Al Mayadin town,Syria,35,30,48\n",
        encoding="utf-8",
    )
    store.open_store(store_url)
    result = records.import_records(csv, store_url)
    assert result.new == 1 and records.has_records(store_url)
    assert store.status(store.open_store(store_url))["documents"] == 0
