"""Sort indexes while others sort, write rows and change fields of the same table (PostgreSQL)."""

from django.db import transaction

from database.fields.services import field_create, field_delete
from database.rows.services import rows_create
from database.tables.models import Table
from database.views.filtering import sort_create, sort_delete
from database.views.models import View, ViewSort
from database.views.services import view_create
from tests.database.helpers import (
    POSTGRESQL_CONCURRENCY,
    primary_of,
    purge_trash,
    run_at_once,
)
from tests.database.views.test_sorts import sort_index_columns

pytestmark = POSTGRESQL_CONCURRENCY


def test_sorts_rows_and_field_changes_at_once(user, busy_table):
    table = busy_table
    name = primary_of(table)
    with transaction.atomic():
        extra, _ = field_create(user=user, table=table, type="number", name="Extra")
    views = [view_create(user=user, table_id=table.id, type="grid", name=f"V{n}") for n in range(4)]

    def sort_by_name(view: View, order: str):
        return lambda: sort_create(user=user, view_id=view.id, field=name.id, order=order)

    def write_rows():
        for _ in range(10):
            rows_create(table=Table.objects.get(id=table.id), items=[{name.db_column: "x"}])

    def drop_extra():
        with transaction.atomic():
            sort_create(user=user, view_id=views[3].id, field=extra.id)
        field_delete(user=user, field=extra)

    jobs = [
        sort_by_name(views[0], "ASC"),
        sort_by_name(views[1], "ASC"),
        sort_by_name(views[2], "DESC"),
        write_rows,
        write_rows,
        drop_extra,
    ]
    assert run_at_once(jobs) == []
    purge_trash()  # a trashed field keeps its column and sort index until the purge
    indexes = sort_index_columns(table)
    assert sorted(indexes.values()) == [[name.db_column, "order", "id"]] * 2  # ASC and DESC
    assert not ViewSort.objects.filter(view=views[3]).exists()
    for sort in ViewSort.objects.filter(view__table=table):
        sort_delete(user=user, sort_id=sort.id)
    assert sort_index_columns(table) == {}
