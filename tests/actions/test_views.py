"""Undo and redo of a view's filters, sorts, field options and settings."""

import pytest

from database.views.models import View, ViewFilter, ViewSort
from tests.database.helpers import add_field, primary_of

V = "/api/database/views/"


@pytest.fixture
def view(session, table):
    return session.call("post", f"{V}table/{table.id}/", {"name": "Grid", "type": "grid"})


def _filters(view):
    return list(ViewFilter.objects.filter(view_id=view["id"]).values_list("type", "value"))


def test_filter_create_update_delete_undone_and_redone(session, table, view):
    name = primary_of(table)
    scope = {"view": view["id"]}
    item = session.call(
        "post", f"{V}{view['id']}/filters/", {"field": name.id, "type": "equal", "value": "a"}
    )
    session.call("patch", f"{V}filter/{item['id']}/", {"value": "b"})
    session.call("delete", f"{V}filter/{item['id']}/", status=204)
    assert _filters(view) == []
    undone = session.undo(scope)
    assert undone["actions"] == [
        {"action_type": "delete_view_filter", "action_scope": f"view{view['id']}"}
    ]
    assert _filters(view) == [("equal", "b")]
    assert session.undo(scope)["actions"][0]["action_type"] == "update_view_filter"
    assert _filters(view) == [("equal", "a")]
    assert session.undo(scope)["actions"][0]["action_type"] == "create_view_filter"
    assert _filters(view) == []
    for expected in ([("equal", "a")], [("equal", "b")], []):
        assert session.redo(scope)["result_code"] == "SUCCESS"
        assert _filters(view) == expected


def test_sort_create_update_delete_undone_and_redone(session, table, view):
    name = primary_of(table)
    sort = session.call("post", f"{V}{view['id']}/sortings/", {"field": name.id, "order": "ASC"})
    session.call("patch", f"{V}sort/{sort['id']}/", {"order": "DESC"})
    session.call("delete", f"{V}sort/{sort['id']}/", status=204)

    def orders():
        return list(ViewSort.objects.filter(view_id=view["id"]).values_list("order", flat=True))

    types = [session.undo()["actions"][0]["action_type"] for _ in range(3)]
    assert types == ["delete_view_sort", "update_view_sort", "create_view_sort"]
    assert orders() == []
    session.redo()
    assert orders() == ["ASC"]
    session.redo()
    assert orders() == ["DESC"]
    session.redo()
    assert orders() == []


def test_field_options_undone_and_redone(session, table, view):
    notes = add_field(table, "Notes")
    url = f"{V}{view['id']}/field-options/"
    before = session.call("get", url)["field_options"][str(notes.id)]
    session.call("patch", url, {"field_options": {str(notes.id): {"hidden": True, "width": 333}}})
    assert session.undo()["actions"][0]["action_type"] == "update_view_field_options"
    after_undo = session.call("get", url)["field_options"][str(notes.id)]
    assert (after_undo["hidden"], after_undo["width"]) == (before["hidden"], before["width"])
    session.redo()
    redone = session.call("get", url)["field_options"][str(notes.id)]
    assert (redone["hidden"], redone["width"]) == (True, 333)


def test_view_update_undone_and_redone(session, view):
    session.call("patch", f"{V}{view['id']}/", {"name": "Renamed", "filter_type": "OR"})
    assert session.undo()["actions"][0]["action_type"] == "update_view"
    restored = View.objects.get(id=view["id"])
    assert (restored.name, restored.filter_type) == ("Grid", "AND")
    session.redo()
    redone = View.objects.get(id=view["id"])
    assert (redone.name, redone.filter_type) == ("Renamed", "OR")
