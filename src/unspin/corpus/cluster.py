"""A corpus run on a `dask.distributed` cluster: the same batches and worker code as the local pool.

Each Dask worker becomes a worker of the run through a worker plugin (handed the run's `WorkerSetup` once, and
again to a worker that joins mid-run), loads the pipeline once, at its first batch, and analyses one batch at
a time. The parent submits a bounded number of batches and stores each result as it completes.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from distributed import Client, LocalCluster, wait
from distributed.diagnostics.plugin import WorkerPlugin
from distributed.scheduler import KilledWorker

from unspin.corpus import worker
from unspin.corpus.executors import AHEAD_PER_WORKER, WorkerDied
from unspin.corpus.worker import Outcome, WorkerSetup
from unspin.errors import ClusterError
from unspin.options import Runtime

if TYPE_CHECKING:
    from distributed import Worker

    from unspin.ingest.corpus import RawItem

log = logging.getLogger(__name__)

# How long to wait for a Dask scheduler to answer, and for a first worker to join it.
CONNECT_SECONDS = 10.0
WORKERS_SECONDS = 60.0
# How often the runner asks the scheduler how many worker threads it has now (workers may join or leave).
RESIZE_SECONDS = 5.0


class CorpusWorkerPlugin(WorkerPlugin):
    """Sets up every worker of the cluster, present or joining later, for one run; a name of its own per run."""

    def __init__(self, config: WorkerSetup) -> None:
        self.name = f"unspin-corpus-{uuid.uuid4().hex[:12]}"
        self.config = config

    def setup(self, worker: Worker) -> None:
        _setup(self.config)

    def teardown(self, worker: Worker) -> None:
        _teardown()


def _setup(config: WorkerSetup) -> None:
    # Caches are the worker machine's own (its UNSPIN_CACHE, else ~/.cache/unspin), not the parent's folder,
    # which another machine may not have: this plugin is where a Dask worker enters unspin.
    runtime = replace(config.runtime, cache_dir=Runtime.from_environment().cache_dir)
    worker.setup(replace(config, runtime=runtime))


def _teardown() -> None:
    worker.teardown()


class DaskCluster:
    """The scheduler at `address`, or `local`: a `LocalCluster` of `workers` processes with one thread each
    (processes, not threads: much of the analysis holds the GIL)."""

    def __init__(self, config: WorkerSetup, address: str, workers: int) -> None:
        self.address = address
        self.name = "Dask LocalCluster" if address == "local" else f"Dask cluster at {address}"
        self.cluster: LocalCluster | None = None
        if address == "local":
            self.cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,
            )
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(address, timeout=CONNECT_SECONDS)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_SECONDS)
        except (OSError, TimeoutError) as exc:
            self._shutdown()
            raise ClusterError(
                f"no Dask worker joined the scheduler at {address} within {WORKERS_SECONDS:.0f} s ({exc})"
            ) from None
        self.plugin = CorpusWorkerPlugin(config)
        self.client.register_plugin(self.plugin)
        self._threads = 0
        self._counted = float("-inf")

    def capacity(self) -> int:
        now = time.monotonic()
        if now - self._counted > RESIZE_SECONDS:
            try:
                self._threads = sum(self.client.nthreads().values())
            except (OSError, TimeoutError) as exc:
                raise ClusterError(f"lost the Dask scheduler at {self.address} ({exc})") from None
            self._counted = now
        return max(1, self._threads) * AHEAD_PER_WORKER

    def submit(self, batch: list[RawItem]) -> Any:
        return self.client.submit(worker.process_batch, batch, pure=False)

    def wait(self, handles: Collection[Any]) -> set[Any]:
        done, _ = wait(list(handles), return_when="FIRST_COMPLETED")
        return set(done)

    def result(self, handle: Any) -> list[Outcome]:
        try:
            outcomes: list[Outcome] = handle.result()
        except KilledWorker:  # the scheduler retried the batch on other workers, and they died too
            raise WorkerDied(all_lost=False) from None
        except Exception as exc:  # a cancelled future or a closed connection: the scheduler is gone
            if type(exc).__name__ in ("CancelledError", "FutureCancelledError", "CommClosedError"):
                raise ClusterError(f"lost the Dask scheduler at {self.address} ({exc})") from None
            raise
        return outcomes

    def recover(self) -> None:  # a cluster never loses every batch at once: nothing to restart
        pass

    def close(self, finished: bool) -> None:
        try:
            if not finished:
                self.client.cancel(list(self.client.futures.values()))
            self.client.unregister_worker_plugin(self.plugin.name)
        except Exception:  # closing a cluster that is going away must not hide why the run stopped
            log.debug("could not unregister the corpus worker plugin", exc_info=True)
        self._shutdown()

    def _shutdown(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
