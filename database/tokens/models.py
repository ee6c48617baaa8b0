"""Database tokens: keys that give scripts row access to the tables of one workspace."""

from django.conf import settings
from django.db import models

from database.applications.models import Application
from database.tables.models import Table
from workspaces.models import Workspace


class Operation(models.TextChoices):
    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    DELETE = "delete"


class Token(models.Model):
    """A user's token for one workspace. The key itself is never stored in clear (see keys.py)."""

    name = models.CharField(max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="database_tokens"
    )
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="database_tokens"
    )
    # HMAC-SHA256 of the key under a key derived from SECRET_KEY: what requests are matched on.
    key_hash = models.CharField(max_length=64, unique=True)
    # The key encrypted (Fernet) under another key derived from SECRET_KEY: what the owner reads.
    key_encrypted = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "database"
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class TokenPermission(models.Model):
    """One operation the token may run: on the whole workspace (no database nor table), on
    every table of a database, or on one table."""

    token = models.ForeignKey(Token, on_delete=models.CASCADE, related_name="permissions")
    type = models.CharField(max_length=6, choices=Operation.choices)
    database = models.ForeignKey(Application, on_delete=models.CASCADE, null=True, blank=True)
    table = models.ForeignKey(Table, on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        app_label = "database"
        ordering = ("id",)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(database__isnull=True) | models.Q(table__isnull=True),
                name="token_permission_one_scope",
            ),
        )

    def __str__(self) -> str:
        return f"{self.type} of token {self.token_id}"
