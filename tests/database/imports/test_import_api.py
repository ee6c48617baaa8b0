"""POST /api/database/tables/{id}/import/async/: inline rows and files, per-row errors."""

import io
import json
from decimal import Decimal
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.test import TestCase

from database.fields.models import SelectOption
from database.imports.services import CHUNK_ROWS, import_run, table_import_async
from database.tables.selectors import table_counts
from database.tokens.services import token_create
from jobs.progress import JobProgress
from tests.database.helpers import add_field, insert_rows, primary_of, read_rows
from tests.database.tokens.conftest import client_with_key, key_of
from user_files.services import user_file_upload

EXPORT = "/api/database/export"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client(client_for, user):
    return client_for(user)


@pytest.fixture
def fields(table):
    return {
        "name": primary_of(table),
        "age": add_field(table, "Age", "number"),
        "active": add_field(table, "Active", "boolean"),
    }


def import_url(table_id: int) -> str:
    return f"/api/database/tables/{table_id}/import/async/"


def run_import(client, table_id: int, body: dict) -> dict:
    """POST the import, then the job polled once it has run (on commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(import_url(table_id), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "pending"
    return client.get(f"/api/jobs/{response.json()['id']}/").json()


def uploaded(user, name: str, content: bytes) -> str:
    return user_file_upload(user=user, file=io.BytesIO(content), original_name=name).name


def cells(table, *fields) -> list[list]:
    return [[row[field.db_column] for field in fields] for row in read_rows(table)]


def test_inline_rows_with_a_failing_row(client, table, fields):
    data = [["Ada", "36", "true"], ["Bob", "not a number", "false"], ["Cy", None, "yes"]]

    job = run_import(client, table.id, {"data": data})

    assert (job["type"], job["state"], job["table_id"]) == ("file_import", "finished", table.id)
    assert list(job["report"]["failing_rows"]) == ["1"]
    failure = job["report"]["failing_rows"]["1"]
    assert failure[fields["age"].db_column][0]["code"] == "invalid"
    assert cells(table, fields["name"], fields["age"], fields["active"]) == [
        ["Ada", "36", True],
        ["Cy", None, True],
    ]
    assert client.get(f"/api/jobs/{job['id']}/").json() == job


def test_skipped_fields_and_short_rows(client, table, fields):
    body = {"data": [["Ada", "true"]], "configuration": {"skipped_fields": [fields["age"].id]}}

    run_import(client, table.id, body)

    assert cells(table, fields["name"], fields["age"], fields["active"]) == [["Ada", None, True]]


@pytest.mark.parametrize(
    ("name", "kind", "content", "extra"),
    [
        ("people.csv", "csv", b"Name,Active,Age,Unknown\nAda,true,36,x\nBob,false,oops,y\n", {}),
        ("people.tsv", "tsv", b"Name\tActive\tAge\nAda\ttrue\t36\nBob\tfalse\toops\n", {}),
        (
            "people.csv",
            "csv",
            "Name;Active;Age\nAda;true;36\nBob;false;oops\n".encode("cp1252"),
            {"csv_column_separator": ";", "encoding": "cp1252"},
        ),
        (
            "people.json",
            "json",
            json.dumps(
                [{"Name": "Ada", "Age": "36", "Active": True}, {"Name": "Bob", "Age": "oops"}]
            ).encode(),
            {},
        ),
        (
            "people.xml",
            "xml",
            b"<rows><row><name>Ada</name><age>36</age><active>true</active></row>"
            b"<row><name>Bob</name><age>oops</age></row></rows>",
            {},
        ),
    ],
)
def test_files_map_columns_by_header(client, user, table, fields, name, kind, content, extra):
    file = {"name": uploaded(user, name, content), "type": kind, **extra}

    job = run_import(client, table.id, {"file": file})

    assert job["state"] == "finished", job
    assert list(job["report"]["failing_rows"]) == ["1"]
    assert cells(table, fields["name"], fields["age"], fields["active"]) == [["Ada", "36", True]]


def test_a_file_without_header_is_positional(client, user, table, fields):
    file = {
        "name": uploaded(user, "a.csv", b"Ada,36,true\n"),
        "type": "csv",
        "first_row_header": False,
    }

    run_import(client, table.id, {"file": file})

    assert cells(table, fields["name"], fields["age"], fields["active"]) == [["Ada", "36", True]]


def test_an_unreadable_file_fails_the_job(client, user, table, fields):
    file = {"name": uploaded(user, "bad.json", b"{not json"), "type": "json"}

    job = run_import(client, table.id, {"file": file})

    assert (job["state"], job["human_readable_error"]) == ("failed", "The file could not be read.")
    assert read_rows(table) == []


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "ERROR_REQUEST_BODY_VALIDATION"),
        ({"data": [["a"]], "file": {"name": "x", "type": "csv"}}, "ERROR_REQUEST_BODY_VALIDATION"),
        ({"file": {"name": "x", "type": "pdf"}}, "ERROR_REQUEST_BODY_VALIDATION"),
        (
            {"file": {"name": "x", "type": "csv", "encoding": "nope"}},
            "ERROR_REQUEST_BODY_VALIDATION",
        ),
        ({"data": "rows"}, "ERROR_REQUEST_BODY_VALIDATION"),
        ({"file": {"name": "missing", "type": "csv"}}, "ERROR_USER_FILE_DOES_NOT_EXIST"),
    ],
)
def test_invalid_requests(client, table, body, error):
    response = client.post(import_url(table.id), body, format="json")

    assert (response.status_code, response.json()["error"]) == (400, error)


def test_access(client, client_for, other_user, api_client, user, workspace, table):
    outsider = client_for(other_user).post(import_url(table.id), {"data": [["x"]]}, format="json")
    missing = client.post(import_url(999999), {"data": [["x"]]}, format="json")
    token = client_with_key(key_of(token_create(user=user, workspace=workspace, name="S")))

    assert outsider.json()["error"] == "ERROR_USER_NOT_IN_GROUP"
    assert (missing.status_code, missing.json()["error"]) == (404, "ERROR_TABLE_DOES_NOT_EXIST")
    assert token.post(import_url(table.id), {"data": [["x"]]}, format="json").status_code == 401
    assert (
        api_client.post(import_url(table.id), {"data": [["x"]]}, format="json").status_code == 401
    )
    assert read_rows(table) == []


@pytest.fixture
def every_type(user, table, make_table):
    """One field of each writable type, two rows of values and one empty row."""
    other = make_table("Other")
    insert_rows(
        other, [{primary_of(other).db_column: "Apollo"}, {primary_of(other).db_column: "Gemini"}]
    )
    options = [{"value": "Red", "color": "red"}, {"value": "Blue", "color": "blue"}]
    made = {
        "text": primary_of(table),
        "long_text": add_field(table, "Notes", "long_text"),
        "url": add_field(table, "Site", "url"),
        "email": add_field(table, "Mail", "email"),
        "phone_number": add_field(table, "Phone", "phone_number"),
        "number": add_field(
            table, "Amount", "number", number_decimal_places=2, number_negative=True
        ),
        "rating": add_field(table, "Stars", "rating"),
        "boolean": add_field(table, "Done", "boolean"),
        "date": add_field(table, "Due", "date"),
        "datetime": add_field(table, "At", "date", date_include_time=True),
        "duration": add_field(table, "Took", "duration", duration_format="h:mm"),
        "single_select": add_field(table, "Color", "single_select", select_options=options),
        "multiple_select": add_field(table, "Tags", "multiple_select", select_options=options),
        "link_row": add_field(table, "Missions", "link_row", link_row_table_id=other.id),
        "file": add_field(table, "Files", "file"),
    }
    single = SelectOption.objects.filter(field_id=made["single_select"].id).order_by("order")
    tags = SelectOption.objects.filter(field_id=made["multiple_select"].id).order_by("order")
    document = uploaded(user, "doc, v1 (final).pdf", b"%PDF")
    full = {
        "text": 'Ada, "the" first',
        "long_text": "two\nlines",
        "url": "https://example.com/a?b=1",
        "email": "ada@example.com",
        "phone_number": "+44 20 7946 0000",
        "number": "1234.50",
        "rating": 4,
        "boolean": True,
        "date": "2024-05-01",
        "datetime": "2024-05-01T10:30:00Z",
        "duration": 5400,
        "single_select": single[1].id,
        "multiple_select": [tags[0].id, tags[1].id],
        "link_row": [1, 2],
        "file": [{"name": document, "visible_name": "doc, v1 (final).pdf"}],
    }
    partial = {"text": "Bob", "number": "-3.00", "single_select": single[0].id, "link_row": [2]}
    rows = [full, partial, {}]
    insert_rows(table, [{made[key].db_column: value for key, value in row.items()} for row in rows])
    return made


def cells_of(table) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in ("id", "order")} for row in read_rows(table)]


@pytest.mark.parametrize(
    ("kind", "file_type"), [("csv", "csv"), ("json", "json"), ("xml", "xml"), ("excel", "xlsx")]
)
def test_export_then_import_gives_the_same_cells(client, user, table, every_type, kind, file_type):
    before = [
        {k: v for k, v in row.items() if k not in ("id", "order")} for row in read_rows(table)
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(f"{EXPORT}/table/{table.id}/", {"exporter_type": kind}, format="json")
    job = client.get(f"{EXPORT}/{started.json()['id']}/").json()
    exported = client.get(urlsplit(job["url"]).path)
    content = b"".join(exported.streaming_content)
    client.post(
        f"/api/database/rows/table/{table.id}/batch-delete/",
        {"items": [r["id"] for r in read_rows(table)]},
        format="json",
    )
    assert read_rows(table) == []

    file = {"name": uploaded(user, f"export.{file_type}", content), "type": file_type}
    imported = run_import(client, table.id, {"file": file})

    assert imported["report"]["failing_rows"] == {}, imported
    assert cells_of(table) == before


def test_an_excel_file_maps_columns_by_header(client, user, table, fields):
    workbook = openpyxl.Workbook()
    for row in (["Name", "Age", "Active"], ["Ada", 36, True], ["Bob", "oops", False], [None]):
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    file = {"name": uploaded(user, "people.xlsx", content.getvalue()), "type": "xlsx"}

    job = run_import(client, table.id, {"file": file})

    assert list(job["report"]["failing_rows"]) == ["1"]
    assert cells(table, fields["name"], fields["age"], fields["active"]) == [["Ada", "36", True]]


class RecordedProgress(JobProgress):
    """The job's progress, with every percentage it was given kept."""

    def __init__(self, job_id: int) -> None:
        super().__init__(job_id)
        self.steps: list[int] = []

    def set(self, percentage: int) -> None:
        super().set(percentage)
        self.steps.append(self.percentage)


def test_a_large_file_goes_in_chunks_with_progress(user, table, fields):
    count = CHUNK_ROWS * 2 + 3
    lines = [f"Row {n},{n},{'true' if n % 2 else 'false'}" for n in range(1, count + 1)]
    lines[CHUNK_ROWS + 1] = "Bad,not a number,true"  # the first row of the second chunk
    content = ("Name,Age,Active\n" + "\n".join(lines) + "\n").encode()
    file = {"name": uploaded(user, "many.csv", content), "type": "csv"}
    with TestCase.captureOnCommitCallbacks(execute=False):
        job = table_import_async(user=user, table_id=table.id, file=file)
    progress = RecordedProgress(job.id)

    result = import_run(job, progress)

    assert list(result["report"]["failing_rows"]) == [str(CHUNK_ROWS + 1)]
    assert len(progress.steps) == 3
    assert progress.steps == sorted(progress.steps)
    assert progress.steps[-1] == 99
    rows = read_rows(table)
    assert len(rows) == count - 1
    assert [row["id"] for row in rows] == list(range(1, count))
    assert [Decimal(row["order"]) for row in rows] == list(range(1, count))
    assert rows[-1][fields["name"].db_column] == f"Row {count}"
    assert table_counts(table)[0] == count - 1


def test_computed_cells_of_imported_rows_are_filled(client, table, fields):
    number = add_field(table, "No", "autonumber")
    insert_rows(table, [{fields["name"].db_column: "First"}])

    run_import(client, table.id, {"data": [["Ada"], ["Bob"]]})

    assert cells(table, fields["name"], number) == [["First", 1], ["Ada", 2], ["Bob", 3]]
