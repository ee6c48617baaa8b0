"""Trash benchmark: trashing and restoring a field of a large table costs no table rewrite.

Builds a table with a text and a number field in its own PostgreSQL database, loads N rows
straight into its SQL table with COPY (as bench/rows.py does), then times the two API calls,
`DELETE /api/database/fields/{id}/` and `PATCH /api/trash/restore/`, through Django's request
handling with a real JWT (no HTTP socket), and checks that the cells came back.

    .venv/bin/python bench/trash_field.py --rows 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/bench_trash

The database is dropped and created again. This is a script, not a test: see bench/README.md.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
COPY_CHUNK = 100_000


def recreate_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_trash")
    args = parser.parse_args()
    recreate_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baserow_clone.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import AccessToken

    from database.applications.services import application_create_unchecked
    from database.compose.tables import table_create_unchecked
    from database.fields.services import field_create_unchecked
    from database.rows.counts import row_count_recount
    from users.services import user_create
    from workspaces.services import workspace_create_unchecked

    call_command("migrate", verbosity=0)
    user = user_create(name="Bench", email="bench@example.com", password="password123")
    workspace = workspace_create_unchecked(user=user, name="Bench").workspace
    with transaction.atomic():
        database = application_create_unchecked(workspace=workspace, name="Bench")
        table = table_create_unchecked(database=database, name="Big")
        notes, _ = field_create_unchecked(table=table, type="text", name="Bench notes", options={})
        amount, _ = field_create_unchecked(
            table=table, type="number", name="Bench amount", options={"number_decimal_places": 2}
        )
    started = time.perf_counter()
    columns = f'"id", "order", "created_on", "updated_on", "trashed", "{notes.db_column}", '
    columns += f'"{amount.db_column}"'
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{table.db_table}"')
        copy = f'COPY "{table.db_table}" ({columns}) FROM STDIN'
        with cursor.cursor.copy(copy) as writer:
            for n in range(1, args.rows + 1):
                writer.write_row((n, n, "now", "now", False, f"note {n}", n % 10_000))
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
            [f'"{table.db_table}"', args.rows],
        )
    row_count_recount(table=table)
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{table.db_table}"')
    print(f"loaded {args.rows:,} rows in {time.perf_counter() - started:.1f} s", flush=True)

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(user)}")
    trash_times, restore_times = [], []
    for _ in range(args.rounds):
        began = time.perf_counter()
        response = client.delete(f"/api/database/fields/{notes.id}/")
        trash_times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.content
        began = time.perf_counter()
        response = client.patch(
            "/api/trash/restore/",
            {"trash_item_type": "field", "trash_item_id": notes.id},
            format="json",
        )
        restore_times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 204, response.content
    last = client.get(f"/api/database/rows/table/{table.id}/{args.rows}/").json()
    assert last[notes.db_column] == f"note {args.rows}", last
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    print(f"{version.split(',')[0]}, {args.rows:,} rows, {args.rounds} rounds")
    for label, times in (("trash a field", trash_times), ("restore it", restore_times)):
        print(
            f"{label}: median {statistics.median(times):.1f} ms, "
            f"min {min(times):.1f} ms, max {max(times):.1f} ms"
        )


if __name__ == "__main__":
    main()
