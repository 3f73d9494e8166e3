"""The corpus store: Alembic owns its schema, documents are stored once per provenance, ged_records still works."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, inspect, select

from unspin.analysis import Analysis, Claim, Document, Provenance, Quote, Sentence, TechniqueSpan, document_id
from unspin.store import corpus as store
from unspin.store import records

TEXT = (
    "The minister called the protesters a mob of thugs on Monday.\n\n"
    "\"We will not be bullied,\" she said, adding that 40 people were arrested."
)


def analysis(score: float = 0.8) -> Analysis:
    start = TEXT.index("a mob of thugs")
    quote_start = TEXT.index("\"We")
    return Analysis(
        document=Document(text=TEXT, id=document_id(TEXT, "minister.txt"), title="Minister", site="Example"),
        provenance=Provenance(unspin_version="0.1.0", detectors={"techniques": "unspin.techniques.v2"}),
        techniques=[TechniqueSpan(technique="Name_Calling,Labeling", start=start, end=start + 14, score=score)],
        sentences=[Sentence(start=0, end=61, subjective=True, subjectivity=0.9),
                   Sentence(start=63, end=len(TEXT), subjective=False, subjectivity=0.2)],
        claims=[Claim(start=63, end=len(TEXT), text=TEXT[63:], checkworthiness=0.7)],
        quotes=[Quote(start=quote_start, end=quote_start + 26, text="We will not be bullied,", speaker="she")],
    )


def test_store_migration_creates_what_the_models_declare(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = store.open_store(f"sqlite:///{tmp_path / 'corpus.db'}")
    store.open_store(f"sqlite:///{tmp_path / 'corpus.db'}")  # a second open finds the schema current
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": "alembic_version_unspin"})
        differences = compare_metadata(context, store.CorpusBase.metadata)
    # ged_records belongs to the other metadata (store.records), so it is reported as "not in these models".
    assert [d for d in differences if "ged_records" not in str(d)] == []
    assert "ged_records" in inspect(engine).get_table_names()
    assert engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_store_keeps_one_analysis_per_document_and_provenance(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    engine = store.open_store(url)
    key = store.provenance_key({"detectors": {"techniques": "unspin.techniques.v2"}})
    other = store.provenance_key({"detectors": {"techniques": "unspin.techniques.v3"}})
    assert key != other
    store.record_failure(engine, None, "minister.txt", key, "was busy")
    store.save_analysis(engine, analysis(0.8), key, "minister.txt", None)
    store.save_analysis(engine, analysis(0.6), key, "minister.txt", None)  # --force: replaced, not duplicated
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
    assert store.stored_documents(engine, key) == {analysis().document.id}
    assert store.failed_sources(engine, key) == set()  # stored after all: the failure is cleared
    status = store.status(engine)
    assert (status["documents"], status["analyses"], status["failures"]) == (1, 2, 0)
    assert status["findings"]["claims"] == 2


def test_store_ged_records_work_beside_the_corpus_tables(tmp_path: Path) -> None:
    csv = tmp_path / "ged.csv"
    csv.write_text(
        "id,date_start,date_end,side_a,side_b,latitude,longitude,where_coordinates,country,best,low,high\n"
        "900001,2016-09-17,2016-09-17,Government of Syria,Civilians,35.01873,40.44779,Al Mayadin town,Syria,35,30,48\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'both.db'}"
    store.open_store(url)
    result = records.import_records(csv, url)
    assert result.new == 1 and records.has_records(url)
    assert store.status(store.open_store(url))["documents"] == 0
