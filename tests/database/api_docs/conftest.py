"""A database whose main table has one field of every registered type, for the API docs tests."""

import pytest

from database.fields.models import Field
from database.fields.registry import field_types
from database.fields.services import field_create
from tests.database.helpers import insert_rows, primary_of


def _options(user, table, projects) -> dict[str, dict]:
    """Options making one field of each type; link_row comes first (count and lookup need it)."""
    link, _ = field_create(
        user=user,
        table=table,
        type="link_row",
        name="Projects",
        options={"link_row_table_id": projects.id, "has_related_field": False},
    )
    target = primary_of(projects)
    options = {"color": "blue"}
    return {
        "link_row": {},  # made above
        "text": {"text_default": "hello"},
        "long_text": {},
        "url": {},
        "email": {},
        "phone_number": {},
        "boolean": {},
        "number": {"number_decimal_places": 2, "number_negative": True},
        "rating": {"max_value": 10},
        "date": {"date_include_time": True},
        "created_on": {},
        "last_modified": {"date_include_time": True},
        "autonumber": {},
        "duration": {"duration_format": "h:mm:ss"},
        "single_select": {
            "select_options": [{"value": "Open", **options}, {"value": "Done", **options}]
        },
        "multiple_select": {
            "select_options": [{"value": "Red", **options}, {"value": "Green", **options}]
        },
        "count": {"through_field_id": link.id},
        "lookup": {"through_field_id": link.id, "target_field_id": target.id},
        "file": {},
    }


@pytest.fixture
def projects(make_table):
    """A second table, with row 1 named "Apollo" for the link examples to point at."""
    projects = make_table("Projects")
    insert_rows(projects, [{primary_of(projects).db_column: "Apollo"}])
    return projects


@pytest.fixture
def every_type_table(user, make_table, projects):
    """A table with one field of each type the field registry has."""
    table = make_table("Every type")
    options = _options(user, table, projects)
    assert set(options) == set(field_types.names()), "a new field type needs options here"
    for type_name, type_options in options.items():
        if type_name != "link_row":
            field_create(
                user=user, table=table, type=type_name, name=f"A {type_name}", options=type_options
            )
    assert {f.type for f in Field.objects.filter(table=table)} == set(field_types.names())
    return table
