"""Wire shape of fields (05-fields.md)."""

from typing import Any

from rest_framework import serializers

from database.fields.models import Field
from database.fields.registry import field_types


def field_to_json(field: Field) -> dict[str, Any]:
    """The field object: the keys every type has, then the type's own."""
    field_type = field_types.get(field.type)
    table = field.table
    return {
        "id": field.id,
        "table_id": field.table_id,
        "name": field.name,
        "order": field.order,
        "type": field.type,
        "primary": field.primary,
        "read_only": field_type.read_only,
        "immutable_type": False,
        "immutable_properties": False,
        "description": field.description,
        "database_id": table.database_id,
        "workspace_id": table.database.workspace_id,
        "db_index": field.db_index,
        "field_constraints": [],
        **field_type.response_options(field),
    }


class FieldSerializer(serializers.Serializer):
    """For the OpenAPI spec: the keys every field has (type-specific keys follow them)."""

    id = serializers.IntegerField()
    table_id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    type = serializers.CharField()
    primary = serializers.BooleanField()
    read_only = serializers.BooleanField()
    immutable_type = serializers.BooleanField()
    immutable_properties = serializers.BooleanField()
    description = serializers.CharField(allow_null=True)
    database_id = serializers.IntegerField()
    workspace_id = serializers.IntegerField()
    db_index = serializers.BooleanField()
    field_constraints = serializers.ListField(child=serializers.DictField())


class FieldWithRelatedSerializer(FieldSerializer):
    related_fields = FieldSerializer(many=True)


class FieldCreateSerializer(serializers.Serializer):
    """The keys every type takes on create; type-specific keys are validated by the type."""

    name = serializers.CharField(max_length=10_000, allow_blank=True)
    type = serializers.ChoiceField(choices=())
    description = serializers.CharField(allow_null=True, allow_blank=True, required=False)
    db_index = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = field_types.names()


class FieldUpdateSerializer(FieldCreateSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["db_index"].default = serializers.empty
