"""`unspin corpus run` end to end: every format stored, resumed without repeats, bad documents recorded and
passed over, and a run killed with SIGKILL picked up with every document stored exactly once; each on SQLite
and on PostgreSQL (`--store postgresql+psycopg://...`, the test server of tests/postgres.py).

The runner is under test, not the findings: runs use `--only techniques` on short articles.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, ClassVar

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from tests.corpus.conftest import ptc_texts

from unspin.corpus.worker import Outcome
from unspin.ingest.corpus import RawItem

ROOT = Path(__file__).resolve().parents[2]


def unspin(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unspin", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )


def corpus_run(store: str, *sources: Path | str, extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return unspin(
        "corpus", "run", *map(str, sources), "--store", store, "--only", "techniques", "--workers", "2", *extra
    )


def status(store: str) -> dict[str, object]:
    result = unspin("corpus", "status", "--store", store, "--format", "json")
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def rows(store: str, sql: str) -> list[tuple[object, ...]]:
    """The rows of `sql` in the store, read on a connection of its own (closed after)."""
    engine = sa.create_engine(store, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(sql))]
    finally:
        engine.dispose()


def count(store: str, sql: str) -> int:
    value = rows(store, sql)[0][0]
    assert isinstance(value, int)
    return value


def test_corpus_run_stores_every_format_then_resumes_storing_nothing_new(
    mixed_corpus: tuple[Path, int], store_url: str
) -> None:
    folder, expected = mixed_corpus
    store = store_url
    first = corpus_run(store, folder)
    assert first.returncode == 0, first.stderr
    assert f"stored {expected}, skipped 0 (already stored), failed 0" in first.stderr
    counts = status(store)
    assert (counts["documents"], counts["analyses"], counts["failures"]) == (expected, expected, 0)
    findings = counts["findings"]
    assert isinstance(findings, dict) and findings["techniques"] > 0 and findings["claims"] == 0
    assert count(store, "SELECT count(*) FROM corpus_documents WHERE site = 'Example News'") == 4
    assert count(store, "SELECT count(*) FROM corpus_documents WHERE url LIKE 'https://news.example.com/%'") == 1

    second = corpus_run(store, folder)
    assert second.returncode == 0, second.stderr
    assert f"stored 0, skipped {expected} (already stored), failed 0" in second.stderr
    counts = status(store)
    assert (counts["documents"], counts["analyses"]) == (expected, expected)
    runs = counts["runs"]
    assert isinstance(runs, list) and [run["stored"] for run in runs] == [0, expected]
    assert all(run["status"] == "done" for run in runs)


def test_corpus_run_records_bad_documents_with_reasons_and_goes_on(tmp_path: Path, store_url: str) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ptc_texts(2, chars=1200):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "empty.txt").write_bytes(b"  \n\n ")
    (folder / "huge.txt").write_text("The council met on Monday to vote. " * 4000, encoding="utf-8")
    (folder / "undecodable.txt").write_bytes(bytes(range(128, 256)) * 40)
    (folder / "feed.jsonl").write_text('{"title": "cut short", "text": "The council\n', encoding="utf-8")
    store = store_url
    result = corpus_run(store, folder, extra=("--max-bytes", "100000"))
    assert result.returncode == 0, result.stderr
    assert "stored 2, skipped 0 (already stored), failed 5" in result.stderr
    reasons = {
        Path(str(source).split("#")[0]).name: str(reason)
        for source, reason in rows(store, "SELECT source, reason FROM corpus_failures")
    }
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "over the limit of 100,000 bytes" in reasons["huge.txt"]
    assert "neither UTF-8 nor any text encoding" in reasons["undecodable.txt"]
    assert "not a JSON object" in reasons["feed.jsonl"]
    counts = status(store)
    assert (counts["documents"], counts["failures"]) == (2, 5)

    again = corpus_run(store, folder, extra=("--max-bytes", "100000"))
    assert "stored 0, skipped 2 (already stored), failed 0, 5 earlier failures not retried" in again.stderr
    retried = corpus_run(store, folder, extra=("--max-bytes", "100000", "--retry-failed"))
    assert "stored 0, skipped 2 (already stored), failed 5" in retried.stderr
    assert status(store)["failures"] == 5  # retried and failed again: still one failure per source


def test_corpus_run_killed_mid_way_then_rerun_stores_each_document_exactly_once(tmp_path: Path, store_url: str) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    articles = ptc_texts(12, chars=1000)
    for name, text in articles:
        (folder / name).write_text(text, encoding="utf-8")
    store = store_url
    command = [
        sys.executable,
        "-m",
        "unspin",
        "corpus",
        "run",
        str(folder),
        "--store",
        store,
        "--only",
        "techniques",
        "--workers",
        "1",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and process.poll() is None:
            if _analyses(store) >= 2:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before it could be killed"
        workers = _children(process.pid)
        assert workers or not Path("/proc").is_dir(), "no worker process found"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
        assert process.stderr is not None
        process.stderr.close()
    stored_before = _analyses(store)
    # Nothing could record the killed run's end; `status` sees that its process is gone.
    runs = status(store)["runs"]
    assert isinstance(runs, list) and len(runs) == 1
    assert runs[0]["status"] == "interrupted" and runs[0]["pid"] == process.pid
    assert 2 <= stored_before < len(articles)
    # The orphaned workers notice their parent is gone and exit instead of waiting for work forever.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]

    result = unspin(*command[3:])
    assert result.returncode == 0, result.stderr
    assert f"stored {len(articles) - stored_before}, skipped {stored_before} (already stored)" in result.stderr
    assert count(store, "SELECT count(*) FROM corpus_documents") == len(articles)
    assert count(store, "SELECT count(*) FROM corpus_analyses") == len(articles)
    assert count(store, "SELECT count(DISTINCT document_id) FROM corpus_techniques") <= len(articles)
    duplicated = (
        "SELECT count(*) FROM (SELECT document_id FROM corpus_analyses GROUP BY document_id HAVING count(*) > 1) d"
    )
    assert count(store, duplicated) == 0
    # The killed run never recorded its end: interrupted; the rerun is done.
    runs = status(store)["runs"]
    assert isinstance(runs, list) and [run["status"] for run in runs] == ["done", "interrupted"]


def _analyses(store: str) -> int:
    if store.startswith("sqlite:///") and not Path(store.removeprefix("sqlite:///")).exists():
        return 0  # not made yet (and connecting would make it)
    try:
        return count(store, "SELECT count(*) FROM corpus_analyses")
    except DBAPIError:  # the table is not made yet
        return 0


def _children(pid: int) -> list[int]:
    """The processes `pid` started (Linux /proc; none elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _comparable(analysis_json: str) -> dict[str, object]:
    """An analysis without what changes from one run to the next (its timestamp, the detectors' timings)."""
    analysis: dict[str, object] = json.loads(analysis_json)
    analysis.pop("analysed_at")
    detectors = analysis["detectors"]
    assert isinstance(detectors, list)
    for run in detectors:
        run.pop("seconds")
    return analysis


def test_worker_batch_gives_the_analyses_of_one_document_at_a_time() -> None:
    from unspin.corpus import worker
    from unspin.options import Options, Runtime
    from unspin.pipeline import load_pipeline

    # Articles of different lengths in one batch (spaCy pads them to one another), a German paragraph that no
    # English detector reads, and an empty file that fails alone.
    texts = [text for _, text in ptc_texts(3)] + [ptc_texts(4, chars=600)[3][1]]
    texts.append("Der Stadtrat hat am Montag beschlossen, die Brücke über den Fluss bis zum Sommer zu sanieren.\n")
    items = [RawItem(f"story{number}.txt", text.encode("utf-8"), False) for number, text in enumerate(texts)]
    items.insert(2, RawItem("empty.txt", b" \n", False))
    options, runtime = Options(), Runtime(threads=1)
    worker.setup(worker.WorkerSetup(options, runtime, frozenset()))
    try:
        outcomes = worker.process_batch(items)
    finally:
        worker.teardown()
    assert [outcome.source for outcome in outcomes] == [item.source for item in items]
    assert outcomes[2].status == "failed" and "empty" in (outcomes[2].reason or "")
    with load_pipeline(options, runtime) as pipeline:
        for item, outcome in zip(items, outcomes, strict=True):
            if item.source == "empty.txt":
                continue
            ingested = item.ingest(options)
            alone = pipeline(ingested.document, ingested.warnings, ingested.extraction)
            assert outcome.status == "analysed" and outcome.analysis_json is not None
            assert _comparable(outcome.analysis_json) == _comparable(alone.to_json(indent=None)), item.source
    assert json.loads(outcomes[-1].analysis_json or "{}")["document"]["language"] == "de"


class _DyingPool:
    """A stand-in for the local pool whose worker dies on any batch holding `poison.txt`, taking every batch in
    flight with it (as a broken process pool does); other batches are 'analysed' into a minimal analysis."""

    name = "test pool"
    submitted: ClassVar[list[list[str]]] = []

    def __init__(self, config: object, workers: int) -> None:
        self.pending: list[tuple[object, list[RawItem]]] = []

    def capacity(self) -> int:
        return 3

    def submit(self, batch: list[RawItem]) -> object:
        handle = object()
        _DyingPool.submitted.append([item.source for item in batch])
        self.pending.append((handle, batch))
        return handle

    def wait(self, handles: object) -> set[object]:
        return {self.pending[0][0]}

    def result(self, handle: object) -> list[Outcome]:
        from unspin.analysis import Analysis, Document
        from unspin.corpus.executors import WorkerDied

        index = next(i for i, (pending, _) in enumerate(self.pending) if pending is handle)
        _, batch = self.pending.pop(index)
        if any(item.source.endswith("poison.txt") for item in batch):
            self.pending.clear()
            raise WorkerDied(all_lost=True)
        outcomes = []
        for item in batch:
            document = Document(text=item.data.decode(), id=Path(item.source).stem)
            analysis = Analysis(document=document, unspin_version="test")
            outcomes.append(Outcome(item.source, "analysed", document.id, analysis.to_json(indent=None)))
        return outcomes

    def recover(self) -> None:
        pass

    def close(self, finished: bool) -> None:
        pass


def test_runner_retries_alone_the_items_a_dead_worker_took_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from unspin.corpus import runner
    from unspin.corpus.worker import WORKER_DIED
    from unspin.options import Options, Runtime

    folder = tmp_path / "corpus"
    folder.mkdir()
    names = [f"story{number:02}.txt" for number in range(10)]
    names.insert(5, "story05-poison.txt")
    for name in names:
        (folder / name).write_text(f"The council of {name} met on Monday.\n", encoding="utf-8")
    monkeypatch.setattr(runner, "LocalPool", _DyingPool)
    _DyingPool.submitted = []
    database = tmp_path / "store.db"
    summary = runner.run([str(folder)], Options(only=("techniques",)), Runtime(store_url=f"sqlite:///{database}"))
    assert (summary.stored, summary.failed) == (10, 1), summary.failures
    assert summary.failures == [(str(folder / "story05-poison.txt"), WORKER_DIED)]
    # The poison went out in a batch of four, then alone; the items lost with it (its batch, and the batch
    # still in flight behind it) were sent again one at a time, and stored; the batch done before was not.
    poison = str(folder / "story05-poison.txt")
    batches = [batch for batch in _DyingPool.submitted if len(batch) > 1]
    alone = [batch[0] for batch in _DyingPool.submitted if len(batch) == 1]
    assert len(batches) == 3 and poison in batches[1]
    assert sorted(alone) == sorted(batches[1] + batches[2])
    assert count(f"sqlite:///{database}", "SELECT count(*) FROM corpus_analyses") == 10
    assert count(f"sqlite:///{database}", "SELECT count(*) FROM corpus_failures") == 1


def test_a_document_whose_analysis_loops_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-document time limit: a looping analysis becomes that document's failure, the next is analysed."""
    from unspin.analysis import Analysis
    from unspin.corpus import worker
    from unspin.ingest.corpus import RawItem
    from unspin.options import Options, Runtime

    class LoopsOnOneDocument:
        def reads_parse(self, document: object) -> bool:
            return False

        def __call__(self, document: Any, warnings: Any, extraction: Any, parse: Any = None) -> Analysis:
            while "harbour" in document.text:  # the shape of a detector that never reaches its end
                pass
            return Analysis(document=document, unspin_version="test")

    monkeypatch.setattr(worker, "seconds_for", lambda characters: 0.3)
    state = worker._Worker(worker.WorkerSetup(Options(), Runtime(threads=1), frozenset()))
    state.pipeline = LoopsOnOneDocument()  # type: ignore[assignment]
    items = [
        RawItem("loops.txt", b"The council delayed its vote on the harbour budget until the spring session.", False),
        RawItem("fine.txt", b"The council approved the school budget on Monday after a short debate.", False),
    ]
    looped, fine = worker._process(state, items)
    assert looped.status == "failed" and looped.reason is not None and "longer than" in looped.reason
    assert fine.status == "analysed" and fine.analysis_json is not None
