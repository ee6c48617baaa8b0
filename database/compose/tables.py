"""Tables with their fields, rows and views: create, delete and duplicate (above every layer)."""

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.management.color import no_style
from django.db import connection, models, transaction

from database import table_models
from database.applications.models import Application
from database.applications.selectors import database_get
from database.fields import errors as field_errors
from database.fields.models import Field
from database.fields.registry import field_types
from database.fields.services import (
    MAX_NAME_LENGTH,
    RESERVED_NAMES,
    field_create_unchecked,
    field_delete_permanently,
    field_restore,
)
from database.rows.counts import row_count_recount
from database.rows.services import rows_append_unchecked
from database.tables import errors
from database.tables.models import Table
from database.tables.selectors import table_get
from database.tables.services import next_table_order, unused_name
from database.views.services import default_view_create, views_copy_unchecked
from events import announce
from events.signals import item_trashed
from jobs.dispatch import job_start
from jobs.models import Job
from users.models import User
from workspaces.permissions import require_member

# What creating a copy of a field that reads through a deleted link or field raises.
BROKEN_REFERENCES = (
    field_errors.InvalidCountThroughField,
    field_errors.InvalidLookupThroughField,
    field_errors.InvalidLookupTargetField,
)
# The row columns every user table has, copied as they are when a table is duplicated.
ROW_COLUMNS = ("id", "order", "created_on", "updated_on", "trashed")
TABLE_NAME_MAX_LENGTH = Table._meta.get_field("name").max_length
# Rows of initial data written per statement (and per progress step).
ROWS_PER_CHUNK = 5000


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    options: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class InitialContent:
    """The fields of a new table (the first is primary) and its rows, values in field order."""

    fields: Sequence[FieldSpec]
    rows: Sequence[Sequence[Any]]


# What a table created without data holds: three fields and two empty rows.
DEFAULT_CONTENT = InitialContent(
    fields=(
        FieldSpec("Name", "text"),
        FieldSpec("Notes", "long_text"),
        FieldSpec("Active", "boolean"),
    ),
    rows=((), ()),
)


def initial_content_from_data(
    *, data: list[list[str]], first_row_header: bool = False
) -> InitialContent:
    """One text field per column, named by the header row or "Field N"; short rows padded."""
    limit = settings.INITIAL_TABLE_DATA_LIMIT  # 0: no limit
    if limit and len(data) > limit:
        raise errors.InitialTableDataLimitExceeded(limit)
    column_count = max((len(row) for row in data), default=0)
    if column_count == 0:
        raise errors.InvalidInitialTableData()
    if column_count > settings.MAX_FIELDS_PER_TABLE:
        raise field_errors.MaxFieldCountExceeded()
    header, rows = (data[0], data[1:]) if first_row_header else ([], data)
    names = [str(name) for name in header]
    names += [f"Field {index}" for index in range(len(names) + 1, column_count + 1)]
    _check_initial_names(names)
    padded = [
        row if len(row) == column_count else [*row, *[""] * (column_count - len(row))]
        for row in rows
    ]
    return InitialContent(fields=[FieldSpec(name, "text") for name in names], rows=padded)


def _check_initial_names(names: list[str]) -> None:
    for name in names:
        if len(name) > MAX_NAME_LENGTH:
            raise field_errors.MaxFieldNameLengthExceeded()
        if not name.strip():
            raise field_errors.InvalidFieldName()
        if name in RESERVED_NAMES:
            raise field_errors.ReservedFieldName()
    if len(set(names)) != len(names):
        raise errors.InitialTableDataDuplicateName()


# Create.


# Told how far a long operation is, in percent; a job's runner may stop the operation from it.
Progress = Callable[[int], None]


def no_progress(percentage: int) -> None:
    """The progress callback of callers that show no progress."""


@transaction.atomic
def table_create_unchecked(
    *,
    database: Application,
    name: str,
    content: InitialContent = DEFAULT_CONTENT,
    progress: Progress = no_progress,
) -> Table:
    """Create a table, its SQL table, fields and rows. The caller has passed the gate."""
    table = Table.objects.create(database=database, name=name, order=next_table_order(database))
    table_models.create_table_storage(table)
    fields = [
        field_create_unchecked(
            table=table,
            type=spec.type,
            name=spec.name,
            options=dict(spec.options),
            primary=index == 0,
        )[0]
        for index, spec in enumerate(content.fields)
    ]
    progress(30)
    columns = [field.db_column for field in fields]
    total = len(content.rows)
    for start in range(0, total, ROWS_PER_CHUNK):
        # A row shorter than the fields leaves the rest to their defaults.
        chunk = content.rows[start : start + ROWS_PER_CHUNK]
        rows_append_unchecked(
            table=table, rows=[dict(zip(columns, row, strict=False)) for row in chunk]
        )
        progress(30 + 60 * (start + len(chunk)) // total)
    default_view_create(table=table)
    table.refresh_from_db()
    return table


def table_create(
    *,
    user: User,
    database_id: int,
    name: str,
    data: list[list[str]] | None = None,
    first_row_header: bool = False,
    progress: Progress = no_progress,
) -> Table:
    """Create a table in a database: the default content, or one text field per data column."""
    database = database_get(database_id=database_id)
    require_member(user=user, workspace=database.workspace)
    content = DEFAULT_CONTENT
    if data is not None:
        content = initial_content_from_data(data=data, first_row_header=first_row_header)
    table = table_create_unchecked(database=database, name=name, content=content, progress=progress)
    announce("table_created", workspace_id=database.workspace_id, user=user, table=table)
    return table


def table_create_async(
    *,
    user: User,
    database_id: int,
    name: str,
    data: list[list[str]] | None = None,
    first_row_header: bool = False,
) -> Job:
    """Start a file_import job creating the table; the data is checked before it starts."""
    database = database_get(database_id=database_id)
    require_member(user=user, workspace=database.workspace)
    if data is not None:
        initial_content_from_data(data=data, first_row_header=first_row_header)
    payload = {
        "database_id": database.id,
        "name": name,
        "data": data,
        "first_row_header": first_row_header,
    }
    return job_start(user=user, type="file_import", payload=payload)


# Delete.


@transaction.atomic
def table_delete(*, user: User, table_id: int) -> None:
    """Move a table to the trash, with the link fields of other tables to it; no data moves."""
    table = table_get(table_id=table_id, for_update=True)
    require_member(user=user, workspace=table.database.workspace)
    links_to_it = list(
        Field.objects.select_related("table").filter(link_row_table=table).exclude(table=table)
    )
    Table.objects.filter(id=table.id).update(trashed=True)
    Field.objects.filter(id__in=[link.id for link in links_to_it]).update(trashed=True)
    for linking_table in {link.table_id: link.table for link in links_to_it}.values():
        table_models.bump_schema_version(linking_table)
    item_trashed.send(
        sender=Table,
        trash_item_type="table",
        item=table,
        user=user,
        workspace_id=table.database.workspace_id,
        application_id=table.database_id,
        name=table.name,
        parent_name=table.database.name,
        field_ids=[link.id for link in links_to_it],
    )
    for link in links_to_it:
        announce(
            "field_deleted", table_id=link.table_id, user=user, field_id=link.id, related_fields=[]
        )
    announce(
        "table_deleted",
        workspace_id=table.database.workspace_id,
        user=user,
        table_id=table.id,
        database_id=table.database_id,
    )


@transaction.atomic
def table_restore(*, user: User | None, table: Table, field_ids: list[int]) -> Table:
    """Bring a trashed table back with its rows, and `field_ids`, the links of other tables
    that went to the trash with it."""
    Table.objects_and_trash.filter(id=table.id).update(trashed=False)
    table = table_get(table_id=table.id)
    links = Field.objects_and_trash.select_related("table__database").filter(
        id__in=field_ids, trashed=True
    )
    for link in links:
        if not link.table.trashed:
            field_restore(user=user, field=link)
    announce(
        "table_created",
        workspace_id=table.database.workspace_id,
        user=user,
        table=table,
    )
    return table


@transaction.atomic
def table_delete_permanently(*, table: Table) -> None:
    """Drop a trashed table's SQL table and relation tables, and the links of other tables."""
    # One at a time: deleting a link deletes its counterpart as well.
    links = Field.objects_and_trash.filter(link_row_table=table).exclude(table=table)
    while (link := links.select_related("table__database").first()) is not None:
        field_delete_permanently(field=link)
    fields = list(Field.objects_and_trash.filter(table=table))
    table_models.drop_table_storage(table, fields=fields)
    Table.objects_and_trash.filter(id=table.id).delete()


# Duplicate.


def _copy_order(fields: list[Field]) -> list[Field]:
    """The fields in the order their copies are made: each after those it depends on.

    Primary fields first, then plain fields, then links (whose reverse fields join copied
    tables), each type saying which fields its copy needs (`copy_dependencies`).
    """
    pending = sorted(
        fields,
        key=lambda f: (not f.primary, f.link_row_table_id is not None, f.table_id, f.order, f.id),
    )
    copied_ids = {field.id for field in fields}
    done: set[int] = set()
    ordered: list[Field] = []
    while pending:
        index = next(
            (
                index
                for index, field in enumerate(pending)
                if all(
                    dependency in done or dependency not in copied_ids
                    for dependency in field_types.get(field.type).copy_dependencies(field)
                )
            ),
            0,  # a cycle: the first goes, its references stay those of the original
        )
        field = pending.pop(index)
        done.add(field.id)
        ordered.append(field)
    return ordered


def field_copy_options(
    field: Field, table_ids: dict[int, int], field_ids: dict[int, int]
) -> dict[str, Any]:
    """The options making a field like `field`, its references moved to the copied ones."""
    return field_types.get(field.type).copy_options(field, table_ids=table_ids, field_ids=field_ids)


def _field_copy(
    field: Field, table: Table, table_ids: dict[int, int], field_ids: dict[int, int]
) -> Field:
    options = field_copy_options(field, table_ids, field_ids)
    try:
        with transaction.atomic():
            copy, _ = field_create_unchecked(
                table=table,
                type=field.type,
                name=field.name,
                options=options,
                description=field.description,
                db_index=field.db_index,
                primary=field.primary,
            )
    except BROKEN_REFERENCES:
        copy = _broken_field_copy(field, table, options)
    field_ids[field.id] = copy.id
    counterpart = field.link_row_related_field
    if counterpart is not None and counterpart.table_id in table_ids:
        # The link made its reverse field in a copied table: that copy is the counterpart's.
        Field.objects.filter(id=copy.link_row_related_field_id).update(
            name=counterpart.name, description=counterpart.description
        )
        field_ids[counterpart.id] = copy.link_row_related_field_id
    return copy


def _broken_field_copy(field: Field, table: Table, options: dict[str, Any]) -> Field:
    """A copy of a field whose references broke (a count without its link...), as broken."""
    table = table_models.lock_table_schema(table)
    copy = Field.objects.create(
        table=table,
        name=field.name,
        type=field.type,
        options=options,
        description=field.description,
        db_index=field.db_index,
        primary=field.primary,
        order=field.order,
    )
    table_models.add_field_storage(copy)
    if copy.db_index:
        table_models.sync_field_index(copy)
    table_models.bump_schema_version(table)
    return copy


def _plain_column(model: type[models.Model], field: Field) -> str | None:
    """The column holding the field's values in the row itself, if any."""
    try:
        model_field = model._meta.get_field(field.db_column)
    except FieldDoesNotExist:
        return None
    return None if model_field.is_relation else model_field.column


def rows_copy(*, source: Table, target: Table, field_ids: dict[int, int]) -> None:
    """Copy the live rows of `source` into the empty `target` in one INSERT ... SELECT.

    Rows keep their ids and order. Only values stored in the row itself are copied: the field
    types copy what they keep elsewhere (`copy_cells`). The caller holds the source's row lock.
    """
    source_model = table_models.get_model(source)
    target_model = table_models.build_model(target)
    columns = [(name, name) for name in ROW_COLUMNS]
    targets = {field.id: field for field in target_model._fields.values()}
    for old in source_model._fields.values():
        new = targets.get(field_ids.get(old.id))
        old_column = _plain_column(source_model, old)
        new_column = new and _plain_column(target_model, new)
        if old_column and new_column:
            columns.append((old_column, new_column))
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(target.db_table)} ({', '.join(quote(new) for _, new in columns)}) "
        f"SELECT {', '.join(quote(old) for old, _ in columns)} FROM {quote(source.db_table)} "
        f"WHERE {quote('trashed')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [False])
        # Rows came with their ids: the id sequence (PostgreSQL) must continue after them.
        for statement in connection.ops.sequence_reset_sql(no_style(), [target_model]):
            cursor.execute(statement)
    row_count_recount(table=target)


@transaction.atomic
def tables_copy_unchecked(
    *,
    sources: list[Table],
    database: Application,
    names: list[str],
    progress: Progress = no_progress,
) -> list[Table]:
    """New tables in `database` with the fields and rows of `sources`. The caller has checked.

    Links between the sources become links between the copies; other links point where they
    did, to the same rows. Each field type names the copies of copied fields in its options
    (`copy_options`) and copies the cells it keeps outside the row columns (`copy_cells`).
    """
    # No schema change of a source until its copy is made.
    sources = [table_models.lock_table_for_rows(source) for source in sources]
    copies = []
    for name in names:
        copy = Table.objects.create(database=database, name=name, order=next_table_order(database))
        table_models.create_table_storage(copy)
        copies.append(copy)
    copy_of = {source.id: copy for source, copy in zip(sources, copies, strict=True)}
    table_ids = {source_id: copy.id for source_id, copy in copy_of.items()}
    field_ids: dict[int, int] = {}
    fields = list(
        Field.objects.filter(table__in=sources).select_related("table", "link_row_related_field")
    )
    for field in _copy_order(fields):
        if field.id not in field_ids:  # not made already as the counterpart of a link
            _field_copy(field, copy_of[field.table_id], table_ids, field_ids)
    progress(20)
    for done, (source, copy) in enumerate(zip(sources, copies, strict=True), start=1):
        rows_copy(source=source, target=copy, field_ids=field_ids)
        views_copy_unchecked(source=source, target=copy, field_ids=field_ids)
        progress(20 + 70 * done // len(sources))
    # What lives outside the row columns: select options, relation tables...
    new_fields = Field.objects.select_related("table").in_bulk(list(field_ids.values()))
    for field in fields:
        new_field = new_fields[field_ids[field.id]]
        field_types.get(field.type).copy_cells(
            field, new_field, table_ids=table_ids, field_ids=field_ids
        )
    # Same field order as the originals, gaps included.
    for field in fields:
        Field.objects.filter(id=field_ids[field.id]).update(order=field.order)
    for copy in copies:
        # Models built while copying may hold field options changed since (select defaults).
        table_models.bump_schema_version(copy)
        copy.refresh_from_db()
    return copies


def table_duplicate(*, user: User, table_id: int, progress: Progress = no_progress) -> Table:
    """Copy a table with its fields and rows into its database, named `<name> 2`."""
    source = table_get(table_id=table_id)
    require_member(user=user, workspace=source.database.workspace)
    taken = Table.objects.filter(database=source.database).values_list("name", flat=True)
    name = unused_name(name=source.name, taken=taken, max_length=TABLE_NAME_MAX_LENGTH)
    (copy,) = tables_copy_unchecked(
        sources=[source], database=source.database, names=[name], progress=progress
    )
    announce("table_created", workspace_id=copy.database.workspace_id, user=user, table=copy)
    return copy


def table_duplicate_async(*, user: User, table_id: int) -> Job:
    """Start a duplicate_table job; access is checked before it starts."""
    table = table_get(table_id=table_id)
    require_member(user=user, workspace=table.database.workspace)
    return job_start(user=user, type="duplicate_table", payload={"table_id": table.id})
