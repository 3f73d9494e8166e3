"""What an analysis says about itself (id, provenance, skipped detectors) and what the pipeline never does
(open files, databases or sockets while detecting)."""

from __future__ import annotations

import builtins
import datetime as dt
import io
import os
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import unspin
from unspin.analysis import document_id
from unspin.crosscheck.ged import read_records
from unspin.crosscheck.sources import MemoryRecords
from unspin.errors import BadOption
from unspin.options import Runtime

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONFLICT = FIXTURES / "conflict_article.txt"
GED = FIXTURES / "ged_sample.csv"
GERMAN = (
    "Die Regierung hat am Montag neue Regeln für den Hafen beschlossen. Der Minister sagte, die Arbeiter "
    "würden ab dem nächsten Monat mehr Geld bekommen, und die Opposition kritisierte den Plan scharf."
)


class IOBlocked(AssertionError):
    pass


def _block_io(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, opening a file, a database or a network connection raises."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise IOBlocked(f"I/O attempted during detection: {args[:2]!r}")

    targets = (
        (builtins, "open"),
        (io, "open"),
        (os, "open"),
        (sqlite3, "connect"),
        (socket.socket, "connect"),
        (socket, "create_connection"),
        (socket, "getaddrinfo"),
    )
    for target, name in targets:
        monkeypatch.setattr(target, name, refuse)


@pytest.fixture(scope="module")
def warm_pipeline(sample_text: str) -> Iterator[unspin.Pipeline]:
    """Every detector, with records handed in from memory; its models load on the first two documents."""
    runtime = Runtime(record_source=MemoryRecords(read_records(GED)))
    with unspin.load_pipeline(unspin.Options(published=dt.date(2016, 9, 20)), runtime) as pipeline:
        pipeline(unspin.Document(text=CONFLICT.read_text(encoding="utf-8")))
        pipeline(unspin.Document(text=sample_text))
        yield pipeline


def test_pipeline_detection_opens_no_file_database_or_socket(
    warm_pipeline: unspin.Pipeline, sample_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    conflict_text = CONFLICT.read_text(encoding="utf-8")
    _block_io(monkeypatch)
    conflict = warm_pipeline(unspin.Document(text=conflict_text + "\n\nThe ministry gave no further details."))
    sample = warm_pipeline(unspin.Document(text="A note before the text.\n\n" + sample_text))
    monkeypatch.undo()
    assert conflict.events and any(event.matches for event in conflict.events)  # matched from the handed source
    assert sample.techniques and sample.claims and sample.quotes and sample.places
    assert len(conflict.detectors) == len(sample.detectors) == len(unspin.detectors.available())


def test_pipeline_probe_catches_a_detector_that_opens_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    _block_io(monkeypatch)
    with pytest.raises(IOBlocked):
        Path(__file__).read_text(encoding="utf-8")


def test_document_id_is_stable_and_follows_the_text(tmp_path: Path) -> None:
    text = "The council approved the budget on Tuesday.\n\nThe vote was 7 to 2."
    first, second = tmp_path / "a" / "story.txt", tmp_path / "b" / "story.txt"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    ids = {unspin.analyze(path, only=("entities",)).document.id for path in (first, second, first)}
    assert len(ids) == 1  # the same file, in any folder, on any run
    # a fixed value: the id must not depend on the machine, the process or the Python version
    assert document_id(text, "story.txt") == ids.pop()
    assert document_id("The council approved the budget.", None) == "1080d3a5b372cc200f5d5a6e1699cb5f"
    changed = first.parent / "story.txt"
    changed.write_text(text.replace("7 to 2", "6 to 3"), encoding="utf-8")
    assert unspin.analyze(changed, only=("entities",)).document.id != document_id(text, "story.txt")
    assert document_id(text, "https://example.org/a") != document_id(text, "https://example.org/b")


def test_provenance_names_the_version_detectors_models_and_options() -> None:
    analysis = unspin.analyze(
        unspin.Document(text="Officials said 12 people were hurt in Lagos on Monday."),
        only=("claims",),
        published=dt.date(2024, 5, 6),
    )
    provenance = analysis.provenance
    assert provenance is not None
    assert provenance.unspin_version == unspin.__version__
    assert set(provenance.detectors) == {"sources", "subjectivity", "claims"}
    assert provenance.detectors["claims"] == "unspin.claims.v3"
    assert {"spacy", "checkworthiness", "subjectivity", "sentence_encoder"} <= set(provenance.models)
    assert provenance.options == {"only": "claims", "published": "2024-05-06"}
    assert analysis.analysed_at and dt.datetime.fromisoformat(analysis.analysed_at).tzinfo is not None


def test_non_english_text_is_not_analysed_rather_than_found_clean() -> None:
    analysis = unspin.analyze(unspin.Document(text=GERMAN, language="de"))
    assert analysis.detectors == [] and analysis.techniques == []
    reasons = {skipped.detector: skipped.reason for skipped in analysis.skipped}
    assert set(reasons) == set(unspin.detectors.available())
    assert all(reason.startswith("not analysed") and "'de'" in reason for reason in reasons.values())


def test_runtime_reads_the_environment_once_at_the_edge() -> None:
    runtime = Runtime.from_environment(
        {"UNSPIN_THREADS": "3", "UNSPIN_STORE": "sqlite:////tmp/x.db", "UNSPIN_CACHE": "/tmp/unspin-cache"}
    )
    assert (runtime.threads, runtime.store, runtime.cache_dir) == (3, "sqlite:////tmp/x.db", Path("/tmp/unspin-cache"))
    assert Runtime.from_environment({}).store.startswith("sqlite:///") and Runtime.from_environment({}).threads >= 1
    for bad in ("zero", "0", "1000"):
        with pytest.raises(BadOption):
            Runtime.from_environment({"UNSPIN_THREADS": bad})


def test_pipeline_owns_its_threads_and_ends_them() -> None:
    pipeline = unspin.load_pipeline(unspin.Options(only=("subjectivity",)), Runtime(threads=2))
    assert pipeline.inference_pool() is not None
    pipeline.close()
    assert pipeline._inference is None and pipeline._background is None
    assert unspin.load_pipeline(runtime=Runtime(threads=1)).inference_pool() is None
