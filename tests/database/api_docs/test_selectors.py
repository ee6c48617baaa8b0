"""The docs' gate and the per-field documentation, called directly."""

import pytest

from database.api_docs.selectors import database_docs, database_for_docs, field_doc
from database.applications.errors import ApplicationDoesNotExist
from database.fields.services import field_create
from tests.database.helpers import primary_of


def test_members_get_the_database(user, database_app):
    assert database_for_docs(user=user, database_id=database_app.id) == database_app


def test_outsiders_and_trashed_workspaces_see_no_database(user, other_user, database_app):
    with pytest.raises(ApplicationDoesNotExist):
        database_for_docs(user=other_user, database_id=database_app.id)
    with pytest.raises(ApplicationDoesNotExist):
        database_for_docs(user=user, database_id=987_654)
    database_app.workspace.trashed = True
    database_app.workspace.save(update_fields=["trashed"])
    with pytest.raises(ApplicationDoesNotExist):
        database_for_docs(user=user, database_id=database_app.id)


def test_tables_and_fields_come_in_their_order(make_table, database_app):
    second, first = make_table("Second"), make_table("First")
    second.order, first.order = 2, 1
    second.save(update_fields=["order"])
    first.save(update_fields=["order"])
    assert [t.name for t in database_docs(database=database_app)] == ["First", "Second"]


def test_a_single_link_allows_one_item(user, table, make_table):
    other = make_table("Other")
    link, _ = field_create(
        user=user,
        table=table,
        type="link_row",
        name="One",
        options={"link_row_table_id": other.id, "link_row_multiple_relationships": False},
    )
    doc = field_doc(link)
    assert doc.request_schema["maxItems"] == 1
    assert doc.request_example == [1]
    assert "link_row_has" in doc.filter_types and "equal" not in doc.filter_types


def test_the_primary_text_field_documents_its_type(table):
    doc = field_doc(primary_of(table))
    assert doc.primary and not doc.read_only and doc.key == f"field_{doc.id}"
    assert doc.request_schema == {"type": "string", "nullable": True, "description": "Any text."}
    assert doc.request_example == "string"
