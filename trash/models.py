"""What is in the trash: one entry per trashed item, until it is restored or deleted for good."""

from django.conf import settings
from django.db import models

from database.applications.models import Application
from workspaces.models import Workspace


class TrashEntry(models.Model):
    """A trashed workspace, application, table, field, view, row or batch of rows."""

    user_who_trashed = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    trashed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    trash_item_type = models.CharField(max_length=32)
    # The item's id; for a batch of rows ("rows") the entry's own id.
    trash_item_id = models.PositiveBigIntegerField()
    # Rows only: their table.
    parent_trash_item_id = models.PositiveBigIntegerField(null=True, blank=True)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.TextField(blank=True, default="")
    names = models.JSONField(null=True, blank=True)
    parent_name = models.TextField(null=True, blank=True)  # noqa: DJ001
    row_ids = models.JSONField(null=True, blank=True)
    # Tables: the links of other tables that went to the trash with the table.
    field_ids = models.JSONField(null=True, blank=True)
    should_be_permanently_deleted = models.BooleanField(default=False)

    class Meta:
        ordering = ("-trashed_at", "-id")
        indexes = (
            models.Index(
                fields=["trash_item_type", "trash_item_id", "parent_trash_item_id"],
                name="trash_entry_item_idx",
            ),
        )

    def __str__(self) -> str:
        return f"{self.trash_item_type} {self.trash_item_id}"
