import uuid

from django.db import models

from database.applications.models import Application, LiveManager


def new_schema_version() -> str:
    return uuid.uuid4().hex


class Table(models.Model):
    """A user table. Its rows live in the real SQL table `database_table_<id>`."""

    database = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(max_length=255)
    order = models.PositiveIntegerField(default=1)
    created_on = models.DateTimeField(auto_now_add=True)
    # A fresh random token in the transaction of every schema change; cached row models compare
    # against it. Random, so a rolled-back change can never leave a cache entry that a later
    # change would match.
    schema_version = models.CharField(max_length=32, default=new_schema_version)
    # In the trash: left out of every read; its SQL table stays until it is deleted for good.
    trashed = models.BooleanField(default=False)

    objects_and_trash = models.Manager()
    objects = LiveManager()

    class Meta:
        app_label = "database"
        default_manager_name = "objects"
        base_manager_name = "objects_and_trash"
        ordering = ("order", "id")

    def __str__(self) -> str:
        return self.name

    @property
    def db_table(self) -> str:
        return f"database_table_{self.id}"


class TableCounts(models.Model):
    """What row writes keep up to date about their table, in a row of its own.

    Not on the table's row: schema changes lock that row (`lock_table_schema`), and a row
    write that had to update it after writing the table's data would wait there for a schema
    change that waits for the write to end (a deadlock on PostgreSQL). No row until the first
    write: both figures are then 0 (database/rows/counts.py).
    """

    table = models.OneToOneField(
        Table, primary_key=True, on_delete=models.CASCADE, related_name="counts"
    )
    # Live (untrashed) rows, kept exact by every row write in its own transaction, so that an
    # unfiltered list never has to COUNT(*) a large table.
    row_count = models.BigIntegerField(default=0)
    # Moves on in the transaction of every write of row cells (create, update, delete): counts
    # of filtered rows are cached under it and the schema version (database/rows/counts.py).
    data_version = models.BigIntegerField(default=0)

    class Meta:
        app_label = "database"

    def __str__(self) -> str:
        return f"{self.table_id}: {self.row_count} rows, data version {self.data_version}"
