"""What happened to rows: their change history (the `history` endpoint reads it)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from database.tables.models import Table


class RowHistory(models.Model):
    """One action on one row: the cells it changed, before and after, keyed `field_<id>`.

    The acting user is kept by id and name, so the entry outlives the account as it was.
    Entries go with their table; cells of fields deleted since are left out when read.
    """

    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="+")
    row_id = models.BigIntegerField()
    user_id = models.BigIntegerField(null=True)
    user_name = models.CharField(max_length=150, blank=True)
    action_type = models.CharField(max_length=64)
    action_timestamp = models.DateTimeField()
    before_values = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    after_values = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    fields_metadata = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        app_label = "database"
        indexes = (
            models.Index(
                fields=["table", "row_id", "-action_timestamp", "-id"], name="row_history_newest"
            ),
        )

    def __str__(self) -> str:
        return f"{self.action_type} of row {self.row_id} of table {self.table_id}"
