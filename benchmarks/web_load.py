"""A bounded load test of `unspin serve` on loopback: N analyses of PTC articles from C concurrent clients through
`POST /api/analyze`, then the server is stopped. Records throughput, latency percentiles, errors, and the
resident memory of the server process (and of its analysis workers) at the start, middle and end of the run:
with finished jobs kept in a bounded table, the server's memory should stay flat however many it serves.

Self-contained: it starts the server itself on a free port with a fresh store in a temporary folder, stops by
itself after the last request (or at --timeout), and exits 1 on any error.

    PYTHONPATH=src python benchmarks/web_load.py [--requests 200] [--clients 8] [--workers 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT.parent / "shared" / "data" / "ptc" / "train-articles"


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (Linux /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else 0.0


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


@dataclass
class Memory:
    label: str
    done: int
    server_mb: float
    workers_mb: float


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    memory: list[Memory] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_index: int = 0
    finished: int = 0


def start_server(store: Path, workers: int) -> tuple[subprocess.Popen[str], str, int]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "unspin",
            "serve",
            "--port",
            "0",
            "--workers",
            str(workers),
            "--store",
            f"sqlite:///{store}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert process.stderr is not None
    while True:
        line = process.stderr.readline()
        if not line:
            raise SystemExit(f"unspin serve did not start (exit {process.wait()})")
        found = re.search(r"serving on http://127\.0\.0\.1:(\d+)/", line)
        if found:
            break
    # keep reading its stderr so that a chatty server never blocks on a full pipe
    threading.Thread(target=lambda: [None for _ in process.stderr or []], daemon=True).start()
    port = int(found.group(1))
    deadline = time.monotonic() + 300
    while True:  # the socket is bound before the app (and its workers) finished starting
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/corpus/sources")
            if connection.getresponse().status == 200:
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    return process, "127.0.0.1", port


def post(host: str, port: int, text: str, name: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=600)
    body = json.dumps({"text": text, "name": name}).encode("utf-8")
    connection.request("POST", "/api/analyze", body=body, headers={"Content-Type": "application/json"})
    answer = connection.getresponse()
    return answer.status, answer.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="analyses to run in all (default 200)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="the server's analysis workers (default 2)")
    parser.add_argument("--articles", type=Path, default=ARTICLES, help="folder of PTC article*.txt files")
    parser.add_argument("--timeout", type=float, default=3600, help="stop the run after this many seconds")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.clients < 1:
        parser.error("--requests and --clients must be at least 1")
    paths = sorted(args.articles.glob("article*.txt"))
    if not paths:
        parser.error(f"no article*.txt in {args.articles}")
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in paths]
    chars = [len(t) for _, t in texts[: args.requests]]

    with tempfile.TemporaryDirectory(prefix="unspin-web-load-") as folder:
        process, host, port = start_server(Path(folder) / "store.db", args.workers)
        run = Run()
        try:
            status, _ = post(host, port, texts[-1][1], "warm-up")  # the workers' first analysis, not timed
            if status != 200:
                raise SystemExit(f"the warm-up analysis failed with {status}")

            def sample(label: str, done: int) -> None:
                workers = sum(rss_mb(child) for child in children(process.pid))
                run.memory.append(Memory(label, done, round(rss_mb(process.pid), 1), round(workers, 1)))

            sample("start", 0)
            load_before = os.getloadavg()
            started = time.monotonic()
            stop_at = started + args.timeout

            def client() -> None:
                while time.monotonic() < stop_at:
                    with run.lock:
                        if run.next_index >= args.requests:
                            return
                        index = run.next_index
                        run.next_index += 1
                    name, text = texts[index % len(texts)]
                    began = time.monotonic()
                    try:
                        status, body = post(host, port, text, f"{index}-{name}")
                        if status != 200:
                            run.errors.append(f"{name}: HTTP {status} {body[:200]!r}")
                    except OSError as exc:
                        run.errors.append(f"{name}: {exc}")
                    elapsed = time.monotonic() - began
                    with run.lock:
                        run.latencies.append(elapsed)
                        run.finished += 1
                        if run.finished == args.requests // 2:
                            sample("middle", run.finished)

            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.monotonic() - started
            sample("end", run.finished)
            load_after = os.getloadavg()
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    latencies = sorted(run.latencies)
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    results: dict[str, Any] = {
        "requests": args.requests,
        "completed": len(latencies),
        "clients": args.clients,
        "workers": args.workers,
        "errors": len(run.errors),
        "wall_seconds": round(wall, 1),
        "throughput_per_minute": round(60 * len(latencies) / wall, 1) if wall else None,
        "latency_p50_s": round(quantiles[49], 2),
        "latency_p95_s": round(quantiles[94], 2),
        "latency_max_s": round(latencies[-1], 2) if latencies else None,
        "article_chars_mean": round(statistics.mean(chars)),
        "memory_mb": [vars(m) for m in run.memory],
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in load_after],
    }
    print(json.dumps(results, indent=2))
    for error in run.errors[:10]:
        print("error:", error, file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if run.errors or len(latencies) < args.requests else 0


if __name__ == "__main__":
    sys.exit(main())
