"""Request bodies and the wire shape of database tokens (08-database-tokens.md)."""

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from database.applications.models import Application, ApplicationType
from database.tables.models import Table
from database.tokens import keys
from database.tokens.models import Token
from database.tokens.selectors import OPERATIONS, token_permissions
from workspaces.models import Workspace

NAME_MAX_LENGTH = Token._meta.get_field("name").max_length
MAX_ID = 2**63 - 1  # beyond SQL's bigint no row exists (and the number must not reach SQL)

SCOPE_SCHEMA = {
    "oneOf": [
        {"type": "boolean"},
        {
            "type": "array",
            "items": {
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "items": {
                    "oneOf": [
                        {"type": "string", "enum": ["database", "table"]},
                        {"type": "integer"},
                    ]
                },
            },
        },
    ]
}
PERMISSIONS_SCHEMA = {
    "type": "object",
    "properties": dict.fromkeys(OPERATIONS, SCOPE_SCHEMA),
    "required": list(OPERATIONS),
    "description": "Per operation: true (every table of the workspace), false, or a list of "
    '["database", id] and ["table", id].',
}


@extend_schema_field(PERMISSIONS_SCHEMA)
class TokenPermissionsField(serializers.Field):
    """The four operations, each true, false or a list of ["database"|"table", id], resolved
    to live databases and tables (still of any workspace: the service checks that)."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid_key": "Only create, read, update and delete keys are allowed.",
        "invalid_value": (
            "The value must either be a bool, or a list containing database or table ids "
            'like [["database", 1], ["table", 1]].'
        ),
        "invalid_instance_type": "The instance type can only be a database or table.",
        "invalid_table_id": "The table id {instance_id} is not valid.",
        "invalid_database_id": "The database id {instance_id} is not valid.",
    }

    def to_internal_value(self, data: Any) -> dict[str, bool | list]:
        if not isinstance(data, dict) or set(data) != set(OPERATIONS):
            self.fail("invalid_key")
        wanted: dict[str, set[int]] = {"database": set(), "table": set()}
        for value in data.values():
            if not isinstance(value, bool | list):
                self.fail("invalid_value")
            for entry in value if isinstance(value, list) else []:
                if not (
                    isinstance(entry, list)
                    and len(entry) == 2
                    and isinstance(entry[0], str)
                    and isinstance(entry[1], int)
                    and not isinstance(entry[1], bool)
                ):
                    self.fail("invalid_value")
                if entry[0] not in wanted:
                    self.fail("invalid_instance_type")
                wanted[entry[0]].add(entry[1])
        found = {
            "database": self._databases(wanted["database"]),
            "table": self._tables(wanted["table"]),
        }
        resolved: dict[str, bool | list] = {}
        for operation in OPERATIONS:
            value = data[operation]
            if isinstance(value, bool):
                resolved[operation] = value
                continue
            resolved[operation] = []
            for kind, instance_id in value:
                if instance_id not in found[kind]:
                    self.fail(f"invalid_{kind}_id", instance_id=instance_id)
                resolved[operation].append(found[kind][instance_id])
        return resolved

    @staticmethod
    def _databases(ids: set[int]) -> dict[int, Application]:
        ids = {i for i in ids if 0 < i <= MAX_ID}
        if not ids:
            return {}
        databases = Application.objects.filter(
            id__in=ids, type=ApplicationType.DATABASE, workspace__trashed=False
        )
        return {database.id: database for database in databases}

    @staticmethod
    def _tables(ids: set[int]) -> dict[int, Table]:
        ids = {i for i in ids if 0 < i <= MAX_ID}
        if not ids:
            return {}
        tables = Table.objects.select_related("database").filter(
            id__in=ids, database__trashed=False, database__workspace__trashed=False
        )
        return {table.id: table for table in tables}

    def to_representation(self, value: Any) -> Any:
        return value


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    workspace = serializers.PrimaryKeyRelatedField(queryset=Workspace.objects.all())


class TokenUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False)
    permissions = TokenPermissionsField(required=False)
    rotate_key = serializers.BooleanField(
        required=False, default=False, help_text="Give the token a new key; the old one dies."
    )


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    workspace = serializers.IntegerField(source="workspace_id")
    key = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    def get_key(self, token: Token) -> str | None:
        return keys.decrypt_key(token.key_encrypted)

    @extend_schema_field(PERMISSIONS_SCHEMA)
    def get_permissions(self, token: Token) -> dict:
        return token_permissions(token=token)


class TokenCheckSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='Always "OK".')


class TokenTableSerializer(serializers.Serializer):
    """A table as all-tables lists it: without `data_sync`."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    database_id = serializers.IntegerField()
