"""View types: what each kind of view keeps (properties, field options) and supports."""

from typing import Any, ClassVar

from django.db import models
from rest_framework import serializers

from database.fields.models import Field
from database.fields.registry import field_types
from database.registry import Registry
from database.views.aggregations import aggregation_types
from database.views.models import (
    FormViewFieldOptions,
    GalleryViewFieldOptions,
    GridViewFieldOptions,
    View,
)
from user_files.selectors import user_files_found
from user_files.serializers import user_file_to_json

MAX_WIDTH = 2**31 - 1
MAX_ORDER = 2**31 - 1
MAX_CONDITIONS = 100


class ViewType:
    """One kind of view. A new one is a class plus a `register` line."""

    type: ClassVar[str]
    field_options_model: ClassVar[type[models.Model]]
    can_filter: ClassVar[bool] = True
    can_sort: ClassVar[bool] = True
    can_share: ClassVar[bool] = True
    can_group_by: ClassVar[bool] = False
    # Whether the view's public page follows the table's changes live (a form's does not).
    public_realtime: ClassVar[bool] = True

    def option_fields(self) -> dict[str, serializers.Field]:
        """Type-specific properties: name -> DRF field carrying its default. Fresh per call."""
        return {}

    def response_options(self, view: View) -> dict[str, Any]:
        """The type-specific keys of the view object on the wire."""
        defaults = {name: f.get_default() for name, f in self.option_fields().items()}
        return {name: view.options.get(name, default) for name, default in defaults.items()}

    def field_option_fields(self) -> dict[str, serializers.Field]:
        """The per-field options a client may change, as DRF fields. Fresh per call."""
        return {
            "hidden": serializers.BooleanField(required=False),
            "order": serializers.IntegerField(required=False, min_value=0, max_value=MAX_ORDER),
        }

    def field_options_json(self, options: models.Model) -> dict[str, Any]:
        return {name: getattr(options, name) for name in self.field_option_fields()}

    def new_field_options(self, view: View, field: Field) -> models.Model:
        """Unsaved default options of a field that has none yet in the view."""
        return self.field_options_model(view=view, field=field)

    def shows_field(self, options: models.Model) -> bool:
        """Whether the field is visible in the view (and so in its public version)."""
        return not options.hidden

    def clean_field_options(self, values: dict[str, Any]) -> dict[str, Any]:
        """Validated field options, completed before they are stored."""
        return values


class GridViewType(ViewType):
    type = "grid"
    field_options_model = GridViewFieldOptions
    can_group_by = True

    def option_fields(self):
        return {
            "row_identifier_type": serializers.ChoiceField(
                choices=["id", "count"], default="id", required=False
            ),
            "row_height_size": serializers.ChoiceField(
                choices=["small", "medium", "large"], default="small", required=False
            ),
        }

    def field_option_fields(self):
        return {
            "width": serializers.IntegerField(required=False, min_value=0, max_value=MAX_WIDTH),
            **super().field_option_fields(),
            "aggregation_type": serializers.CharField(
                required=False, allow_blank=True, max_length=48
            ),
            "aggregation_raw_type": serializers.ChoiceField(
                choices=["", *aggregation_types.names()], required=False
            ),
        }


class GalleryViewType(ViewType):
    type = "gallery"
    field_options_model = GalleryViewFieldOptions

    def option_fields(self):
        return {
            "card_cover_image_field": serializers.IntegerField(
                allow_null=True, default=None, required=False, min_value=1, max_value=2**63 - 1
            )
        }

    def new_field_options(self, view, field):
        # A new gallery shows its primary field on the cards, as Baserow's does.
        return self.field_options_model(view=view, field=field, hidden=not field.primary)


class FormViewType(ViewType):
    type = "form"
    field_options_model = FormViewFieldOptions
    can_filter = False
    can_sort = False
    public_realtime = False

    def option_fields(self):
        text = {"required": False, "allow_blank": True, "default": ""}
        return {
            "title": serializers.CharField(max_length=10_000, **text),
            "description": serializers.CharField(max_length=100_000, **text),
            "mode": serializers.ChoiceField(
                choices=["form", "survey"], default="form", required=False
            ),
            "submit_text": serializers.CharField(max_length=255, required=False, default="Submit"),
            "submit_action": serializers.ChoiceField(
                choices=["MESSAGE", "REDIRECT"], default="MESSAGE", required=False
            ),
            "submit_action_message": serializers.CharField(max_length=100_000, **text),
            "submit_action_redirect_url": serializers.CharField(max_length=2000, **text),
            "cover_image": UserFileNameField(),
            "logo_image": UserFileNameField(),
            "receive_notification_on_submit": serializers.BooleanField(
                default=False, required=False
            ),
        }

    def response_options(self, view):
        options = super().response_options(view)
        images = user_files_found([n for n in (options["cover_image"], options["logo_image"]) if n])
        for key in ("cover_image", "logo_image"):
            found = images.get(options[key])
            options[key] = user_file_to_json(found) if found else None
        return options

    def field_option_fields(self):
        return {
            "name": serializers.CharField(required=False, allow_blank=True, max_length=255),
            "description": serializers.CharField(
                required=False, allow_blank=True, max_length=100_000
            ),
            "enabled": serializers.BooleanField(required=False),
            "required": serializers.BooleanField(required=False),
            "show_when_matching_conditions": serializers.BooleanField(required=False),
            "condition_type": serializers.ChoiceField(choices=["AND", "OR"], required=False),
            "order": serializers.IntegerField(required=False, min_value=0, max_value=MAX_ORDER),
            "conditions": serializers.ListField(
                child=FormConditionSerializer(), max_length=MAX_CONDITIONS, required=False
            ),
            "condition_groups": FormConditionGroupsField(required=False),
            "field_component": serializers.CharField(required=False, max_length=32),
            "include_all_select_options": serializers.BooleanField(required=False),
            "allowed_select_options": serializers.ListField(
                child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                max_length=MAX_CONDITIONS,
                required=False,
            ),
        }

    def shows_field(self, options):
        return options.enabled and accepts_input(options.field)

    def clean_field_options(self, values):
        # Conditions keep the ids the client gave them; new ones without an id get the next.
        conditions = values.get("conditions")
        if conditions:
            next_id = max((c.get("id") or 0 for c in conditions), default=0) + 1
            for condition in conditions:
                if condition.get("id") is None:
                    condition["id"], next_id = next_id, next_id + 1
        return values


class UserFileNameField(serializers.Field):
    """A user file given as `{"name": ...}` (or null), kept as its storage name."""

    def __init__(self, **kwargs):
        super().__init__(default=None, allow_null=True, required=False, **kwargs)

    def to_internal_value(self, data):
        name = data.get("name") if isinstance(data, dict) else None
        if not isinstance(name, str) or not user_files_found([name]):
            raise serializers.ValidationError("The user file does not exist.", code="invalid")
        return name

    def to_representation(self, value):
        return value


class FormConditionSerializer(serializers.Serializer):
    """One condition on another field's answer; ids are the client's or given on save."""

    id = serializers.IntegerField(required=False, min_value=-(2**53), max_value=2**53)
    field = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    type = serializers.CharField(max_length=48)
    value = serializers.CharField(allow_blank=True, max_length=10_000, default="")
    group = serializers.IntegerField(required=False, allow_null=True, default=None)


class FormConditionGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=-(2**53), max_value=2**53)
    filter_type = serializers.ChoiceField(choices=["AND", "OR"], default="AND")
    parent_group = serializers.IntegerField(required=False, allow_null=True, default=None)


class FormConditionGroupsField(serializers.ListField):
    """Condition groups, parents before children (as Baserow checks)."""

    child = FormConditionGroupSerializer()

    def __init__(self, **kwargs):
        super().__init__(max_length=MAX_CONDITIONS, **kwargs)

    def to_internal_value(self, data):
        groups = super().to_internal_value(data)
        known: set[int | None] = {None}
        for group in groups:
            if group["parent_group"] not in known:
                raise serializers.ValidationError(
                    "Filter group references a non-existent parent group.", code="invalid"
                )
            known.add(group["id"])
        return groups


def accepts_input(field: Field) -> bool:
    """Whether a form can ask for the field (computed fields cannot be filled in)."""
    return not field_types.get(field.type).read_only


view_types: Registry[ViewType] = Registry("view")
for _view_type in (GridViewType(), GalleryViewType(), FormViewType()):
    view_types.register(_view_type)
