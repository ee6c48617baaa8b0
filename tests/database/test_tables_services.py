"""Table and application rules called without HTTP: initial data, duplication in SQL."""

import pytest
from django.db import connection

from database import table_models
from database.applications.errors import ApplicationDoesNotExist
from database.applications.models import Application
from database.applications.services import application_trash
from database.compose.applications import application_duplicate
from database.compose.tables import (
    FieldSpec,
    initial_content_from_data,
    table_create,
    table_delete,
    table_duplicate,
)
from database.fields import errors as field_errors
from database.fields.models import Field
from database.fields.services import field_create_unchecked
from database.tables import errors
from database.tables.models import Table
from database.tables.services import unused_name
from tests.database.helpers import insert_rows, purge_trash, read_rows
from workspaces.errors import UserNotInWorkspace


def add_field(table: Table, type: str, name: str, **options) -> Field:
    field, _ = field_create_unchecked(table=table, type=type, name=name, options=options)
    return field


def values(table: Table) -> list[dict]:
    """Rows keyed by field name (plus id and order), read through the real row code."""
    table = Table.objects.get(id=table.id)
    names = {f.db_column: f.name for f in Field.objects.filter(table=table)}
    return [{names.get(key, key): value for key, value in row.items()} for row in read_rows(table)]


# Initial data.


def test_initial_content_pads_rows_and_names_extra_columns():
    content = initial_content_from_data(data=[["A"], ["1", "2"], []], first_row_header=True)
    assert content.fields == [FieldSpec("A", "text"), FieldSpec("Field 2", "text")]
    assert content.rows == [["1", "2"], ["", ""]]


def test_initial_content_without_header_keeps_every_row():
    content = initial_content_from_data(data=[["a"], ["b"]])
    assert content.fields == [FieldSpec("Field 1", "text")]
    assert content.rows == [["a"], ["b"]]


def test_initial_content_checks(settings):
    with pytest.raises(errors.InvalidInitialTableData):
        initial_content_from_data(data=[])
    with pytest.raises(errors.InitialTableDataDuplicateName):
        initial_content_from_data(data=[["a", "a"]], first_row_header=True)
    with pytest.raises(field_errors.ReservedFieldName):
        initial_content_from_data(data=[["id"]], first_row_header=True)
    settings.MAX_FIELDS_PER_TABLE = 1
    with pytest.raises(field_errors.MaxFieldCountExceeded):
        initial_content_from_data(data=[["a", "b"]])
    settings.INITIAL_TABLE_DATA_LIMIT = 1
    with pytest.raises(errors.InitialTableDataLimitExceeded):
        initial_content_from_data(data=[["a"], ["b"]])


def test_unused_name_counts_up_and_fits_the_length():
    assert unused_name(name="T", taken=["T"], max_length=10) == "T 2"
    assert unused_name(name="T", taken=["T", "T 2", "T 3"], max_length=10) == "T 4"
    assert unused_name(name="T 2", taken=["T 2"], max_length=10) == "T 2 2"
    assert unused_name(name="x" * 10, taken=[], max_length=10) == "xxxxxxxx 2"


# The gate.


def test_services_check_membership_and_existence(other_user, database_app, table):
    with pytest.raises(UserNotInWorkspace):
        table_create(user=other_user, database_id=database_app.id, name="T")
    with pytest.raises(UserNotInWorkspace):
        table_duplicate(user=other_user, table_id=table.id)
    with pytest.raises(UserNotInWorkspace):
        table_delete(user=other_user, table_id=table.id)
    with pytest.raises(UserNotInWorkspace):
        application_duplicate(user=other_user, application_id=database_app.id)
    assert table.db_table in connection.introspection.table_names()


def test_a_trashed_database_takes_no_new_table(user, database_app):
    application_trash(user=user, application_id=database_app.id)
    with pytest.raises(ApplicationDoesNotExist):
        table_create(user=user, database_id=database_app.id, name="T")


# Duplicate a table.


@pytest.fixture
def full_table(table) -> Table:
    """A table with text, number, boolean and date fields and three rows, the last trashed."""
    (name,) = table.fields.all()
    add_field(table, "number", "Amount", number_decimal_places=2, number_negative=True)
    add_field(table, "boolean", "Done")
    add_field(table, "date", "Due", date_format="ISO")
    notes = add_field(table, "long_text", "Notes")
    Field.objects.filter(id=notes.id).update(order=9, description="Free text")
    table = Table.objects.get(id=table.id)
    columns = {f.name: f.db_column for f in Field.objects.filter(table=table)}
    insert_rows(
        table,
        [
            {
                columns["Name"]: "Ada",
                columns["Amount"]: "-1.50",
                columns["Done"]: True,
                columns["Due"]: "1843-07-01",
                columns["Notes"]: "first",
            },
            {columns["Name"]: "Alan"},
            {columns["Name"]: "Gone"},
        ],
    )
    model = table_models.get_model(table)
    model.objects.filter(**{name.db_column: "Gone"}).update(trashed=True)
    return table


def test_duplicate_copies_fields_with_their_types_and_options(user, full_table):
    copy = table_duplicate(user=user, table_id=full_table.id)
    assert (copy.name, copy.database_id) == ("Table 2", full_table.database_id)

    def shape(table):
        return [
            (f.name, f.type, f.primary, f.order, f.options, f.description, f.db_index)
            for f in Field.objects.filter(table=table)
        ]

    assert shape(copy) == shape(full_table)
    assert not set(copy.fields.values_list("id", flat=True)) & set(
        full_table.fields.values_list("id", flat=True)
    )


def test_duplicate_copies_the_live_rows_with_their_ids_and_values(user, full_table):
    copy = table_duplicate(user=user, table_id=full_table.id)
    live = [row for row in values(full_table) if row["Name"] != "Gone"]
    assert values(copy) == live
    assert live[0] | {"id": 1} == {
        "id": 1,
        "order": "1.00000000000000000000",
        "Name": "Ada",
        "Amount": "-1.50",
        "Done": True,
        "Due": "1843-07-01",
        "Notes": "first",
    }
    assert len(values(full_table)) == 2  # the original keeps its rows (trashed one hidden)


def test_rows_added_to_a_copy_get_the_next_ids(user, full_table):
    copy = table_duplicate(user=user, table_id=full_table.id)
    highest = max(row["id"] for row in values(copy))
    (new_id,) = insert_rows(copy, [{}])
    assert new_id == highest + 1


def test_duplicating_again_picks_the_next_free_name(user, table):
    names = [table_duplicate(user=user, table_id=table.id).name for _ in range(2)]
    assert names == ["Table 2", "Table 3"]
    copy = Table.objects.get(name="Table 2")
    assert table_duplicate(user=user, table_id=copy.id).name == "Table 2 2"


def test_a_copy_is_a_table_of_its_own(user, full_table):
    copy = table_duplicate(user=user, table_id=full_table.id)
    table_delete(user=user, table_id=full_table.id)
    purge_trash()
    assert full_table.db_table not in connection.introspection.table_names()
    assert [row["Name"] for row in values(copy)] == ["Ada", "Alan"]


# Duplicate a database.


def test_application_duplicate_copies_every_table(user, database_app, full_table, make_table):
    make_table("Second")
    copy = application_duplicate(user=user, application_id=database_app.id)
    assert (copy.name, copy.workspace_id, copy.type) == (
        "Test database 2",
        database_app.workspace_id,
        "database",
    )
    tables = list(Table.objects.filter(database=copy).order_by("order"))
    assert [(t.name, t.order) for t in tables] == [("Table", 1), ("Second", 2)]
    assert values(tables[0]) == values(full_table)
    assert Application.objects.get(id=database_app.id).name == "Test database"


def test_a_table_copy_links_where_the_original_links(user, table, make_table):
    other = make_table("Other")
    add_field(table, "link_row", "Other", link_row_table_id=other.id, has_related_field=True)
    copy = table_duplicate(user=user, table_id=table.id)
    (link,) = Field.objects.filter(table=copy, type="link_row")
    assert (link.name, link.link_row_table_id) == ("Other", other.id)
    # The copy's link has a reverse field of its own in the other table.
    reverse_fields = Field.objects.filter(table=other, type="link_row")
    assert {f.link_row_table_id for f in reverse_fields} == {table.id, copy.id}
    assert link.link_row_related_field_id in {f.id for f in reverse_fields}


def test_fields_reading_through_a_link_read_through_the_copied_link(user, table, make_table):
    other = make_table("Other")
    link = add_field(table, "link_row", "Other", link_row_table_id=other.id)
    (other_name,) = Field.objects.filter(table=other, primary=True)
    add_field(table, "count", "How many", through_field_id=link.id)
    add_field(
        table, "lookup", "Their names", through_field_id=link.id, target_field_id=other_name.id
    )
    Field.objects.filter(table=table, name="How many").update(order=0)  # before the link
    copy = table_duplicate(user=user, table_id=table.id)
    copied = {f.name: f for f in Field.objects.filter(table=copy)}
    assert copied["How many"].options["through_field_id"] == copied["Other"].id
    assert copied["Their names"].options["through_field_id"] == copied["Other"].id
    assert copied["Their names"].options["target_field_id"] == other_name.id
    assert copied["How many"].order == 0


def test_a_database_copy_links_its_own_tables(user, database_app, table, make_table):
    other = make_table("Other")
    link = add_field(table, "link_row", "Others", link_row_table_id=other.id)
    Field.objects.filter(id=link.link_row_related_field_id).update(name="Back")
    add_field(table, "link_row", "Myself", link_row_table_id=table.id)
    (other_name,) = Field.objects.filter(table=other, primary=True)
    add_field(table, "lookup", "Names", through_field_id=link.id, target_field_id=other_name.id)

    database_copy = application_duplicate(user=user, application_id=database_app.id)
    copies = {t.name: t for t in Table.objects.filter(database=database_copy)}
    fields = {(f.table_id, f.name): f for f in Field.objects.filter(table__database=database_copy)}
    others = fields[copies["Table"].id, "Others"]
    back = fields[copies["Other"].id, "Back"]
    assert (others.link_row_table_id, back.link_row_table_id) == (
        copies["Other"].id,
        copies["Table"].id,
    )
    assert others.link_row_related_field_id == back.id
    assert fields[copies["Table"].id, "Myself"].link_row_table_id == copies["Table"].id
    names = fields[copies["Table"].id, "Names"].options
    assert (names["through_field_id"], names["target_field_id"]) == (
        others.id,
        fields[copies["Other"].id, "Name"].id,
    )
    # The original database keeps exactly its own fields.
    assert Field.objects.filter(table__database=database_app).count() == 6
