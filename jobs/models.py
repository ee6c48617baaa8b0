"""Jobs: long operations a client starts, then polls until they end."""

from django.conf import settings
from django.db import models


class JobState(models.TextChoices):
    PENDING = "pending"
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


# A job in one of these states has not ended, so it can still be cancelled.
RUNNING_STATES = (JobState.PENDING, JobState.STARTED)


class Job(models.Model):
    """One run of a job type for a user: its input (`payload`), progress and outcome (`result`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.PENDING)
    progress_percentage = models.PositiveSmallIntegerField(default=0)
    human_readable_error = models.TextField(blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    # The starting request's client ids (`WebsocketId`...): the job's events skip its socket.
    client = models.JSONField(default=dict, blank=True)
    created_on = models.DateTimeField(auto_now_add=True)
    updated_on = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-id",)

    def __str__(self) -> str:
        return f"{self.type} job {self.id} ({self.state})"
