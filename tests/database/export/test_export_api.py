"""Exports of tables and views (09-other.md): files, options, errors, access, expiry."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.test import TestCase
from django.utils import timezone

from database.export.services import exports_delete_expired
from database.spreadsheet_text import defused, undefused
from database.tasks import delete_expired_exports
from database.tokens.services import token_create
from jobs.models import Job
from tests.database.helpers import add_field, insert_rows, primary_of
from tests.database.tokens.conftest import client_with_key, key_of
from tests.database.views.helpers import VIEWS, add_filter, add_sort, create_view

EXPORT = "/api/database/export"


@pytest.fixture
def client(client_for, user):
    return client_for(user)


@pytest.fixture
def people(user, table):
    """Rows: Ada (36, true, Red), Bob (7, false, none), "Zoë, Jr." (52, true, Blue)."""
    name = primary_of(table)
    age = add_field(table, "Age", "number")
    active = add_field(table, "Active", "boolean")
    color = add_field(
        table,
        "Color",
        "single_select",
        select_options=[{"value": "Red", "color": "red"}, {"value": "Blue", "color": "blue"}],
    )
    from database.fields.models import SelectOption

    red, blue = SelectOption.objects.filter(field_id=color.id).order_by("order")
    rows = [
        {name.db_column: "Ada", age.db_column: 36, active.db_column: True, color.db_column: red.id},
        {name.db_column: "Bob", age.db_column: 7, active.db_column: False},
        {
            name.db_column: "Zoë, Jr.",
            age.db_column: 52,
            active.db_column: True,
            color.db_column: blue.id,
        },
    ]
    ids = insert_rows(table, rows)
    return {"ids": ids, "name": name, "age": age, "active": active, "color": color}


def export(client, path: str, **body):
    """POST the export; when it starts a job, the job polled once it has run (on commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"{EXPORT}/{path}/", body, format="json")
    if response.status_code != 200:
        return response
    assert response.json()["state"] == "pending", response.json()
    return client.get(f"{EXPORT}/{response.json()['id']}/")


def downloaded(client, job: dict) -> bytes:
    response = client.get(urlsplit(job["url"]).path)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_table_exports_to_csv(client, table, people):
    response = export(client, f"table/{table.id}", exporter_type="csv")

    assert response.status_code == 200, response.json()
    job = response.json()
    assert job["state"] == job["status"] == "finished"
    assert (job["table"], job["view"], job["exporter_type"]) == (table.id, None, "csv")
    assert job["progress_percentage"] == 100
    assert job["exported_file_name"].endswith(".csv")
    assert job["url"].endswith(f"/media/export_files/{job['exported_file_name']}")
    content = downloaded(client, job)
    assert content.startswith(b"\xef\xbb\xbf")
    a, b, c = people["ids"]
    assert list(csv.reader(io.StringIO(content.decode("utf-8-sig")))) == [
        ["id", "Name", "Age", "Active", "Color"],
        [str(a), "Ada", "36", "true", "Red"],
        [str(b), "Bob", "7", "false", ""],
        [str(c), "Zoë, Jr.", "52", "true", "Blue"],
    ]
    polled = client.get(f"{EXPORT}/{job['id']}/")
    assert polled.json() == job


def test_csv_options(client, table, people):
    job = export(
        client,
        f"table/{table.id}",
        exporter_type="csv",
        csv_column_separator="tab",
        csv_include_header=False,
        export_charset="iso-8859-1",
    ).json()

    content = downloaded(client, job)
    assert not content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("iso-8859-1").splitlines()
    assert len(lines) == 3
    assert lines[2].split("\t")[1:] == ["Zoë, Jr.", "52", "true", "Blue"]


def test_json_and_xml(client, table, people):
    a, _, c = people["ids"]
    as_json = json.loads(
        downloaded(client, export(client, f"table/{table.id}", exporter_type="json").json())
    )
    as_xml = ET.fromstring(
        downloaded(client, export(client, f"table/{table.id}", exporter_type="xml").json())
    )

    assert as_json[0] == {"id": a, "Name": "Ada", "Age": "36", "Active": True, "Color": "Red"}
    assert as_json[1]["Color"] is None
    rows = as_xml.findall("row")
    assert [row.findtext("id") for row in rows] == [str(i) for i in people["ids"]]
    assert rows[2].findtext("name") == "Zoë, Jr."
    assert rows[2].findtext("color") == "Blue"
    assert (rows[0].findtext("age"), rows[0].findtext("active")) == ("36", "true")
    assert str(c) == rows[2].findtext("id")


def test_a_view_exports_its_filtered_sorted_visible_rows(client, table, people):
    view = create_view(client, table)
    add_filter(client, view["id"], people["active"].id, "boolean", "1")
    add_sort(client, view["id"], people["age"].id, "DESC")
    hidden = {str(people["color"].id): {"hidden": True}}
    client.patch(f"{VIEWS}/{view['id']}/field-options/", {"field_options": hidden}, format="json")

    for path, body in ((f"view/{view['id']}", {}), (f"table/{table.id}", {"view_id": view["id"]})):
        job = export(client, path, exporter_type="json", **body).json()
        assert job["view"] == view["id"]
        rows = json.loads(downloaded(client, job))
        assert [row["Name"] for row in rows] == ["Zoë, Jr.", "Ada"]
        assert "Color" not in rows[0]


def test_filters_order_and_fields_of_a_table_export(client, table, people):
    filters = {
        "filter_type": "AND",
        "filters": [{"field": people["age"].id, "type": "higher_than", "value": "10"}],
    }
    job = export(
        client,
        f"table/{table.id}",
        exporter_type="csv",
        filters=filters,
        order_by=f"-field_{people['age'].id}",
        fields=[people["age"].id, people["name"].id],
    ).json()

    rows = list(csv.reader(io.StringIO(downloaded(client, job).decode("utf-8-sig"))))
    assert [row[1:] for row in rows] == [["Age", "Name"], ["52", "Zoë, Jr."], ["36", "Ada"]]


def test_file_cells_export_with_their_urls(client, table, user):
    from user_files.services import user_file_upload

    files = add_field(table, "Files", "file")
    user_file = user_file_upload(user=user, file=io.BytesIO(b"x"), original_name="a.txt")
    insert_rows(table, [{files.db_column: [{"name": user_file.name, "visible_name": "Doc"}]}])

    csv_job = export(client, f"table/{table.id}", exporter_type="csv").json()
    json_job = export(client, f"table/{table.id}", exporter_type="json").json()

    url = f"http://localhost:8000/media/user_files/{user_file.name}"
    rows = list(csv.reader(io.StringIO(downloaded(client, csv_job).decode("utf-8-sig"))))
    assert rows[1][2] == f"Doc ({url})"
    cell = json.loads(downloaded(client, json_job))[0]["Files"]
    assert cell == [{"visible_name": "Doc", "name": user_file.name, "url": url}]


def test_many_rows_stream_in_chunks(client, table):
    name = primary_of(table)
    insert_rows(table, [{name.db_column: f"row {i}"} for i in range(2500)])

    job = export(client, f"table/{table.id}", exporter_type="csv").json()

    rows = list(csv.reader(io.StringIO(downloaded(client, job).decode("utf-8-sig"))))
    assert len(rows) == 2501
    assert rows[-1][1] == "row 2499"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"exporter_type": "pdf"}, "ERROR_REQUEST_BODY_VALIDATION"),
        ({}, "ERROR_REQUEST_BODY_VALIDATION"),
        ({"exporter_type": "csv", "csv_column_separator": "x"}, "ERROR_REQUEST_BODY_VALIDATION"),
        ({"exporter_type": "csv", "export_charset": "ebcdic"}, "ERROR_REQUEST_BODY_VALIDATION"),
        ({"exporter_type": "csv", "order_by": "field_999999"}, "ERROR_ORDER_BY_FIELD_NOT_FOUND"),
        (
            {
                "exporter_type": "csv",
                "filters": {
                    "filter_type": "AND",
                    "filters": [{"field": 999999, "type": "equal", "value": "x"}],
                },
            },
            "ERROR_FILTER_FIELD_NOT_FOUND",
        ),
    ],
)
def test_invalid_options_are_refused(client, table, body, error):
    response = client.post(f"{EXPORT}/table/{table.id}/", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"] == error
    assert not Job.objects.exists()


def test_unknown_and_foreign_objects(client, client_for, other_user, table, make_table, people):
    other_view = create_view(client, make_table("Other"))
    outsider = client_for(other_user)
    csv_body = {"exporter_type": "csv"}

    assert (
        export(client, "table/999999", **csv_body).json()["error"] == "ERROR_TABLE_DOES_NOT_EXIST"
    )
    assert export(client, "view/999999", **csv_body).json()["error"] == "ERROR_VIEW_DOES_NOT_EXIST"
    wrong_view = export(client, f"table/{table.id}", view_id=other_view["id"], **csv_body)
    assert wrong_view.json()["error"] == "ERROR_VIEW_NOT_IN_TABLE"
    assert (
        export(outsider, f"table/{table.id}", **csv_body).json()["error"]
        == "ERROR_USER_NOT_IN_GROUP"
    )
    view_response = export(outsider, f"view/{other_view['id']}", **csv_body)
    assert view_response.json()["error"] == "ERROR_USER_NOT_IN_GROUP"
    job = export(client, f"table/{table.id}", **csv_body).json()
    foreign = outsider.get(f"{EXPORT}/{job['id']}/")
    assert (foreign.status_code, foreign.json()) == (
        404,
        {"error": "ERROR_EXPORT_JOB_DOES_NOT_EXIST", "detail": "That export job does not exist."},
    )
    assert client.get(f"{EXPORT}/999999/").status_code == 404


def test_database_tokens_and_anonymous_are_refused(api_client, user, workspace, table):
    token = client_with_key(key_of(token_create(user=user, workspace=workspace, name="S")))

    assert export(token, f"table/{table.id}", exporter_type="csv").status_code == 401
    assert export(api_client, f"table/{table.id}", exporter_type="csv").status_code == 401


def test_the_export_is_a_job_of_the_jobs_api(client, table, people):
    job = export(client, f"table/{table.id}", exporter_type="xml").json()

    listed = client.get("/api/jobs/").json()["jobs"]

    assert listed[0]["id"] == job["id"]
    assert listed[0]["type"] == "export_table"
    assert listed[0]["url"] == job["url"]


def test_expired_export_files_are_deleted(client, table, people, settings):
    settings.EXPORT_FILES_EXPIRE_HOURS = 24
    old = export(client, f"table/{table.id}", exporter_type="csv").json()
    new = export(client, f"table/{table.id}", exporter_type="csv").json()
    Job.objects.filter(id=old["id"]).update(created_on=timezone.now() - timedelta(hours=25))

    assert delete_expired_exports.apply().get() == 1  # what Celery beat runs hourly
    assert exports_delete_expired() == 0

    assert not default_storage.exists(f"export_files/{old['exported_file_name']}")
    assert default_storage.exists(f"export_files/{new['exported_file_name']}")
    expired = client.get(f"{EXPORT}/{old['id']}/").json()
    assert (expired["state"], expired["url"], expired["exported_file_name"]) == (
        "expired",
        None,
        None,
    )


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-x", "@SUM(A1)", "%a|b"]


def test_cells_that_look_like_formulas_are_not_run_by_a_spreadsheet(client, table, people):
    """CSV injection: a CSV cell starting like a formula gets an apostrophe (numbers stay as
    they are), and an Excel cell stays text, never a formula."""
    name = primary_of(table)
    insert_rows(table, [{name.db_column: text} for text in [*FORMULAS, "-3.5", "1,000.5"]])

    as_csv = export(client, f"table/{table.id}", exporter_type="csv").json()
    as_excel = export(client, f"table/{table.id}", exporter_type="excel").json()

    names = [
        row[1] for row in csv.reader(io.StringIO(downloaded(client, as_csv).decode("utf-8-sig")))
    ]
    assert names[-7:] == [
        '\'=HYPERLINK("http://evil.example","x")',
        "'+1+2",
        "'-x",
        "'@SUM(A1)",
        "'%a|b",
        "-3.5",
        "1,000.5",
    ]
    workbook = openpyxl.load_workbook(io.BytesIO(downloaded(client, as_excel)))
    cells = [row[1] for row in workbook.worksheets[0].iter_rows()][-7:]
    assert [cell.value for cell in cells] == [*FORMULAS, "-3.5", "1,000.5"]
    assert {cell.data_type for cell in cells} == {"s"}


def workbook_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_a_table_exports_to_excel(client, table, people):
    job = export(client, f"table/{table.id}", exporter_type="excel").json()

    assert (job["state"], job["exporter_type"]) == ("finished", "excel")
    assert job["exported_file_name"].endswith(".xlsx")
    a, b, c = people["ids"]
    # Text cells, as Baserow's Excel exporter writes them: the CSV cell of each value.
    assert workbook_rows(downloaded(client, job)) == [
        ["id", "Name", "Age", "Active", "Color"],
        [str(a), "Ada", "36", "true", "Red"],
        [str(b), "Bob", "7", "false", None],
        [str(c), "Zoë, Jr.", "52", "true", "Blue"],
    ]


def test_excel_without_header_and_through_a_view(client, table, people):
    view = create_view(client, table)
    add_filter(client, view["id"], people["active"].id, "boolean", "1")
    add_sort(client, view["id"], people["age"].id, "DESC")

    job = export(
        client, f"view/{view['id']}", exporter_type="excel", excel_include_header=False
    ).json()

    a, _, c = people["ids"]
    rows = workbook_rows(downloaded(client, job))
    assert [row[:2] for row in rows] == [[str(c), "Zoë, Jr."], [str(a), "Ada"]]


def test_excel_cells_are_the_csv_cells_without_control_characters(client, table, every_type):
    insert_rows(table, [{every_type.fields.name.db_column: "bell\x07 and\x0bvertical tab"}])

    as_csv = export(client, f"table/{table.id}", exporter_type="csv").json()
    as_excel = export(client, f"table/{table.id}", exporter_type="excel").json()

    csv_rows = list(csv.reader(io.StringIO(downloaded(client, as_csv).decode("utf-8-sig"))))
    excel_rows = workbook_rows(downloaded(client, as_excel))
    assert len(excel_rows) == len(every_type.ids) + 2
    assert excel_rows[-1][1] == "bell andvertical tab"
    cleaned = [
        [undefused(cell).replace("\x07", "").replace("\x0b", "") for cell in row]
        for row in csv_rows
    ]
    assert [[cell or "" for cell in row] for row in excel_rows] == cleaned


def test_excel_exports_are_refused_to_outsiders(client, client_for, other_user, table, people):
    outsider = client_for(other_user)
    view = create_view(client, table)
    body = {"exporter_type": "excel"}

    assert (
        export(outsider, f"table/{table.id}", **body).json()["error"] == "ERROR_USER_NOT_IN_GROUP"
    )
    assert export(outsider, f"view/{view['id']}", **body).json()["error"] == (
        "ERROR_USER_NOT_IN_GROUP"
    )
    job = export(client, f"table/{table.id}", **body).json()
    assert outsider.get(f"{EXPORT}/{job['id']}/").status_code == 404
    invalid = client.post(
        f"{EXPORT}/table/{table.id}/", {**body, "excel_include_header": "maybe"}, format="json"
    )
    assert invalid.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


@pytest.mark.parametrize(
    "text", ["=1+1", "'=1+1", "''@x", "-3.5", "-x", "'quoted'", "", "plain", "%", "1,000.5"]
)
def test_a_defused_csv_cell_reads_back_as_it_was(text):
    assert undefused(defused(text)) == text
