"""Views of a table: their filters, filter groups, sorts and per-field options."""

import secrets

from django.conf import settings
from django.db import models

from database.applications.models import LiveManager
from database.fields.models import Field
from database.tables.models import Table

DEFAULT_FIELD_ORDER = 32767
FILTER_TYPES = (("AND", "And"), ("OR", "Or"))
SORT_ORDERS = (("ASC", "Ascending"), ("DESC", "Descending"))


def new_slug() -> str:
    """The random, unguessable part of a public view's address."""
    return secrets.token_urlsafe(32)


class OfLiveFieldManager(models.Manager):
    """Those of fields that are not in the trash: they come back with the field."""

    def get_queryset(self):
        return super().get_queryset().filter(field__trashed=False)


class View(models.Model):
    """A saved way of looking at a table; `type` names its registry entry (grid, form, gallery).

    Type-specific properties live in `options`, validated by the view type.
    """

    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="views")
    name = models.CharField(max_length=255)
    order = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=32)
    filter_type = models.CharField(max_length=3, choices=FILTER_TYPES, default="AND")
    filters_disabled = models.BooleanField(default=False)
    public = models.BooleanField(default=False)
    slug = models.CharField(max_length=64, unique=True, default=new_slug)
    # A Django password hash; "" when the public view has no password.
    public_view_password = models.CharField(max_length=256, blank=True, default="")
    show_logo = models.BooleanField(default=True)
    allow_public_export = models.BooleanField(default=False)
    ownership_type = models.CharField(max_length=32, default="collaborative")
    owned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    options = models.JSONField(default=dict, blank=True)
    created_on = models.DateTimeField(auto_now_add=True)
    # In the trash: left out of every read, with its filters, sorts and field options.
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


class ViewFilterGroup(models.Model):
    """A nested AND/OR group of a view's filters."""

    view = models.ForeignKey(View, on_delete=models.CASCADE, related_name="filter_groups")
    filter_type = models.CharField(max_length=3, choices=FILTER_TYPES, default="AND")
    parent_group = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        app_label = "database"
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.filter_type} group of view {self.view_id}"


class ViewFilter(models.Model):
    """One saved filter: the filter type applied to a field with a string value."""

    view = models.ForeignKey(View, on_delete=models.CASCADE, related_name="filters")
    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="view_filters")
    type = models.CharField(max_length=64)
    value = models.TextField(blank=True, default="")
    group = models.ForeignKey(
        ViewFilterGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="filters"
    )

    objects = OfLiveFieldManager()

    class Meta:
        app_label = "database"
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.type} filter on field {self.field_id}"


class ViewSort(models.Model):
    """One saved sort of a view; a field sorts a view at most once."""

    view = models.ForeignKey(View, on_delete=models.CASCADE, related_name="sortings")
    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="view_sorts")
    order = models.CharField(max_length=4, choices=SORT_ORDERS, default="ASC")
    type = models.CharField(max_length=32, default="default")

    objects = OfLiveFieldManager()

    class Meta:
        app_label = "database"
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(fields=["view", "field"], name="view_sort_unique_field"),
        )

    def __str__(self) -> str:
        return f"{self.order} sort on field {self.field_id}"


class ViewGroupBy(models.Model):
    """One saved grouping of a view's rows by a field; groups order before the sorts."""

    view = models.ForeignKey(View, on_delete=models.CASCADE, related_name="group_bys")
    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="view_group_bys")
    order = models.CharField(max_length=4, choices=SORT_ORDERS, default="ASC")
    width = models.PositiveIntegerField(default=200)
    type = models.CharField(max_length=32, default="default")

    objects = OfLiveFieldManager()

    class Meta:
        app_label = "database"
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(fields=["view", "field"], name="view_group_by_unique_field"),
        )

    def __str__(self) -> str:
        return f"{self.order} group by field {self.field_id}"


class FieldOptions(models.Model):
    """What every view type keeps per field: its position and whether it shows."""

    view = models.ForeignKey(View, on_delete=models.CASCADE, related_name="+")
    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="+")
    hidden = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=DEFAULT_FIELD_ORDER)

    objects = OfLiveFieldManager()

    class Meta:
        abstract = True
        app_label = "database"
        ordering = ("field_id",)

    def __str__(self) -> str:
        return f"options of field {self.field_id} in view {self.view_id}"


class GridViewFieldOptions(FieldOptions):
    width = models.PositiveIntegerField(default=200)
    aggregation_type = models.CharField(max_length=48, blank=True, default="")
    aggregation_raw_type = models.CharField(max_length=48, blank=True, default="")

    class Meta(FieldOptions.Meta):
        constraints = (
            models.UniqueConstraint(fields=["view", "field"], name="grid_options_unique_field"),
        )


class GalleryViewFieldOptions(FieldOptions):
    # A gallery card shows only the fields chosen for it.
    hidden = models.BooleanField(default=True)

    class Meta(FieldOptions.Meta):
        constraints = (
            models.UniqueConstraint(fields=["view", "field"], name="gallery_options_unique_field"),
        )


class FormViewFieldOptions(FieldOptions):
    name = models.CharField(max_length=255, blank=True, default="")
    description = models.TextField(blank=True, default="")
    enabled = models.BooleanField(default=False)
    required = models.BooleanField(default=True)
    # The field is asked only when the other fields' answers match its conditions.
    show_when_matching_conditions = models.BooleanField(default=False)
    condition_type = models.CharField(max_length=3, choices=FILTER_TYPES, default="AND")
    # [{"id", "field", "type", "value", "group"}] and [{"id", "filter_type", "parent_group"}]
    conditions = models.JSONField(default=list, blank=True)
    condition_groups = models.JSONField(default=list, blank=True)
    field_component = models.CharField(max_length=32, default="default")
    include_all_select_options = models.BooleanField(default=True)
    allowed_select_options = models.JSONField(default=list, blank=True)

    class Meta(FieldOptions.Meta):
        constraints = (
            models.UniqueConstraint(fields=["view", "field"], name="form_options_unique_field"),
        )
