"""A job type for tests only: renames a workspace step by step, sleeping between steps.

Importing this module registers it: the test process through `tests/jobs/conftest.py`, a
Celery worker started by a test through `JOB_TYPE_MODULES=tests.jobs.slow_job`.
"""

import os
import time
from typing import Any

from jobs.models import Job
from jobs.progress import JobProgress
from jobs.registry import JobType, job_types
from workspaces.models import Workspace


class SlowJobType(JobType):
    """`payload`: workspace_id, steps, seconds (slept per step); its result names the runner."""

    type = "slow_for_tests"

    def run(self, job: Job, progress: JobProgress) -> dict[str, Any]:
        steps = job.payload["steps"]
        for step in range(1, steps + 1):
            workspace = Workspace.objects.filter(id=job.payload["workspace_id"])
            workspace.update(name=f"Step {step}")
            time.sleep(job.payload["seconds"])
            progress.set(100 * step // steps)
        return {"pid": os.getpid()}


if SlowJobType.type not in job_types:
    job_types.register(SlowJobType())
