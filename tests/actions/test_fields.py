"""Undo and redo of field changes; a type conversion undone gives back the exact old cells."""

from database.fields.models import Field
from tests.database.helpers import add_field, primary_of, read_rows


def _cells(table, field):
    return [row[field.db_column] for row in read_rows(table)]


def test_text_to_number_and_back_gives_the_original_texts(session, table):
    name = primary_of(table)
    amount = add_field(table, "Amount")
    texts = ["12", "abc", "3.75", "", None, "  7  ", "1e3", "99999999999999999999999999"]
    url = f"/api/database/rows/table/{table.id}/batch/"
    session.call(
        "post",
        url,
        {"items": [{name.db_column: str(i), amount.db_column: t} for i, t in enumerate(texts)]},
    )
    field_url = f"/api/database/fields/{amount.id}/"
    changed = session.call("patch", field_url, {"type": "number", "number_decimal_places": 0})
    assert changed["type"] == "number"
    assert _cells(table, amount) != texts
    result = session.undo({"table": table.id})
    assert result["actions"] == [
        {"action_type": "update_field", "action_scope": f"table{table.id}"}
    ]
    assert Field.objects.get(id=amount.id).type == "text"
    assert _cells(table, amount) == texts
    session.redo()
    assert Field.objects.get(id=amount.id).type == "number"
    numbers = _cells(table, amount)
    assert numbers[0] == "12"
    session.undo()
    assert _cells(table, amount) == texts
    session.redo()
    assert _cells(table, amount) == numbers


def test_field_rename_undone_and_redone(session, table):
    notes = add_field(table, "Notes")
    session.call("patch", f"/api/database/fields/{notes.id}/", {"name": "Remarks"})
    session.undo()
    assert Field.objects.get(id=notes.id).name == "Notes"
    session.redo()
    assert Field.objects.get(id=notes.id).name == "Remarks"


def test_field_options_of_a_type_undone(session, table):
    price = add_field(table, "Price", type="number", number_decimal_places=1)
    session.call("patch", f"/api/database/fields/{price.id}/", {"number_decimal_places": 3})
    assert Field.objects.get(id=price.id).options["number_decimal_places"] == 3
    session.undo()
    assert Field.objects.get(id=price.id).options["number_decimal_places"] == 1
    session.redo()
    assert Field.objects.get(id=price.id).options["number_decimal_places"] == 3


def test_single_select_to_text_undone_gives_back_options_and_cells(session, table):
    options = [{"value": "A", "color": "blue"}, {"value": "B", "color": "red"}]
    field = session.call(
        "post",
        f"/api/database/fields/table/{table.id}/",
        {"name": "S", "type": "single_select", "select_options": options},
    )
    column = f"field_{field['id']}"
    made = field["select_options"]
    items = [{column: made[0]["id"]}, {column: made[1]["id"]}, {column: None}]
    session.call("post", f"/api/database/rows/table/{table.id}/batch/", {"items": items})

    def shown():
        return [None if c is None else (c["value"], c["color"]) for c in _cells_of(column)]

    def _cells_of(key):
        return [row[key] for row in read_rows(table)]

    original = [("A", "blue"), ("B", "red"), None]
    assert shown() == original
    session.call("patch", f"/api/database/fields/{field['id']}/", {"type": "text"})
    assert _cells_of(column) == ["A", "B", None]
    session.undo()
    back = session.call("get", f"/api/database/fields/{field['id']}/")
    assert [(o["value"], o["color"]) for o in back["select_options"]] == [
        ("A", "blue"),
        ("B", "red"),
    ]
    assert shown() == original
    session.redo()
    assert _cells_of(column) == ["A", "B", None]
    session.undo()
    assert shown() == original
