"""Filling the column of a field's new type from its old column, at once or in chunks.

Values move in SQL where the new type gives an exact expression, else through text in Python,
a batch at a time, each batch written in one statement (a VALUES list joined on the row id).

On PostgreSQL a large table is filled in chunks, each its own transaction, while the table's
writers go on writing the old column (`Backfill`): a trigger notes the rows they write, and the
swap to the new column, under the table's lock, converts those rows again.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

from database.fields.models import Field
from database.fields.registry import SqlConversion, field_types

BATCH = 2000
# The class of the advisory locks (two-key form, the field id second) of fields being converted.
LOCK_CLASS = 0x6376
# Passes over the rows written during a backfill before the swap converts the rest.
CATCH_UP_PASSES = 3


def write_column(model: type[models.Model], column: str, values: Iterable[tuple[int, Any]]):
    """Set one column of the rows named by id in `values` ((id, value) pairs), a batch of rows
    per UPDATE."""
    model_field = model._meta.get_field(column)
    quote = connection.ops.quote_name
    table, target = quote(model._meta.db_table), quote(model_field.column)
    value_sql = "%s"
    if connection.vendor == "postgresql":  # VALUES lists are typed by their first row
        value_sql = f"CAST(%s AS {model_field.db_type(connection)})"
    values = list(values)
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH):
            batch = values[start : start + BATCH]
            params: list[Any] = []
            for row_id, value in batch:
                params += [row_id, model_field.get_db_prep_save(value, connection)]
            rows = ", ".join([f"(%s, {value_sql})"] * len(batch))
            cursor.execute(
                f"WITH v (id, value) AS (VALUES {rows}) UPDATE {table} SET {target} = v.value "
                f"FROM v WHERE {table}.{quote('id')} = v.id",
                params,
            )


def convert_rows(
    model: type[models.Model],
    old_field: Field,
    new_field: Field,
    target: str,
    rows: models.Q | None = None,
) -> None:
    """Fill the column `target` from the old field's column, for every row or those of `rows`.

    Rows whose value does not convert are left as they are (NULL in a new column).
    """
    conversion = field_types.get(new_field.type).sql_conversion(old_field, new_field)
    expression, exact_for = conversion, None
    if isinstance(conversion, SqlConversion):
        expression, exact_for = conversion.expression, conversion.exact_for
    queryset = model.objects.all() if rows is None else model.objects.filter(rows)
    if expression is not None:
        (queryset if exact_for is None else queryset.filter(exact_for)).update(
            **{target: expression}
        )
        if exact_for is None:
            return
        queryset = queryset.exclude(exact_for)
    pending = queryset.order_by("id").values_list("id", old_field.db_column)
    batch: list[tuple[int, Any]] = []
    for row in pending.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) >= BATCH:
            write_converted(model, old_field, new_field, target, batch)
            batch = []
    if batch:
        write_converted(model, old_field, new_field, target, batch)


def write_converted(model, old_field: Field, new_field: Field, target: str, batch) -> None:
    """Convert old values ((row id, value) pairs) through text and write those that convert."""
    old_type, new_type = field_types.get(old_field.type), field_types.get(new_field.type)
    texts = old_type.to_texts(old_field, [value for _, value in batch])
    values = new_type.from_texts(new_field, texts)
    pairs = zip((row_id for row_id, _ in batch), values, strict=True)
    converted = [(row_id, value) for row_id, value in pairs if value is not None]
    write_column(model, target, converted)


@dataclass(frozen=True)
class Backfill:
    """The new column of a field being filled in chunks, and what notes its rows' writes.

    `conversion`: the type and options the field had and gets, (old type, old options, new
    type, new options), as the column was filled for.
    """

    db_table: str
    field_id: int
    conversion: tuple[str, dict, str, dict] | None = None

    def made_for(self, old_field: Field, new_field: Field) -> bool:
        """Whether the column was filled for this conversion of the field."""
        return self.field_id == new_field.id and self.conversion == (
            old_field.type,
            old_field.options,
            new_field.type,
            new_field.options,
        )

    @property
    def column(self) -> str:
        return f"field_{self.field_id}_conv"

    @property
    def written_rows(self) -> str:
        """The table of the ids of rows whose old cell was written during the backfill."""
        return f"{self.db_table}_fld{self.field_id}_written"

    @property
    def function(self) -> str:
        return f"{self.db_table}_fld{self.field_id}_note"

    def start(self, old_field: Field) -> None:
        """After the new column is added: note every row written from now on (PostgreSQL)."""
        quote = connection.ops.quote_name
        table, written = quote(self.db_table), quote(self.written_rows)
        old, function = quote(old_field.db_column), quote(self.function)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE UNLOGGED TABLE {written} (id bigint NOT NULL)")
            cursor.execute(
                f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN INSERT INTO {written} (id) VALUES (NEW.id); RETURN NULL; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER {quote(self.function + '_i')} AFTER INSERT ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
            cursor.execute(
                f"CREATE TRIGGER {quote(self.function + '_u')} AFTER UPDATE OF {old} ON {table} "
                f"FOR EACH ROW WHEN (OLD.{old} IS DISTINCT FROM NEW.{old}) "
                f"EXECUTE FUNCTION {function}()"
            )

    def take_written(self, *, remove: bool) -> list[int]:
        """The ids of the rows written since the last take (`remove`: forget them)."""
        written = connection.ops.quote_name(self.written_rows)
        with connection.cursor() as cursor:
            if remove:
                cursor.execute(f"DELETE FROM {written} RETURNING id")
            else:
                cursor.execute(f"SELECT id FROM {written}")
            return sorted({row_id for (row_id,) in cursor.fetchall()})

    def reconvert(self, model, old_field: Field, new_field: Field, row_ids: list[int]) -> None:
        """Convert these rows again: their old cells changed after their chunk was filled."""
        for start in range(0, len(row_ids), BATCH):
            ids = models.Q(id__in=row_ids[start : start + BATCH])
            model.objects.filter(ids).update(**{self.column: None})
            convert_rows(model, old_field, new_field, self.column, ids)

    def fill(
        self,
        model: type[models.Model],
        old_field: Field,
        new_field: Field,
        *,
        chunk_rows: int,
        pause: Callable[[], float],
        report: Callable[[int], None],
    ) -> None:
        """Fill the new column a chunk of row ids at a time, each chunk committed, then the
        rows written meanwhile; after each chunk rest `pause()` times as long as it took."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MIN(id), MAX(id) FROM {quote(self.db_table)}")
            lowest, highest = cursor.fetchone()
        starts = [] if lowest is None else list(range(lowest, highest + 1, chunk_rows))
        for done, start in enumerate(starts, 1):
            began = time.monotonic()
            with transaction.atomic():
                chunk = models.Q(id__gte=start, id__lt=start + chunk_rows)
                convert_rows(model, old_field, new_field, self.column, chunk)
            report(100 * done // (len(starts) + 1))
            time.sleep((time.monotonic() - began) * pause())
        # Catch up with the writers, so that little is left for the swap under the lock.
        for _ in range(CATCH_UP_PASSES):
            with transaction.atomic():
                written = self.take_written(remove=True)
                self.reconvert(model, old_field, new_field, written)
            if len(written) < BATCH:
                break

    def stop(self) -> None:
        """Stop noting writes: drop the triggers, their function and the noted ids."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"DROP FUNCTION IF EXISTS {quote(self.function)}() CASCADE")
            cursor.execute(f"DROP TABLE IF EXISTS {quote(self.written_rows)}")

    def discard(self) -> None:
        """Drop everything of the backfill, the new column too (what is left of it, if any)."""
        self.stop()
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER TABLE IF EXISTS {quote(self.db_table)} "
                f"DROP COLUMN IF EXISTS {quote(self.column)}"
            )
