"""A running job's live state, in the "jobs" cache every process shares (Redis in production).

The job's work runs in one transaction; progress written to its row would stay invisible until
that transaction ends, and on SQLite (one writer at a time) a second connection could not write
it before then either. The cache is outside any transaction, so pollers see each step at once
and a cancel reaches the job at its next step.
"""

import logging
import threading
import time

from django.core.cache import BaseCache, caches

from jobs.errors import JobCancelled

logger = logging.getLogger(__name__)

KEY_TIMEOUT = 24 * 3600


def _cache() -> BaseCache:
    return caches["jobs"]


def _progress_key(job_id: int) -> str:
    return f"job:{job_id}:progress"


def _cancel_key(job_id: int) -> str:
    return f"job:{job_id}:cancelled"


def live_progress(job_ids: list[int]) -> dict[int, tuple[int, float]]:
    """(percentage, time of the last sign of life) of each running job that reported any."""
    found = _cache().get_many([_progress_key(job_id) for job_id in job_ids])
    return {job_id: found[key] for job_id in job_ids if (key := _progress_key(job_id)) in found}


def request_cancel(job_id: int) -> None:
    _cache().set(_cancel_key(job_id), True, KEY_TIMEOUT)


def forget(job_id: int) -> None:
    """Drop a job's live state once its row holds the outcome."""
    _cache().delete_many([_progress_key(job_id), _cancel_key(job_id)])


class JobProgress:
    """What a job type reports its progress to; `set` raises JobCancelled once cancelled."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.percentage = 0

    def set(self, percentage: int) -> None:
        """Report 0-100 % done; stops the job (JobCancelled) if it was cancelled."""
        if _cache().get(_cancel_key(self.job_id)):
            raise JobCancelled()
        self.percentage = max(0, min(100, int(percentage)))
        self.beat()

    def beat(self) -> None:
        """Show the job is alive (the stale-job reaper fails jobs that stop beating)."""
        _cache().set(_progress_key(self.job_id), (self.percentage, time.time()), KEY_TIMEOUT)


class Heartbeat(threading.Thread):
    """Beats for a running job every `interval` seconds, also through long silent steps."""

    def __init__(self, progress: JobProgress, interval: float) -> None:
        super().__init__(daemon=True, name=f"job-{progress.job_id}-heartbeat")
        self.progress = progress
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.progress.beat()
            except Exception:  # the cache is away for a moment: beat again next time
                logger.warning("job %s: heartbeat failed", self.progress.job_id, exc_info=True)

    def stop(self) -> None:
        self.stopped.set()
        self.join()
