"""Throughput of `unspin corpus run` against analysing the same articles one by one in one process.

Run: .venv/bin/python benchmarks/corpus_speed.py [--limit N] [--workers 2] [--modes pool,dask,baseline]
                                                 [--per-process N] [--out result.json]

The articles are the PTC training articles (`../shared/data/ptc/train-articles`, 371 `.txt` files), the first
`--limit` of them in name order. Every figure includes start-up and model load, each run in a process of its own:
- `pool`: `unspin corpus run ARTICLES --workers N` (the local process pool) into a fresh SQLite store;
- `dask`: the same with `--dask local` (a Dask LocalCluster of N single-threaded worker processes);
- `baseline`: one Python process that loops over the articles calling `unspin.analyze(path)` with the
  runtime `unspin analyze` uses on this machine (`Runtime.from_environment()`: 2 inference threads) and writes
  each analysis's JSON, as `unspin analyze --format json` does;
- `--per-process N`: also `unspin analyze FILE --format json` as a new process per article, for the first N.
Peak memory is sampled (every 0.2 s, with psutil) over each process tree: the parent and the largest worker.
CPU seconds (user + system, the workers included) per article say what the wall figures would be on a machine
to oneself: articles/s at most cores / CPU seconds per article.
The load average of the machine is printed before and after: on a shared machine timings are only as good as
the quiet they were taken in.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT.parent / "shared" / "data" / "ptc" / "train-articles"

BASELINE = """
import sys
from dataclasses import dataclass
from pathlib import Path
import unspin
from unspin.options import Runtime
runtime = Runtime.from_environment()
out = Path(sys.argv[1])
for name in sys.argv[2:]:
    analysis = unspin.analyze(name, runtime=runtime)
    (out / (Path(name).stem + ".json")).write_text(analysis.to_json(), encoding="utf-8")
"""


class PeakMemory:
    """Samples the resident memory of a process and its descendants until stopped."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.parent_peak = 0
        self.worker_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                self.parent_peak = max(self.parent_peak, self.root.memory_info().rss)
                for child in self.root.children(recursive=True):
                    with contextlib.suppress(psutil.Error):  # a process that ended between the two calls
                        self.worker_peak = max(self.worker_peak, child.memory_info().rss)
            except psutil.Error:
                pass
            time.sleep(0.2)

    def stop(self) -> tuple[float, float]:
        self._stop.set()
        self._thread.join()
        return self.parent_peak / 2**20, self.worker_peak / 2**20


@dataclass
class Timing:
    seconds: float  # wall
    cpu_seconds: float  # user + system of the process and every descendant it waited for (its workers)
    stderr: str
    parent_mb: float  # peak RSS of the process
    worker_mb: float  # peak RSS of its largest descendant


def timed(command: list[str], env: dict[str, str]) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    memory = PeakMemory(process.pid)
    _, stderr = process.communicate()
    seconds = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    parent, worker = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(seconds, cpu, stderr, parent, worker)


def corpus_run(articles: Path, work: Path, workers: int, dask: bool, env: dict[str, str]) -> dict[str, object]:
    store = work / ("dask.db" if dask else "pool.db")
    command = [
        sys.executable,
        "-m",
        "unspin",
        "corpus",
        "run",
        str(articles),
        "--store",
        f"sqlite:///{store}",
        "--workers",
        str(workers),
        "--quiet",
    ]
    if dask:
        command += ["--dask", "local"]
    timing = timed(command, env)
    stored = re.search(r"stored (\d+), skipped (\d+) \(already stored\), failed (\d+); ([\d.]+) s", timing.stderr)
    if stored is None:
        raise SystemExit(f"no summary in the output:\n{timing.stderr}")
    count, failed, runner_seconds = int(stored.group(1)), int(stored.group(3)), float(stored.group(4))
    with sqlite3.connect(store) as connection:
        json_kb = connection.execute("SELECT avg(length(analysis)) / 1024.0 FROM corpus_analyses").fetchone()[0]
    return {
        "command": " ".join(command),
        "articles": count,
        "failed": failed,
        "wall_seconds": round(timing.seconds, 1),
        "runner_seconds": runner_seconds,
        "articles_per_second": round(count / timing.seconds, 3),
        "cpu_seconds": round(timing.cpu_seconds, 1),
        "cpu_seconds_per_article": round(timing.cpu_seconds / count, 3),
        "peak_rss_mb_parent": round(timing.parent_mb),
        "peak_rss_mb_worker": round(timing.worker_mb),
        "store_mb": round(store.stat().st_size / 2**20, 1),
        "analysis_json_kb_mean": round(json_kb or 0, 1),
    }


def baseline(files: list[Path], work: Path, env: dict[str, str]) -> dict[str, object]:
    out = work / "baseline"
    out.mkdir()
    command = [sys.executable, "-c", BASELINE, str(out), *map(str, files)]
    timing = timed(command, env)
    return {
        "command": "one process: unspin.analyze(path) per article, Runtime.from_environment(), JSON written",
        "articles": len(files),
        "wall_seconds": round(timing.seconds, 1),
        "articles_per_second": round(len(files) / timing.seconds, 3),
        "cpu_seconds": round(timing.cpu_seconds, 1),
        "cpu_seconds_per_article": round(timing.cpu_seconds / len(files), 3),
        "peak_rss_mb": round(timing.parent_mb),
    }


def per_process(files: list[Path], env: dict[str, str]) -> dict[str, object]:
    began = time.perf_counter()
    for path in files:
        subprocess.run(
            [sys.executable, "-m", "unspin", "analyze", str(path), "--format", "json"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
    seconds = time.perf_counter() - began
    return {
        "command": "unspin analyze FILE --format json, a new process per article",
        "articles": len(files),
        "wall_seconds": round(seconds, 1),
        "articles_per_second": round(len(files) / seconds, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    parser.add_argument("--limit", type=int, default=0, help="the first N articles only (0: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--modes", default="pool,dask,baseline")
    parser.add_argument("--per-process", type=int, default=0, help="also time N articles with a process each")
    parser.add_argument("--out", type=Path, help="write the result as JSON here too")
    args = parser.parse_args()
    files = sorted(args.articles.glob("article*.txt"))
    if args.limit:
        files = files[: args.limit]
    if not files:
        raise SystemExit(f"no article*.txt in {args.articles}")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    result: dict[str, object] = {
        "articles": len(files),
        "words": sum(len(path.read_text(encoding="utf-8").split()) for path in files),
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    with tempfile.TemporaryDirectory(prefix="unspin-corpus-speed-") as tmp:
        work = Path(tmp)
        articles = work / "articles"
        articles.mkdir()
        for path in files:
            shutil.copyfile(path, articles / path.name)
        for mode in modes:
            began_load = [round(x, 2) for x in os.getloadavg()]
            if mode == "pool":
                figures = corpus_run(articles, work, args.workers, dask=False, env=env)
            elif mode == "dask":
                figures = corpus_run(articles, work, args.workers, dask=True, env=env)
            elif mode == "baseline":
                figures = baseline(sorted(articles.glob("*.txt")), work, env)
            else:
                raise SystemExit(f"unknown mode {mode!r}: pool, dask or baseline")
            figures["load_average_at_start"] = began_load
            result[mode] = figures
            print(mode, json.dumps(figures), file=sys.stderr, flush=True)
        if args.per_process:
            result["per_process"] = per_process(sorted(articles.glob("*.txt"))[: args.per_process], env)
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]

    def rate(mode: str) -> float | None:
        figures = result.get(mode)
        return float(figures["articles_per_second"]) if isinstance(figures, dict) else None  # type: ignore[arg-type]

    pool, dask, base, single = rate("pool"), rate("dask"), rate("baseline"), rate("per_process")
    if pool and base:
        result["pool_over_baseline"] = round(pool / base, 2)
    if pool and single:
        result["pool_over_per_process"] = round(pool / single, 2)
    if pool and dask:
        result["dask_over_pool"] = round(dask / pool, 2)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
