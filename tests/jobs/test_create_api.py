"""POST /api/jobs/: a job of any type started by its `type` and the type's own parameters."""

import pytest
from django.urls import reverse

from database.fields.models import Field
from database.tables.models import Table
from jobs.models import Job, JobState
from tests.database.helpers import add_field, insert_rows, primary_of, read_rows

JOBS = "/api/jobs/"
NOT_IN_WORKSPACE = {"error": "ERROR_USER_NOT_IN_GROUP", "detail": ""}
MAX_COUNT = {
    "error": "ERROR_MAX_JOB_COUNT_EXCEEDED",
    "detail": "Max running job count for this type is exceeded.",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client(client_for, user):
    return client_for(user)


@pytest.fixture
def bob(client_for, other_user):
    return client_for(other_user)


def created(start_job, client, body: dict) -> tuple[dict, dict]:
    """The answer to the POST (200, pending) and the job once it has run."""
    response, job = start_job(client, JOBS, body)
    assert response.status_code == 200, response.json()
    return response.json(), job


def test_duplicate_table(start_job, client, table):
    answer, job = created(start_job, client, {"type": "duplicate_table", "table_id": table.id})
    assert answer["type"] == "duplicate_table"
    assert answer["original_table"]["id"] == table.id
    assert answer["duplicated_table"] is None
    assert (job["state"], job["progress_percentage"]) == ("finished", 100)
    copy = Table.objects.get(id=job["duplicated_table"]["id"])
    assert (copy.name, copy.database_id) == ("Table 2", table.database_id)


def test_duplicate_application(start_job, client, database_app):
    body = {"type": "duplicate_application", "application_id": database_app.id}
    answer, job = created(start_job, client, body)
    assert answer["original_application"]["id"] == database_app.id
    assert job["state"] == "finished"
    assert job["duplicated_application"]["name"] == "Test database 2"


def test_duplicate_field(start_job, client, table):
    name = primary_of(table)
    insert_rows(table, [{name.db_column: "Ada"}])
    body = {"type": "duplicate_field", "field_id": name.id, "duplicate_data": True}
    answer, job = created(start_job, client, body)
    assert answer["original_field"]["id"] == name.id
    assert answer["duplicated_field"] is None
    copy = Field.objects.get(id=job["duplicated_field"]["id"])
    assert copy.name == "Name 2"
    assert [row[copy.db_column] for row in read_rows(table)] == ["Ada"]


def test_file_import_creates_a_table_from_data(start_job, client, database_app):
    body = {
        "type": "file_import",
        "database_id": database_app.id,
        "name": "Imported",
        "data": [["Name", "Age"], ["Ada", 36]],
        "first_row_header": True,
    }
    answer, job = created(start_job, client, body)
    assert (answer["database_id"], answer["name"], answer["table_id"]) == (
        database_app.id,
        "Imported",
        None,
    )
    table = Table.objects.get(id=job["table_id"])
    fields = Field.objects.filter(table=table).order_by("order", "id")
    assert [field.name for field in fields] == ["Name", "Age"]
    assert [[row[f.db_column] for f in fields] for row in read_rows(table)] == [["Ada", "36"]]


def test_file_import_adds_rows_to_a_table(start_job, client, table):
    age = add_field(table, "Age", "number")
    body = {"type": "file_import", "table_id": table.id, "data": [["Ada", "36"], ["Bob", "x"]]}
    _, job = created(start_job, client, body)
    assert (job["state"], job["table_id"]) == ("finished", table.id)
    assert list(job["report"]["failing_rows"]) == ["1"]
    name = primary_of(table)
    assert [(r[name.db_column], r[age.db_column]) for r in read_rows(table)] == [("Ada", "36")]


def test_export_table(start_job, client, table):
    name = primary_of(table)
    insert_rows(table, [{name.db_column: "Ada"}])
    body = {"type": "export_table", "table_id": table.id, "exporter_type": "csv"}
    answer, job = created(start_job, client, body)
    assert (answer["type"], answer["table"], answer["exporter_type"]) == (
        "export_table",
        table.id,
        "csv",
    )
    assert job["state"] == "finished"
    assert job["url"].endswith(".csv")


# Errors.


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, {"type": [{"error": "This field is required.", "code": "required"}]}),
        (
            {"type": "sleep"},
            {"type": [{"error": '"sleep" is not a valid choice.', "code": "invalid_choice"}]},
        ),
        # A type only the server itself starts.
        (
            {"type": "slow_for_tests"},
            {
                "type": [
                    {"error": '"slow_for_tests" is not a valid choice.', "code": "invalid_choice"}
                ]
            },
        ),
        (
            {"type": "duplicate_table"},
            {"table_id": [{"error": "This field is required.", "code": "required"}]},
        ),
        (
            {"type": "duplicate_field", "field_id": "x"},
            {"field_id": [{"error": "A valid integer is required.", "code": "invalid"}]},
        ),
        (
            {"type": "file_import", "name": "T"},
            {
                "non_field_errors": [
                    {"error": "Give either `database_id` or `table_id`.", "code": "invalid"}
                ]
            },
        ),
        (
            {"type": "file_import", "database_id": 1},
            {"name": [{"error": "This field is required.", "code": "required"}]},
        ),
        (
            {"type": "export_table", "table_id": 1, "exporter_type": "pdf"},
            {
                "exporter_type": [
                    {"error": '"pdf" is not a valid choice.', "code": "invalid_choice"}
                ]
            },
        ),
    ],
)
def test_invalid_bodies_are_refused(client, body, detail):
    response = client.post(JOBS, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"error": "ERROR_REQUEST_BODY_VALIDATION", "detail": detail}
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("type", "key", "error"),
    [
        ("duplicate_table", "table_id", "ERROR_TABLE_DOES_NOT_EXIST"),
        ("duplicate_application", "application_id", "ERROR_APPLICATION_DOES_NOT_EXIST"),
        ("duplicate_field", "field_id", "ERROR_FIELD_DOES_NOT_EXIST"),
        ("export_table", "table_id", "ERROR_TABLE_DOES_NOT_EXIST"),
        ("file_import", "table_id", "ERROR_TABLE_DOES_NOT_EXIST"),
    ],
)
def test_unknown_objects_give_404(client, type, key, error):
    body = {"type": type, key: 999999, "exporter_type": "csv", "data": [["a"]]}
    response = client.post(JOBS, body, format="json")
    assert (response.status_code, response.json()["error"]) == (404, error)
    assert not Job.objects.exists()


def test_the_jobs_need_a_jwt(api_client, table):
    response = api_client.post(JOBS, {"type": "duplicate_table", "table_id": table.id})
    assert response.status_code == 401
    assert not Job.objects.exists()


# Cross-tenant.


def test_no_job_on_the_objects_of_another_workspace(bob, table, database_app):
    name = primary_of(table)
    for body in (
        {"type": "duplicate_table", "table_id": table.id},
        {"type": "duplicate_application", "application_id": database_app.id},
        {"type": "duplicate_field", "field_id": name.id},
        {"type": "export_table", "table_id": table.id, "exporter_type": "csv"},
        {"type": "file_import", "table_id": table.id, "data": [["x"]]},
        {"type": "file_import", "database_id": database_app.id, "name": "T", "data": [["x"]]},
    ):
        response = bob.post(JOBS, body, format="json")
        assert (response.status_code, response.json()) == (400, NOT_IN_WORKSPACE), body
    assert not Job.objects.exists()


def test_another_user_neither_lists_nor_reads_the_job(start_job, client, bob, table):
    answer, _ = created(start_job, client, {"type": "duplicate_table", "table_id": table.id})
    assert bob.get(JOBS).json() == {"jobs": []}
    assert bob.get(JOBS, {"job_ids": str(answer["id"])}).json() == {"jobs": []}
    response = bob.get(reverse("api:jobs:item", kwargs={"job_id": answer["id"]}))
    assert (response.status_code, response.json()["error"]) == (404, "ERROR_JOB_DOES_NOT_EXIST")
    assert [job["id"] for job in client.get(JOBS).json()["jobs"]] == [answer["id"]]


# One unended job per type and user, as Baserow.


def test_a_second_job_of_a_type_waits_for_the_first_to_end(client, user, table, make_table):
    other = make_table("Other")
    first = client.post(JOBS, {"type": "duplicate_table", "table_id": table.id}, format="json")
    assert first.status_code == 200  # pending: its commit callback was not run here
    for path, body in (
        (JOBS, {"type": "duplicate_table", "table_id": other.id}),
        (f"/api/database/tables/{other.id}/duplicate/async/", None),
    ):
        response = client.post(path, body, format="json")
        assert (response.status_code, response.json()) == (400, MAX_COUNT)
    # Other types are not held up.
    field = primary_of(table)
    response = client.post(JOBS, {"type": "duplicate_field", "field_id": field.id}, format="json")
    assert response.status_code == 200
    Job.objects.filter(id=first.json()["id"]).update(state=JobState.FAILED)
    response = client.post(JOBS, {"type": "duplicate_table", "table_id": other.id}, format="json")
    assert response.status_code == 200
    assert Job.objects.filter(user=user, state=JobState.PENDING).count() == 2


def test_exports_have_no_such_limit(client, table):
    body = {"type": "export_table", "table_id": table.id, "exporter_type": "csv"}
    for _ in range(3):
        assert client.post(JOBS, body, format="json").status_code == 200
