"""/api/jobs/ and the job runner: list, read, cancel; jobs that fail."""

import pytest
from django.db import transaction
from django.urls import reverse

from database.compose.tables import table_delete
from database.registry import UnknownType
from database.tables.models import Table
from jobs.dispatch import job_start
from jobs.models import Job, JobState
from jobs.services import job_create, job_run
from workspaces.models import WorkspaceUser

NO_JOB = {"error": "ERROR_JOB_DOES_NOT_EXIST", "detail": "The requested job does not exist."}


def url(name: str, **kwargs: int) -> str:
    return reverse(f"api:jobs:{name}", kwargs=kwargs)


@pytest.fixture
def client(client_for, user):
    return client_for(user)


@pytest.fixture
def pending(user, table) -> Job:
    return job_create(user=user, type="duplicate_table", payload={"table_id": table.id})


def listed_ids(client, **query) -> list[int]:
    response = client.get(url("list"), query)
    assert response.status_code == 200, response.json()
    return [job["id"] for job in response.json()["jobs"]]


# List.


def test_list_gives_the_users_jobs_newest_first(client, user, other_user, table):
    assert client.get(url("list")).json() == {"jobs": []}
    first = job_run(
        job=job_create(user=user, type="duplicate_table", payload={"table_id": table.id})
    )
    second = job_create(user=user, type="duplicate_table", payload={"table_id": table.id})
    job_create(user=other_user, type="duplicate_table", payload={"table_id": table.id})
    jobs = client.get(url("list")).json()["jobs"]
    assert [job["id"] for job in jobs] == [second.id, first.id]
    assert jobs[1]["state"] == "finished"
    assert jobs[1]["duplicated_table"]["name"] == "Table 2"
    assert jobs[0]["duplicated_table"] is None


def test_list_filters_by_state_id_and_limit(client, user, table):
    payload = {"table_id": table.id}
    done = job_run(job=job_create(user=user, type="duplicate_table", payload=payload))
    waiting = job_create(user=user, type="duplicate_table", payload=payload)
    cancelled = Job.objects.create(user=user, type="duplicate_table", payload=payload)
    Job.objects.filter(id=cancelled.id).update(state=JobState.CANCELLED)
    assert listed_ids(client, states="pending") == [waiting.id]
    assert listed_ids(client, states="pending,finished") == [waiting.id, done.id]
    assert listed_ids(client, states="!finished") == [cancelled.id, waiting.id]
    assert listed_ids(client, states="!finished,!pending") == [cancelled.id]
    assert listed_ids(client, job_ids=f"{done.id},{cancelled.id}") == [cancelled.id, done.id]
    assert listed_ids(client, limit=1) == [cancelled.id]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ({"states": "sleeping"}, "states"),
        ({"job_ids": "1,x"}, "job_ids"),
        ({"job_ids": "99999999999999999999"}, "job_ids"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_list_validates_the_query(client, query, key):
    response = client.get(url("list"), query)
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_QUERY_PARAMETER_VALIDATION"
    assert key in response.json()["detail"]


# Read.


def test_get_gives_the_job(client, pending, table):
    response = client.get(url("item", job_id=pending.id))
    assert response.status_code == 200
    assert response.json() == {
        "id": pending.id,
        "type": "duplicate_table",
        "progress_percentage": 0,
        "state": "pending",
        "human_readable_error": "",
        "original_table": {
            "id": table.id,
            "name": "Table",
            "order": table.order,
            "database_id": table.database_id,
            "data_sync": None,
        },
        "duplicated_table": None,
    }


def test_jobs_of_others_do_not_exist(client_for, other_user, pending):
    bob = client_for(other_user)
    assert bob.get(url("item", job_id=pending.id)).json() == NO_JOB
    response = bob.post(url("cancel", job_id=pending.id))
    assert (response.status_code, response.json()) == (404, NO_JOB)
    assert bob.get(url("item", job_id=999999)).status_code == 404
    assert Job.objects.get(id=pending.id).state == JobState.PENDING


# Cancel.


def test_cancel_stops_a_pending_job_before_it_runs(client, pending):
    response = client.post(url("cancel", job_id=pending.id))
    assert (response.status_code, response.json()["state"]) == (200, "cancelled")
    assert job_run(job=pending).state == JobState.CANCELLED
    assert not Table.objects.filter(name="Table 2").exists()


def test_an_ended_job_is_not_cancellable(client, pending):
    job_run(job=pending)
    response = client.post(url("cancel", job_id=pending.id))
    assert (response.status_code, response.json()) == (
        400,
        {"error": "ERROR_JOB_NOT_CANCELLABLE", "detail": "The job is not cancellable."},
    )
    assert Job.objects.get(id=pending.id).state == JobState.FINISHED


# Start.


def test_a_started_job_is_queued_once_its_transaction_commits(
    user, table, django_capture_on_commit_callbacks
):
    payload = {"table_id": table.id}
    with django_capture_on_commit_callbacks() as queued:
        job = job_start(user=user, type="duplicate_table", payload=payload)
        assert Job.objects.get(id=job.id).state == JobState.PENDING
    assert len(queued) == 1
    queued[0]()  # the commit: the job runs (here in-process, as with no broker)
    assert Job.objects.get(id=job.id).state == JobState.FINISHED
    with (
        django_capture_on_commit_callbacks() as queued,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        rolled_back = job_start(user=user, type="duplicate_table", payload=payload)
        raise RuntimeError("the caller fails after starting the job")
    assert queued == []
    assert not Job.objects.filter(id=rolled_back.id).exists()


# Failures.


def test_a_job_whose_table_is_gone_fails_with_a_message(user, pending, table):
    table_delete(user=user, table_id=table.id)
    job = job_run(job=pending)
    assert (job.state, job.human_readable_error) == ("failed", "The table does not exist any more.")
    assert (job.progress_percentage, job.result) == (0, {})


def test_a_job_of_a_user_who_left_fails(user, pending, workspace):
    WorkspaceUser.objects.filter(user=user, workspace=workspace).delete()
    job = job_run(job=pending)
    assert job.human_readable_error == "You are not a member of the workspace any more."


def test_an_unexpected_failure_gets_the_generic_message(user, database_app):
    payload = {"database_id": database_app.id, "name": "T", "data": [], "first_row_header": False}
    job = job_run(job=job_create(user=user, type="file_import", payload=payload))
    assert job.state == JobState.FAILED
    assert job.human_readable_error == "Something went wrong during the file_import job execution."
    assert not Table.objects.filter(name="T").exists()


def test_only_registered_types_make_jobs(user):
    with pytest.raises(UnknownType):
        job_create(user=user, type="export_csv", payload={})
