"""The periodic tasks without Celery beat (the embedded default, no broker): a small loop over
`CELERY_BEAT_SCHEDULE` in a thread of the web process, running each task when it is due in
the job threads, on the times Celery's schedule objects compute (as beat itself would).

One process per machine runs the loop: the one holding the lock file `DATA_DIR/beat.lock`
(the others try again now and then, and take over if it stops).
"""

import fcntl
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from celery.schedules import BaseSchedule, maybe_schedule
from django.conf import settings

from baserow_clone.celery import app
from jobs.dispatch import in_process_executor, run_here

logger = logging.getLogger(__name__)

# The longest the loop sleeps: a changed clock is noticed within this many seconds.
MAX_SLEEP = 60.0

_started: "EmbeddedBeat | None" = None
_started_lock = threading.Lock()


@dataclass
class Entry:
    name: str
    task: str
    schedule: BaseSchedule
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    last_run_at: datetime


def entries(beat_schedule: dict[str, dict[str, Any]]) -> list[Entry]:
    """The schedule's entries, each counted as just run (as a new beat counts them)."""
    made = []
    for name, entry in beat_schedule.items():
        schedule = maybe_schedule(entry["schedule"], app=app)
        args, kwargs = tuple(entry.get("args", ())), dict(entry.get("kwargs", {}))
        made.append(Entry(name, entry["task"], schedule, args, kwargs, schedule.now()))
    return made


def run_task(entry: Entry) -> None:
    """Run one periodic task here and now, as a worker would (errors are logged)."""
    result = run_here(app.tasks[entry.task], args=entry.args, kwargs=entry.kwargs)
    if result.failed():
        logger.error("periodic task %s failed", entry.name, exc_info=result.result)
    else:
        logger.info("periodic task %s ran in %s", entry.name, threading.current_thread().name)


class EmbeddedBeat(threading.Thread):
    """Runs each due entry in the job threads (or in this thread when JOB_THREADS is 0)."""

    def __init__(self, beat_schedule: dict[str, dict[str, Any]], lock_path: Path) -> None:
        super().__init__(daemon=True, name="embedded-beat")
        self.beat_schedule = beat_schedule
        self.lock_path = lock_path
        self.stopped = threading.Event()
        self._lock_file = None

    def run(self) -> None:
        app.loader.import_default_modules()  # what beat and workers do first: find the tasks
        while not self._hold_lock():
            if self.stopped.wait(MAX_SLEEP):
                return
        schedule = entries(self.beat_schedule)
        logger.info("embedded beat: %s periodic task(s)", len(schedule))
        while not self.stopped.wait(self._tick(schedule)):
            pass
        self._release_lock()

    def _tick(self, schedule: list[Entry]) -> float:
        """Start the due entries; the seconds until the next one may be due."""
        sleep = MAX_SLEEP
        for entry in schedule:
            due, next_check = entry.schedule.is_due(entry.last_run_at)
            if due:
                entry.last_run_at = entry.schedule.now()
                self._submit(entry)
            sleep = min(sleep, next_check)
        return max(sleep, 0.01)

    def _submit(self, entry: Entry) -> None:
        if settings.JOB_THREADS:
            in_process_executor().submit(run_task, entry)
        else:
            run_task(entry)

    def _hold_lock(self) -> bool:
        lock_file = self.lock_path.open("a")
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock_file.close()
            return False
        self._lock_file = lock_file
        return True

    def _release_lock(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing the file releases the lock
            self._lock_file = None

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=MAX_SLEEP)


def embedded_beat_start() -> EmbeddedBeat | None:
    """Start this process's loop, once, when there is no broker (else beat runs the schedule)
    and EMBEDDED_BEAT is on; None when it does not run here."""
    global _started
    if not app.conf.task_always_eager or not settings.EMBEDDED_BEAT:
        return None
    with _started_lock:
        if _started is None or not _started.is_alive():
            _started = EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE, settings.DATA_DIR / "beat.lock")
            _started.start()
        return _started


def embedded_beat_stop() -> None:
    global _started
    with _started_lock:
        if _started is not None:
            _started.stop()
            _started = None
