"""A table with one field of each common type, plus a linked table, for the row API tests."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from database.fields.models import Field, SelectOption
from database.fields.services import field_create
from tests.database.helpers import insert_rows


def add(user, table, type_name, name, **options) -> Field:
    field, _ = field_create(user=user, table=table, type=type_name, name=name, options=options)
    return field


@pytest.fixture
def projects(make_table):
    return make_table("Projects")


@pytest.fixture
def people(user, table, projects):
    """`table` with Name, Age, Done, Status, Tags, Projects (link), Project count, Created."""
    colors = [{"value": "Open", "color": "blue"}, {"value": "Closed", "color": "red"}]
    fields = SimpleNamespace(
        name=Field.objects.get(table=table, primary=True),
        age=add(user, table, "number", "Age"),
        done=add(user, table, "boolean", "Done"),
        status=add(user, table, "single_select", "Status", select_options=colors),
        tags=add(user, table, "multiple_select", "Tags", select_options=colors),
        link=add(user, table, "link_row", "Projects", link_row_table_id=projects.id),
    )
    fields.count = add(user, table, "count", "Project count", through_field_id=fields.link.id)
    fields.created = add(user, table, "created_on", "Created")
    fields.open = SelectOption.objects.get(field=fields.status, value="Open")
    fields.closed = SelectOption.objects.get(field=fields.status, value="Closed")
    fields.tag_open = SelectOption.objects.get(field=fields.tags, value="Open")
    fields.project_name = Field.objects.get(table=projects, primary=True)
    return fields


@pytest.fixture
def five(table, people):
    """Ada 36, alan 41, Grace 85, Linus (no age), Margaret 36, in that table order."""
    name, age = people.name.db_column, people.age.db_column
    values = [("Ada", 36), ("alan", 41), ("Grace", 85), ("Linus", None), ("Margaret", 36)]
    return insert_rows(table, [{name: n, age: a} for n, a in values])


@pytest.fixture
def client(client_for, user):
    return client_for(user)


def list_url(table_id: int) -> str:
    return reverse("api:rows:list", kwargs={"table_id": table_id})


def item_url(table_id: int, row_id: int) -> str:
    return reverse("api:rows:item", kwargs={"table_id": table_id, "row_id": row_id})


def move_url(table_id: int, row_id: int) -> str:
    return reverse("api:rows:move", kwargs={"table_id": table_id, "row_id": row_id})


def batch_url(table_id: int) -> str:
    return reverse("api:rows:batch", kwargs={"table_id": table_id})


def batch_delete_url(table_id: int) -> str:
    return reverse("api:rows:batch_delete", kwargs={"table_id": table_id})
