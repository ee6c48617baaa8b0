"""A table's webhooks, the events each listens to, and the log of its last calls."""

import uuid

from django.db import models

from database.fields.models import Field
from database.tables.models import Table
from database.views.models import View

REQUEST_METHODS = ("POST", "GET", "PUT", "PATCH", "DELETE")
EVENT_TYPES = (
    "rows.created",
    "rows.updated",
    "rows.deleted",
    "field.created",
    "field.updated",
    "field.deleted",
    "view.created",
    "view.updated",
    "view.deleted",
)


class TableWebhook(models.Model):
    """An outside URL called when the table's rows, fields or views change."""

    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="webhooks")
    name = models.CharField(max_length=255)
    url = models.TextField()
    request_method = models.CharField(
        max_length=10, choices=[(m, m) for m in REQUEST_METHODS], default="POST"
    )
    include_all_events = models.BooleanField(default=True)
    use_user_field_names = models.BooleanField(default=True)
    active = models.BooleanField(default=True)
    failed_triggers = models.IntegerField(default=0)
    headers = models.JSONField(default=dict)
    # While set and in the future, a worker is making the webhook's pending calls (its lease).
    draining_until = models.DateTimeField(null=True)
    created_on = models.DateTimeField(auto_now_add=True)
    updated_on = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class TableWebhookEvent(models.Model):
    """One event type a webhook listens to, narrowed to some fields or views."""

    webhook = models.ForeignKey(TableWebhook, on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField(max_length=50)
    fields = models.ManyToManyField(Field, related_name="+")
    views = models.ManyToManyField(View, related_name="+")

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.event_type


class TableWebhookCall(models.Model):
    """One call made to a webhook's URL (the last few are kept)."""

    webhook = models.ForeignKey(TableWebhook, on_delete=models.CASCADE, related_name="calls")
    event_id = models.UUIDField(default=uuid.uuid4)
    event_type = models.CharField(max_length=50)
    called_time = models.DateTimeField(null=True)
    called_url = models.TextField()
    request = models.TextField(blank=True, default="")
    response = models.TextField(blank=True, default="")
    response_status = models.IntegerField(null=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("-called_time", "-id")

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class TableWebhookPendingCall(models.Model):
    """A call waiting its turn: a webhook's calls are made one at a time, in commit order."""

    webhook = models.ForeignKey(
        TableWebhook, on_delete=models.CASCADE, related_name="pending_calls"
    )
    sequence = models.BigIntegerField()  # when its event was committed (ns): the calls' order
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=50)
    payload = models.JSONField()
    retries = models.IntegerField(default=0)
    not_before = models.DateTimeField(null=True)  # a failed call's next try

    class Meta:
        ordering = ("sequence", "id")
        indexes = (models.Index(fields=("webhook", "sequence", "id")),)

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"
