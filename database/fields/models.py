from django.db import models

from database.applications.models import LiveManager
from database.tables.models import Table


class Field(models.Model):
    """A column of a user table: `field_<id>` in its SQL table, typed by `type`.

    Type-specific properties live in `options`, validated by the field type's registry entry.
    """

    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="fields")
    name = models.CharField(max_length=255)
    type = models.CharField(max_length=64)
    order = models.PositiveIntegerField(default=0)
    primary = models.BooleanField(default=False)
    # null and "" differ on the wire: the contract returns null for no description.
    description = models.TextField(null=True, blank=True)  # noqa: DJ001
    db_index = models.BooleanField(default=False)
    options = models.JSONField(default=dict, blank=True)
    # link_row: the table it links to, its counterpart in that table, and the relation table.
    link_row_table = models.ForeignKey(
        Table, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    link_row_related_field = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link_row_relation_id = models.PositiveIntegerField(null=True, blank=True)
    created_on = models.DateTimeField(auto_now_add=True)
    # In the trash: left out of every read and of the table's model; its column stays.
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
    def db_column(self) -> str:
        return f"field_{self.id}"


class SelectOption(models.Model):
    """An option of a single or multiple select field; cells refer to it by id."""

    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="select_options")
    value = models.CharField(max_length=255, blank=True)
    color = models.CharField(max_length=255)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "database"
        ordering = ("order", "id")

    def __str__(self) -> str:
        return self.value
