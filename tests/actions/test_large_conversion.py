"""Undo of a type change filled by a `convert_field` job (PostgreSQL): the exact old cells."""

from database.fields.models import Field
from jobs.models import JobState
from tests.database.conftest import busy_table
from tests.database.helpers import insert_rows, values
from tests.database.test_large_conversion import (
    FIELDS,
    _conversion_jobs,
    _expected_ratings,
    _texts,
    add_field,
    chunked,
    postgresql,
)

__all__ = ["busy_table", "chunked"]


@postgresql
def test_undo_of_a_large_type_change_restores_the_exact_cells(make_session, busy_table, chunked):
    session = make_session("session-large")
    notes = add_field(busy_table, "Notes")
    texts = _texts(150)
    insert_rows(busy_table, [{notes.db_column: text} for text in texts])
    session.call("patch", f"{FIELDS}/{notes.id}/", {"type": "rating", "max_value": 10})
    assert values(busy_table, notes) == _expected_ratings(notes, texts, 10)
    assert [job.state for job in _conversion_jobs()] == [JobState.FINISHED]
    session.undo()
    assert Field.objects.get(id=notes.id).type == "text"
    assert values(busy_table, notes) == texts
    session.redo()
    assert values(busy_table, notes) == _expected_ratings(notes, texts, 10)
