"""The undo/redo log: one entry per undoable action of a client session."""

from django.conf import settings
from django.db import models


class Action(models.Model):
    """An action a user did in a client session, with what undoing and redoing it needs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    session = models.CharField(max_length=256)
    action_group = models.UUIDField(null=True)
    type = models.CharField(max_length=128)
    scope = models.CharField(max_length=128)
    params = models.JSONField(default=dict)
    created_on = models.DateTimeField(auto_now_add=True)
    updated_on = models.DateTimeField(auto_now=True)
    undone_at = models.DateTimeField(null=True)
    error = models.TextField(blank=True, default="")  # why its undo or redo failed

    class Meta:
        indexes = (models.Index(fields=["user", "session", "-created_on"]),)

    def __str__(self) -> str:
        return f"{self.type} in {self.scope}"
