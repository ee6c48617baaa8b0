"""Fixtures for the database app: a database in the user's workspace, tables, rows."""

import pytest
from django.db import transaction

from database import table_models
from database.applications.models import Application
from database.fields.registry import field_types
from database.fields.services import field_create_unchecked
from database.fields.types.text import TextFieldType
from database.tables.models import Table
from workspaces.models import WorkspaceUser


@pytest.fixture
def workspace(user):
    return WorkspaceUser.objects.filter(user=user).order_by("id").first().workspace


@pytest.fixture
def database_app(workspace) -> Application:
    return Application.objects.create(workspace=workspace, name="Test database")


@pytest.fixture
def make_table(database_app):
    """A table with its SQL table and a primary text field "Name" (no other fields, no rows)."""

    def make(name: str = "Table", database: Application | None = None) -> Table:
        with transaction.atomic():
            table = Table.objects.create(database=database or database_app, name=name)
            table_models.create_table_storage(table)
            field_create_unchecked(table=table, type="text", name="Name", options={}, primary=True)
        return Table.objects.get(id=table.id)

    return make


@pytest.fixture
def table(make_table) -> Table:
    return make_table()


@pytest.fixture
def busy_table(make_table):
    """A table for tests that commit (several threads): its SQL table is dropped at the end."""
    table = make_table("Busy")
    yield table
    with transaction.atomic():
        table_models.drop_table_storage(Table.objects.get(id=table.id))


class NeverPrimaryType(TextFieldType):
    """A text type that may not be the primary field, for that rule without link_row."""

    type = "test_never_primary"
    can_be_primary = False


@pytest.fixture
def never_primary_type(monkeypatch) -> str:
    """Registers NeverPrimaryType for one test only."""
    monkeypatch.setitem(field_types._items, NeverPrimaryType.type, NeverPrimaryType())
    return NeverPrimaryType.type
