"""POST /api/database/tables/database/{id}/async/ with `file`: a new table read from an
uploaded CSV, TSV, JSON, XML or Excel file on the server, as a file_import job."""

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest

from database.compose.tables import ROWS_PER_CHUNK
from database.fields.models import Field
from database.tables.models import Table
from database.tables.selectors import table_counts
from database.tokens.services import token_create
from jobs.models import Job
from tests.database.helpers import read_rows
from tests.database.tokens.conftest import client_with_key, key_of
from user_files.services import user_file_upload


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client(client_for, user):
    return client_for(user)


def create_url(database_id: int) -> str:
    return f"/api/database/tables/database/{database_id}/async/"


def uploaded(user, name: str, content: bytes) -> str:
    return user_file_upload(user=user, file=io.BytesIO(content), original_name=name).name


def xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_of(job: dict) -> tuple[list[tuple[str, str, bool]], list[list]]:
    """The new table's fields (name, type, primary) and its rows' cells in field order."""
    fields = list(Field.objects.filter(table_id=job["table_id"]).order_by("order", "id"))
    rows = read_rows(Table.objects.get(id=job["table_id"]))
    return (
        [(field.name, field.type, field.primary) for field in fields],
        [[row[field.db_column] for field in fields] for row in rows],
    )


PEOPLE = [("Name", "text", True), ("Age", "text", False), ("Active", "text", False)]


@pytest.mark.parametrize(
    ("name", "kind", "content", "extra"),
    [
        ("people.csv", "csv", b"Name,Age,Active\nAda,36,true\nBob,,false\n", {}),
        ("people.tsv", "tsv", b"Name\tAge\tActive\nAda\t36\ttrue\nBob\t\tfalse\n", {}),
        (
            "people.csv",
            "csv",
            "Name;Age;Active\nAda;36;true\nBob;;false\n".encode("cp1252"),
            {"csv_column_separator": ";", "encoding": "cp1252"},
        ),
        (
            "people.json",
            "json",
            json.dumps(
                [
                    {"Name": "Ada", "Age": 36, "Active": True},
                    {"Name": "Bob", "Age": None, "Active": False},
                ]
            ).encode(),
            {},
        ),
        (
            "people.xml",
            "xml",
            b"<rows><row><Name>Ada</Name><Age>36</Age><Active>true</Active></row>"
            b"<row><Name>Bob</Name><Age></Age><Active>false</Active></row></rows>",
            {},
        ),
        (
            "people.xlsx",
            "xlsx",
            xlsx([["Name", "Age", "Active"], ["Ada", 36, True], ["Bob", None, False]]),
            {},
        ),
    ],
)
def test_a_file_becomes_a_table_of_text_fields(
    client, user, database_app, start_job, name, kind, content, extra
):
    file = {"name": uploaded(user, name, content), "type": kind, **extra}

    response, job = start_job(client, create_url(database_app.id), {"name": "People", "file": file})

    assert response.json()["table_id"] is None
    assert (job["type"], job["state"], job["name"]) == ("file_import", "finished", "People")
    assert job["report"] == {"failing_rows": {}}
    assert Table.objects.get(id=job["table_id"]).database_id == database_app.id
    assert table_of(job) == (PEOPLE, [["Ada", "36", "true"], ["Bob", "", "false"]])


def test_excel_cells_are_read_as_text(client, user, database_app, start_job):
    content = xlsx(
        [
            ["Day", "At", "Amount", "Whole", "Formula"],
            [
                datetime.datetime(2024, 5, 1),
                datetime.datetime(2024, 5, 1, 10, 30),
                1.25,
                3.0,
                "=1+1",
            ],
            [],
            ["Last"],
        ]
    )
    file = {"name": uploaded(user, "book.xlsx", content), "type": "xlsx"}

    _, job = start_job(client, create_url(database_app.id), {"name": "Book", "file": file})

    # No cached result for a formula written by openpyxl: its cell reads as empty. The empty
    # row is skipped, the short one padded.
    assert table_of(job)[1] == [
        ["2024-05-01", "2024-05-01T10:30:00", "1.25", "3", ""],
        ["Last", "", "", "", ""],
    ]


def test_names_come_from_the_header_or_are_numbered(client, user, database_app, start_job):
    wide = {"name": uploaded(user, "a.csv", b"A,B\n1,2,3\n4\n"), "type": "csv"}
    plain = {
        "name": uploaded(user, "b.csv", b"1,2\n3\n"),
        "type": "csv",
        "first_row_header": False,
    }

    _, with_header = start_job(client, create_url(database_app.id), {"name": "W", "file": wide})
    _, without = start_job(client, create_url(database_app.id), {"name": "P", "file": plain})

    assert table_of(with_header) == (
        [("A", "text", True), ("B", "text", False), ("Field 3", "text", False)],
        [["1", "2", "3"], ["4", "", ""]],
    )
    assert table_of(without) == (
        [("Field 1", "text", True), ("Field 2", "text", False)],
        [["1", "2"], ["3", ""]],
    )


def test_rows_keep_their_order_over_many_chunks(client, user, database_app, start_job):
    count = ROWS_PER_CHUNK + 3
    content = "Name\n" + "".join(f"Row {n}\n" for n in range(1, count + 1))
    file = {"name": uploaded(user, "many.csv", content.encode()), "type": "csv"}

    _, job = start_job(client, create_url(database_app.id), {"name": "Many", "file": file})

    table = Table.objects.get(id=job["table_id"])
    rows = read_rows(table)
    assert [row["id"] for row in rows] == list(range(1, count + 1))
    assert [Decimal(row["order"]) for row in rows] == list(range(1, count + 1))
    assert table_of(job)[1] == [[f"Row {n}"] for n in range(1, count + 1)]
    assert table_counts(table)[0] == count


def test_a_row_a_text_field_refuses_is_reported(client, user, database_app, start_job):
    file = {"name": uploaded(user, "nul.csv", b"Name\nAda\nB\x00b\nCy\n"), "type": "csv"}

    _, job = start_job(client, create_url(database_app.id), {"name": "T", "file": file})

    assert job["state"] == "finished"
    assert list(job["report"]["failing_rows"]) == ["1"]
    assert table_of(job)[1] == [["Ada"], ["Cy"]]


@pytest.mark.parametrize(
    ("content", "kind", "error"),
    [
        (b"", "csv", "The file holds no data."),
        (b"A,A\n1,2\n", "csv", "The header row names two columns alike."),
        (b"id,B\n1,2\n", "csv", "The header row names a column id or order."),
        (b"A, \n1,2\n", "csv", "The header row has a blank column name."),
        (b"{broken", "json", "The file could not be read."),
        (b"not a zip", "xlsx", "The file could not be read."),
    ],
)
def test_files_a_table_cannot_be_made_of_fail_the_job(
    client, user, database_app, start_job, content, kind, error
):
    file = {"name": uploaded(user, f"bad.{kind}", content), "type": kind}

    _, job = start_job(client, create_url(database_app.id), {"name": "Bad", "file": file})

    assert (job["state"], job["human_readable_error"], job["table_id"]) == ("failed", error, None)
    assert not Table.objects.filter(name="Bad").exists()


def test_the_row_limit_applies_to_files(client, user, database_app, start_job, settings):
    settings.INITIAL_TABLE_DATA_LIMIT = 2
    file = {"name": uploaded(user, "a.csv", b"A\n1\n2\n"), "type": "csv"}

    _, job = start_job(client, create_url(database_app.id), {"name": "Big", "file": file})

    assert (job["state"], job["human_readable_error"]) == (
        "failed",
        "The file has more rows than allowed.",
    )


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"file": {"name": "x", "type": "csv"}}, "ERROR_REQUEST_BODY_VALIDATION"),  # no name
        (
            {"name": "T", "data": [["a"]], "file": {"name": "x", "type": "csv"}},
            "ERROR_REQUEST_BODY_VALIDATION",
        ),
        ({"name": "T", "file": {"name": "x", "type": "pdf"}}, "ERROR_REQUEST_BODY_VALIDATION"),
        (
            {"name": "T", "file": {"name": "missing", "type": "csv"}},
            "ERROR_USER_FILE_DOES_NOT_EXIST",
        ),
    ],
)
def test_invalid_requests_start_no_job(client, database_app, body, error):
    response = client.post(create_url(database_app.id), body, format="json")

    assert (response.status_code, response.json()["error"]) == (400, error)
    assert not Job.objects.exists()


def test_access(client_for, other_user, api_client, user, workspace, database_app):
    body = {"name": "T", "file": {"name": uploaded(user, "a.csv", b"A\n1\n"), "type": "csv"}}
    token = client_with_key(key_of(token_create(user=user, workspace=workspace, name="S")))

    outsider = client_for(other_user).post(create_url(database_app.id), body, format="json")
    missing = client_for(user).post(create_url(999999), body, format="json")

    assert (outsider.status_code, outsider.json()["error"]) == (400, "ERROR_USER_NOT_IN_GROUP")
    assert (missing.status_code, missing.json()["error"]) == (
        404,
        "ERROR_APPLICATION_DOES_NOT_EXIST",
    )
    assert token.post(create_url(database_app.id), body, format="json").status_code == 401
    assert api_client.post(create_url(database_app.id), body, format="json").status_code == 401
    assert not Job.objects.exists()


def test_inline_data_over_many_chunks_keeps_its_order(client, database_app, start_job):
    count = ROWS_PER_CHUNK + 2
    data = [["Name", "Note"]] + [[f"Row {n}", n] for n in range(1, count + 1)]
    body = {"name": "Inline", "data": data, "first_row_header": True}

    _, job = start_job(client, create_url(database_app.id), body)

    rows = read_rows(Table.objects.get(id=job["table_id"]))
    assert [row["id"] for row in rows] == list(range(1, count + 1))
    assert table_of(job)[1] == [[f"Row {n}", str(n)] for n in range(1, count + 1)]
