"""The model of table N.

Each user table is a real SQL table `database_table_<id>` with fixed columns (id, order,
created_on, updated_on, trashed) and one column `field_<id>` per field. This module builds the
Django model of such a table from its field metadata, caches it per process, and runs the DDL
that keeps the SQL schema in step with the metadata. Every schema change bumps
`Table.schema_version` (a random token) in its own transaction, which is how other processes
notice.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps.registry import Apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import NotSupportedError, connection, models

from database.conversion import BATCH, LOCK_CLASS, Backfill, convert_rows, write_converted
from database.fields.models import Field
from database.fields.registry import field_types
from database.tables.errors import FailedToLockTableDueToConflict
from database.tables.models import Table, new_schema_version

APP_LABEL = "database_tables"
CACHE_SIZE = 256

_cache: "OrderedDict[int, tuple[int, type[models.Model]]]" = OrderedDict()
_cache_lock = threading.Lock()


def model_name(table_id: int) -> str:
    return f"Table{table_id}Model"


def model_reference(table_id: int) -> str:
    """A lazy reference to a table's model, resolved inside the builder's registry."""
    return f"{APP_LABEL}.{model_name(table_id)}"


class ModelBuilder:
    """Builds the model of one table, and the small models its links point at, in one registry."""

    def __init__(self, table: Table) -> None:
        # An isolated registry per build: a rebuilt model never clashes with an older one.
        self.apps = Apps()
        self.table = table
        self._related_built: set[int] = {table.id}

    def define(self, name: str, db_table: str, attrs: dict[str, Any], indexes=()) -> type:
        meta = type(
            "Meta",
            (),
            {
                "apps": self.apps,
                "app_label": APP_LABEL,
                "db_table": db_table,
                # Managed, or the schema editor skips Meta.indexes; migrations never see this
                # registry, so nothing else reads the flag.
                "managed": True,
                "indexes": list(indexes),
                "ordering": ("order", "id") if "order" in attrs else (),
            },
        )
        return type(name, (models.Model,), {"__module__": __name__, "Meta": meta, **attrs})

    def fixed_columns(self) -> dict[str, Any]:
        """The columns every user table has: id, order, created_on, updated_on, trashed."""
        return {
            "id": models.BigAutoField(primary_key=True),
            "order": models.DecimalField(max_digits=40, decimal_places=20, default=1),
            "created_on": models.DateTimeField(auto_now_add=True),
            "updated_on": models.DateTimeField(auto_now=True),
            "trashed": models.BooleanField(default=False),
        }

    def build(self, fields: Iterable[Field]) -> type[models.Model]:
        fields = list(fields)
        attrs = self.fixed_columns()
        for field in fields:
            model_field = field_types.get(field.type).model_field(field, self)
            if model_field is not None:
                attrs[field.db_column] = model_field
        attrs["_table"] = self.table
        attrs["_fields"] = {field.id: field for field in fields}
        by_type: dict[str, list[Field]] = {}
        for field in fields:
            by_type.setdefault(field.type, []).append(field)
        for type_name, of_type in by_type.items():
            field_types.get(type_name).model_built(of_type)
        index = models.Index(fields=["order", "id"], name=f"tbl{self.table.id}_order_id")
        return self.define(model_name(self.table.id), self.table.db_table, attrs, [index])

    def related_table_model(self, table_id: int) -> str:
        """A lazy reference to the model of a linked table, defined here with its primary field."""
        if table_id not in self._related_built:
            self._related_built.add(table_id)
            table = Table.objects_and_trash.get(id=table_id)
            attrs = self.fixed_columns()
            for field in Field.objects.filter(table_id=table_id, primary=True):
                model_field = field_types.get(field.type).model_field(field, self)
                if model_field is not None and not model_field.many_to_many:
                    attrs[field.db_column] = model_field
            attrs["_table"] = table
            self.define(model_name(table_id), table.db_table, attrs)
        return model_reference(table_id)


def build_model(table: Table, fields: Iterable[Field] | None = None) -> type[models.Model]:
    """A fresh model of the table, with the given fields (default: its fields now)."""
    if fields is None:
        fields = Field.objects.filter(table_id=table.id).select_related("link_row_table")
    return ModelBuilder(table).build(fields)


def get_model(table: Table) -> type[models.Model]:
    """The model of the table at `table.schema_version`, from the cache when it is current."""
    with _cache_lock:
        hit = _cache.get(table.id)
        if hit is not None and hit[0] == table.schema_version:
            _cache.move_to_end(table.id)
            return hit[1]
    model = build_model(table)
    with _cache_lock:
        _cache[table.id] = (table.schema_version, model)
        _cache.move_to_end(table.id)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return model


def forget_model(table_id: int) -> None:
    with _cache_lock:
        _cache.pop(table_id, None)


# Locking and versions


def lock_table_schema(table: Table) -> Table:
    """Schema changes of one table go one at a time; returns the table re-read under the lock.

    On PostgreSQL every lock the rest of the transaction waits for (this one, and the DDL's
    on the table's data) gives up after SCHEMA_LOCK_TIMEOUT ms: a schema change behind long
    writes fails rather than queue, and so never holds up the table's readers for long.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)", [f"{settings.SCHEMA_LOCK_TIMEOUT}ms"]
            )
    return Table.objects.select_for_update().get(id=table.id)


def lock_table_for_rows(table: Table, *, advisory_key: int | None = None) -> Table:
    """Row writes may run side by side but never during a schema change of their table.

    Returns the table re-read under the lock, so its model matches the schema in the database.
    With `advisory_key` (PostgreSQL), the transaction-level advisory lock of that key is taken
    in the same round trip, after the table's lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if advisory_key is None:
                cursor.execute(
                    "SELECT schema_version FROM database_table WHERE id = %s FOR KEY SHARE",
                    [table.id],
                )
            else:
                # The CTE's row is locked before the outer projection calls the lock function.
                cursor.execute(
                    "WITH locked AS (SELECT schema_version FROM database_table WHERE id = %s "
                    "FOR KEY SHARE) SELECT schema_version, pg_advisory_xact_lock(%s) FROM locked",
                    [table.id, advisory_key],
                )
            row = cursor.fetchone()
        if row is None:
            raise Table.DoesNotExist()
        table.schema_version = row[0]
        return table
    # SQLite runs one writing transaction at a time: the read is current.
    return Table.objects.get(id=table.id)


def bump_schema_version(table: Table) -> None:
    """Mark the table's schema changed, and that of tables whose links show its primary field."""
    linking = Field.objects.filter(link_row_table_id=table.id).values("table_id")
    Table.objects.filter(models.Q(id=table.id) | models.Q(id__in=linking)).update(
        schema_version=new_schema_version()
    )
    table.refresh_from_db(fields=["schema_version"])


# DDL


def _sqlite_editor_class():
    base = connection.SchemaEditorClass

    class InTransactionEditor(base):
        """SQLite's editor without its foreign-key switch, which cannot run inside a transaction.

        User tables only ever get columns added, dropped or renamed, and whole tables created or
        dropped: SQLite does all of these in a transaction with foreign keys on. The table
        rebuilds that would need them off are refused rather than run half-safely.
        """

        def __enter__(self):
            return super(base, self).__enter__()

        def __exit__(self, exc_type, exc_value, traceback):
            return super(base, self).__exit__(exc_type, exc_value, traceback)

        def _remake_table(self, *args, **kwargs):
            raise NotSupportedError("user tables are never rebuilt on SQLite")

    return InTransactionEditor


@contextmanager
def schema_editor() -> Iterator[Any]:
    """A schema editor whose DDL joins the caller's transaction, on PostgreSQL and SQLite."""
    if connection.vendor == "sqlite":
        editor = _sqlite_editor_class()(connection, atomic=False)
    else:
        editor = connection.schema_editor(atomic=False)
    with editor:
        yield editor


def _existing_tables() -> set[str]:
    return set(connection.introspection.table_names())


def create_table_storage(table: Table) -> None:
    """Create the SQL table of a new table that has no fields yet."""
    with schema_editor() as editor:
        editor.create_model(build_model(table, fields=[]))


def drop_table_storage(table: Table, *, fields: list[Field] | None = None) -> None:
    """Drop the SQL table, and the relation tables no remaining field uses.

    `fields`: all the table's fields, trashed ones included (default: the live ones)."""
    model = build_model(table, fields)
    fields = list(model._fields.values())
    with schema_editor() as editor:
        for field in fields:
            _drop_relation_if_unused(editor, model, field, leaving={f.id for f in fields})
        editor.delete_model(model)
    forget_model(table.id)


def add_field_storage(field: Field) -> None:
    """Create the storage of a new field: its column, or its relation table."""
    # DDL needs only the table and this field: building the others would make N creates O(N^2).
    model = build_model(field.table, fields=[field])
    model_field = _model_field(model, field)
    if model_field is None:
        return
    with schema_editor() as editor:
        if model_field.many_to_many:
            through = model_field.remote_field.through
            if through._meta.db_table not in _existing_tables():
                editor.create_model(through)
        else:
            editor.add_field(model, model_field)
    create_search_statistics(field)


def search_statistics_name(field: Field) -> str:
    return f"tbl{field.table_id}_fld{field.id}_stx"


def create_search_statistics(field: Field) -> None:
    """PostgreSQL: statistics of `UPPER(column)` for a text field, the expression its search and
    `contains` filters compare.

    Without them the planner guesses how many rows a `LIKE '%term%'` keeps (a fraction of a
    percent for each column), and a search that keeps a few percent of a 100k-row table is
    planned as a scan of every row and a sort, instead of a walk along the row order that stops
    at the page's last row: 127 ms against 9 ms, measured. ANALYZE (autovacuum's included) fills
    them; they cost writes nothing, and go with the column when it is dropped.
    """
    if connection.vendor != "postgresql":  # 14 and later (as Django 5.2 requires)
        return
    if not field_types.get(field.type).trigram_searchable:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {quote(search_statistics_name(field))} "
            f"ON (UPPER({quote(field.db_column)})) FROM {quote(field.table.db_table)}"
        )


def remove_field_storage(field: Field, *, leaving: set[int] | None = None) -> None:
    """Drop the storage of a field that is about to be deleted (with the fields `leaving`)."""
    model = build_model(field.table, fields=[field])
    model_field = _model_field(model, field)
    if model_field is None:
        return
    with schema_editor() as editor:
        if model_field.many_to_many:
            _drop_relation_if_unused(editor, model, field, leaving=leaving or {field.id})
        else:
            drop_field_index(field)
            editor.remove_field(model, model_field)


def field_index_name(field: Field) -> str:
    return f"tbl{field.table_id}_fld{field.id}_idx"


def sync_field_index(field: Field) -> None:
    """Give the field's column the indexes its `db_index` asks for, or drop the ones it had.

    One b-tree over live rows (`WHERE NOT trashed`, as every row read filters), empty cells
    first: scanned forwards it serves ascending sorts, backwards descending ones, and it
    serves the range and equality filters on the column and their counts. On PostgreSQL with
    pg_trgm, text types also get a trigram index of `UPPER(column)`, the expression their
    case-insensitive search and `contains` filters compare, so a substring search reads the
    index instead of every row (when every searched column has one).
    """
    drop_field_index(field)
    field_type = field_types.get(field.type)
    if not (field.db_index and field_type.can_have_db_index):
        return
    quote = connection.ops.quote_name
    table, column = quote(field.table.db_table), quote(field.db_column)
    live = f"WHERE NOT {quote('trashed')}"
    # SQLite puts NULL first ascending anyway, and refuses the clause in an index.
    nulls = " NULLS FIRST" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX {quote(field_index_name(field))} ON {table} ({column} ASC{nulls}) {live}"
        )
        if field_type.trigram_searchable and trigram_available():
            cursor.execute(
                f"CREATE INDEX {quote(field_trigram_index_name(field))} ON {table} "
                f"USING gin (UPPER({column}) gin_trgm_ops) {live}"
            )


def field_trigram_index_name(field: Field) -> str:
    return f"tbl{field.table_id}_fld{field.id}_trgm"


def trigram_available() -> bool:
    """Whether PostgreSQL's pg_trgm extension is installed in the database (migration 0005)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def drop_field_index(field: Field) -> None:
    """Drop the field's indexes if it has any (SQLite refuses to drop an indexed column)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in (field_index_name(field), field_trigram_index_name(field)):
            cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


def _model_field(model: type[models.Model], field: Field) -> models.Field | None:
    try:
        return model._meta.get_field(field.db_column)
    except FieldDoesNotExist:  # the type keeps no storage of its own
        return None


def _drop_relation_if_unused(editor, model, field: Field, *, leaving: set[int]) -> None:
    model_field = _model_field(model, field)
    if model_field is None or not model_field.many_to_many:
        return
    # Only link_row relations are shared (by link_row_relation_id); other relation tables are not.
    if field.link_row_relation_id is not None:
        # A trashed counterpart still needs the relation: its restore brings the links back.
        others = Field.objects_and_trash.filter(link_row_relation_id=field.link_row_relation_id)
        if others.exclude(id__in=leaving).exists():
            return
    through = model_field.remote_field.through
    if through._meta.db_table in _existing_tables():
        editor.delete_model(through)


def _conversion_models(old_field: Field, new_field: Field):
    """The table's model with the old field, its old column (or None), the model with the new
    type's column added under the conversion's name (None for a new relation table) and that
    column (or the relation field, or None)."""
    table = new_field.table
    new_type = field_types.get(new_field.type)
    others = [f for f in Field.objects.filter(table_id=table.id) if f.id != new_field.id]
    old_model = build_model(table, [*others, old_field])
    old_model_field = _model_field(old_model, old_field)

    temp = Field(id=new_field.id, table=table, type=new_field.type, options=new_field.options)
    temp.link_row_table_id = new_field.link_row_table_id
    temp.link_row_relation_id = new_field.link_row_relation_id
    builder = ModelBuilder(table)
    new_model_field = new_type.model_field(temp, builder)
    if new_model_field is None or new_model_field.many_to_many:
        return old_model, old_model_field, None, new_model_field
    temp_column = Backfill(table.db_table, new_field.id).column
    model = _model_with(builder, old_model, old_field, {temp_column: new_model_field})
    return old_model, old_model_field, model, model._meta.get_field(temp_column)


def conversion_model(old_field: Field, new_field: Field) -> type[models.Model]:
    """The model a backfill of the field's new column writes through."""
    return _conversion_models(old_field, new_field)[2]


def start_backfill(old_field: Field, new_field: Field) -> Backfill:
    """PostgreSQL: add the new type's column, empty, and start noting the writes of the old one.

    In the caller's transaction, which holds the table's schema lock; leftovers of an earlier
    backfill of the field that never finished go first.
    """
    backfill = Backfill(new_field.table.db_table, new_field.id)
    backfill.discard()
    _, _, model, new_model_field = _conversion_models(old_field, new_field)
    with schema_editor() as editor:
        editor.add_field(model, new_model_field)
    backfill.start(old_field)
    return backfill


def convert_field_storage(
    old_field: Field, new_field: Field, *, backfill: Backfill | None = None
) -> None:
    """Move a field's data to the storage of its new type, keeping every value that converts.

    The new column is added under a temporary name and filled (in SQL when the new type says
    how, else in batches through text), then the old storage is dropped and the new column
    takes the field's column name. With a `backfill` the new column exists and is filled but
    for the rows written since: they are converted again under the table's lock.
    """
    old_model, old_model_field, model, new_model_field = _conversion_models(old_field, new_field)
    if model is not None:
        temp_column = new_model_field.name
        if backfill is not None:
            _finish_backfill(backfill, model, old_field, new_field)
        else:
            if connection.vendor == "postgresql":
                _lock_conversion(new_field)
                Backfill(model._meta.db_table, new_field.id).discard()  # an unfinished one's
            with schema_editor() as editor:
                editor.add_field(model, new_model_field)
            if old_model_field is not None and not old_model_field.many_to_many:
                convert_rows(model, old_field, new_field, temp_column)
            elif old_model_field is not None:
                relations = _relation_values(old_model_field)
                write_converted(model, old_field, new_field, temp_column, relations)
        with schema_editor() as editor:
            _remove_old_storage(editor, old_model, old_field, old_model_field)
            renamed = new_model_field.clone()
            renamed.set_attributes_from_name(new_field.db_column)
            renamed.model = model
            editor.alter_field(model, new_model_field, renamed)
        create_search_statistics(new_field)
    else:
        carried = _values_to_carry(old_model, old_field, old_model_field, new_model_field)
        with schema_editor() as editor:
            _remove_old_storage(editor, old_model, old_field, old_model_field)
        add_field_storage(new_field)
        if carried:
            _write_relations(old_field, new_field, carried)


def _lock_conversion(field: Field) -> None:
    """Refuse (as a conflict) to convert a field whose large conversion is under way."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_CLASS, field.id])
        if not cursor.fetchone()[0]:
            raise FailedToLockTableDueToConflict()


def _finish_backfill(backfill: Backfill, model, old_field: Field, new_field: Field) -> None:
    """Convert the rows written during the backfill again, with every writer kept out."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {quote(model._meta.db_table)} IN ACCESS EXCLUSIVE MODE")
    backfill.reconvert(model, old_field, new_field, backfill.take_written(remove=False))
    backfill.stop()


def _relation_values(model_field) -> list[tuple[int, list[int]]]:
    """Each row's related ids, in the order they were added, for a many-to-many field."""
    through = model_field.remote_field.through
    source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
    values: dict[int, list[int]] = {}
    for row_id, related_id in through.objects.order_by("id").values_list(source, target):
        values.setdefault(row_id, []).append(related_id)
    return list(values.items())


def _values_to_carry(old_model, old_field: Field, old_model_field, new_model_field) -> list:
    """The old values of a field moving into a relation table, read before its storage goes."""
    if old_model_field is None or new_model_field is None:
        return []
    if old_model_field.many_to_many:
        return _relation_values(old_model_field)
    rows = old_model.objects.exclude(**{f"{old_field.db_column}__isnull": True})
    return list(rows.order_by("id").values_list("id", old_field.db_column))


def _write_relations(old_field: Field, new_field: Field, carried: list[tuple[int, Any]]) -> None:
    """Fill the new relation table from the old values, converted through text."""
    model_field = build_model(new_field.table)._meta.get_field(new_field.db_column)
    through = model_field.remote_field.through
    source = through._meta.get_field(model_field.m2m_field_name()).attname
    target = through._meta.get_field(model_field.m2m_reverse_field_name()).attname
    texts = field_types.get(old_field.type).to_texts(old_field, [value for _, value in carried])
    values = field_types.get(new_field.type).from_texts(new_field, texts)
    rows = [
        through(**{source: row_id, target: related_id})
        for (row_id, _), related_ids in zip(carried, values, strict=True)
        for related_id in related_ids or ()
    ]
    through.objects.bulk_create(rows, batch_size=BATCH)


def _remove_old_storage(editor, old_model, old_field: Field, old_model_field) -> None:
    if old_model_field is None:
        return
    if old_model_field.many_to_many:
        _drop_relation_if_unused(editor, old_model, old_field, leaving={old_field.id})
    else:
        drop_field_index(old_field)
        editor.remove_field(old_model, old_model_field)


def _model_with(builder: ModelBuilder, old_model, old_field: Field, extra: dict) -> type:
    """The old model plus extra columns, in the builder's registry."""
    attrs = builder.fixed_columns()
    for model_field in old_model._meta.local_fields:
        if model_field.name not in attrs and not model_field.many_to_many:
            attrs[model_field.name] = model_field.clone()
    attrs.update(extra)
    attrs["_table"] = old_model._table
    attrs["_fields"] = {old_field.id: old_field}
    return builder.define(f"Conversion{old_field.id}", old_model._meta.db_table, attrs)


# Indexes serving the saved sorts of views

# One sort key: the column and whether it sorts descending.
SortKey = tuple[str, bool]


def sort_index_prefix(table_id: int) -> str:
    return f"tbl{table_id}_sort_"


def sort_index_name(table_id: int, keys: tuple[SortKey, ...]) -> str:
    """A name that is the same for the same sort keys, so equal sorts share one index."""
    spec = ",".join(f"{column}:{'d' if descending else 'a'}" for column, descending in keys)
    return f"{sort_index_prefix(table_id)}{hashlib.sha1(spec.encode()).hexdigest()[:16]}"


def sort_indexes(table: Table) -> set[str]:
    """The names of the sort indexes the table's SQL table has now, from the catalog."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table.db_table)
    prefix = sort_index_prefix(table.id)
    return {name for name, info in constraints.items() if info["index"] and name.startswith(prefix)}


def sync_sort_indexes(table: Table, wanted: Iterable[tuple[SortKey, ...]]) -> None:
    """Give the table exactly one index per wanted key list (then `order`, `id`), no other.

    Rows are sorted with empty cells first ascending and last descending; the index orders
    NULLs the same way (SQLite always puts NULL lowest, which is that order). The caller
    holds the table's schema lock.
    """
    by_name = {sort_index_name(table.id, tuple(keys)): tuple(keys) for keys in wanted if keys}
    existing = sort_indexes(table)
    quote = connection.ops.quote_name
    nulls = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for name in existing - by_name.keys():
            cursor.execute(f"DROP INDEX {quote(name)}")
        for name in by_name.keys() - existing:
            parts = []
            for column, descending in by_name[name]:
                direction = "DESC" if descending else "ASC"
                if nulls:
                    direction += " NULLS LAST" if descending else " NULLS FIRST"
                parts.append(f"{quote(column)} {direction}")
            parts += [f"{quote('order')} ASC", f"{quote('id')} ASC"]
            cursor.execute(
                f"CREATE INDEX {quote(name)} ON {quote(table.db_table)} ({', '.join(parts)})"
            )
