"""What the generated API docs of one database say, read through the field and filter registries."""

from dataclasses import dataclass
from typing import Any

from database.applications.errors import ApplicationDoesNotExist
from database.applications.models import Application
from database.applications.selectors import database_get
from database.fields.models import Field
from database.fields.registry import field_types
from database.rows.filters import register_builtin_filter_types
from database.rows.filters.registry import view_filter_types
from database.tables.models import Table
from users.models import User
from workspaces.errors import UserNotInWorkspace, WorkspaceDoesNotExist
from workspaces.permissions import require_member


@dataclass(frozen=True)
class FieldDoc:
    """One field as the docs show it: what it accepts and returns, with examples."""

    id: int
    name: str
    type: str
    primary: bool
    read_only: bool
    description: str
    request_schema: dict[str, Any] | None  # None: read-only, left out of requests
    response_schema: dict[str, Any]
    request_example: Any
    response_example: Any
    filter_types: list[str]

    @property
    def key(self) -> str:
        return f"field_{self.id}"


@dataclass(frozen=True)
class TableDoc:
    """One table of the database and its fields in display order."""

    id: int
    name: str
    fields: list[FieldDoc]

    def request_example(self, *, user_field_names: bool = False) -> dict[str, Any]:
        """A body creating a row: every writable field with its example value."""
        return {
            (field.name if user_field_names else field.key): field.request_example
            for field in self.fields
            if not field.read_only
        }

    def response_example(self, *, user_field_names: bool = False) -> dict[str, Any]:
        """A row as the API returns it: `id`, `order`, then every field."""
        row: dict[str, Any] = {"id": 1, "order": "1.00000000000000000000"}
        for field in self.fields:
            row[field.name if user_field_names else field.key] = field.response_example
        return row


def database_for_docs(*, user: User, database_id: int) -> Application:
    """The database, for the members of its workspace; to anyone else it does not exist."""
    database = database_get(database_id=database_id)
    try:
        require_member(user=user, workspace=database.workspace)
    except (UserNotInWorkspace, WorkspaceDoesNotExist):
        raise ApplicationDoesNotExist() from None
    return database


def field_doc(field: Field) -> FieldDoc:
    """How one field reads and writes on the wire, from its type's documentation hooks."""
    field_type = field_types.get(field.type)
    read_only = field_type.read_only
    response_schema = field_type.openapi_schema(field, for_request=False)
    return FieldDoc(
        id=field.id,
        name=field.name,
        type=field.type,
        primary=field.primary,
        read_only=read_only,
        description=field.description or "",
        request_schema=None if read_only else field_type.openapi_schema(field, for_request=True),
        response_schema=response_schema,
        request_example=None if read_only else field_type.example_value(field, for_request=True),
        response_example=field_type.example_value(field, for_request=False),
        filter_types=[
            filter_type.type
            for filter_type in view_filter_types
            if filter_type.is_compatible(field)
        ],
    )


def database_docs(*, database: Application) -> list[TableDoc]:
    """The tables of a database with their fields, by table order then field order."""
    register_builtin_filter_types()
    tables = list(Table.objects.filter(database=database).order_by("order", "id"))
    fields = Field.objects.filter(table__in=tables).order_by("order", "id")
    by_table: dict[int, list[FieldDoc]] = {table.id: [] for table in tables}
    for field in fields:
        by_table[field.table_id].append(field_doc(field))
    return [TableDoc(id=t.id, name=t.name, fields=by_table[t.id]) for t in tables]


def filter_type_names() -> list[str]:
    """Every registered filter type, in registration order."""
    register_builtin_filter_types()
    return view_filter_types.names()
