"""Duplicating a field (the duplicate_field job): the copy, its cells, options and links."""

import pytest

from database.fields.duplication import field_duplicate
from database.fields.models import Field, SelectOption
from jobs.models import Job
from tests.database.helpers import insert_rows, primary_of, read_rows
from tests.database.test_duplication import (
    ALPHA,
    assert_options_are_own,
    by_name,
    cells,
    fields_of,
    people,
    projects,
)

__all__ = ["people", "projects"]

COPIED = ["Name", "Amount", "Status", "Tags", "Members", "Parent", "Member count", "Member names"]


def duplicate_url(field_id: int) -> str:
    return f"/api/database/fields/{field_id}/duplicate/async/"


@pytest.mark.parametrize("name", [*COPIED, "Member roles"])
def test_a_copy_with_data_reads_exactly_like_the_original(user, projects, name):
    before = by_name(cells(projects))
    field = fields_of(projects)[name]
    copy, _ = field_duplicate(user=user, field_id=field.id, duplicate_data=True)
    assert copy.name == f"{name} 2"
    assert (copy.type, copy.primary, copy.table_id) == (field.type, False, projects.id)
    assert copy.order > max(
        f.order for f in Field.objects.filter(table=projects).exclude(id=copy.id)
    )
    after = by_name(cells(projects))
    for row_name, row in after.items():
        assert row[f"{name} 2"] == row[name], row_name
        assert {key: value for key, value in row.items() if key != f"{name} 2"} == before[row_name]
    assert_options_are_own(projects)


def test_copied_select_options_are_the_copys_own(user, projects):
    fields = fields_of(projects)
    for name in ("Status", "Tags"):
        copy, _ = field_duplicate(user=user, field_id=fields[name].id, duplicate_data=True)
        original = SelectOption.objects.filter(field=fields[name]).order_by("order", "id")
        copied = SelectOption.objects.filter(field=copy).order_by("order", "id")
        assert [(o.value, o.color) for o in copied] == [(o.value, o.color) for o in original]
        assert not {o.id for o in copied} & {o.id for o in original}
    status_copy = Field.objects.get(table=projects, name="Status 2")
    done = SelectOption.objects.get(field=status_copy, value="Done")
    assert status_copy.options["single_select_default"] == done.id
    tags_copy = Field.objects.get(table=projects, name="Tags 2")
    assert tags_copy.options["multiple_select_default"] == [
        SelectOption.objects.get(field=tags_copy, value="y").id
    ]
    # The copy's cells select the copy's options.
    rows = {row["id"]: row for row in read_rows(projects)}
    assert rows[ALPHA][status_copy.db_column]["id"] == (
        SelectOption.objects.get(field=status_copy, value="Open").id
    )
    tag_ids = {o.id for o in SelectOption.objects.filter(field=tags_copy)}
    assert {tag["id"] for tag in rows[ALPHA][tags_copy.db_column]} <= tag_ids


def test_a_copied_link_gets_a_counterpart_of_its_own(user, projects, people):
    members = fields_of(projects)["Members"]
    copy, related = field_duplicate(user=user, field_id=members.id, duplicate_data=True)
    counterpart = Field.objects.get(id=copy.link_row_related_field_id)
    assert counterpart.table_id == people.id
    assert counterpart.id != members.link_row_related_field_id
    assert [field.id for field in related] == [counterpart.id]
    # People see the projects linking to them through the new counterpart too.
    people_rows = by_name(cells(people))
    assert (
        people_rows["Ada"][counterpart.name]
        == people_rows["Ada"][Field.objects.get(id=members.link_row_related_field_id).name]
    )


def test_without_data_the_copy_is_empty_but_keeps_its_options(user, projects):
    fields = fields_of(projects)
    for name in ("Amount", "Status", "Tags", "Members", "Parent", "Name"):
        field_duplicate(user=user, field_id=fields[name].id, duplicate_data=False)
    rows = by_name(cells(projects))
    alpha = rows["Alpha"]
    assert (alpha["Amount 2"], alpha["Tags 2"], alpha["Members 2"], alpha["Parent 2"]) == (
        None,
        [],
        [],
        [],
    )
    assert alpha["Name 2"] in (None, "")
    assert alpha["Status 2"] is None
    status_copy = Field.objects.get(table=projects, name="Status 2")
    assert [o.value for o in SelectOption.objects.filter(field=status_copy).order_by("order")] == [
        "Open",
        "Done",
        "Later",
    ]
    # New rows get the copy's defaults, as the original's.
    insert_rows(projects, [{}])
    newest = cells(projects)[-1]
    assert newest["Status 2"] == newest["Status"] == {"value": "Done", "color": "red"}
    assert newest["Tags 2"] == newest["Tags"]


def test_names_count_up(user, table):
    name = primary_of(table)
    first, _ = field_duplicate(user=user, field_id=name.id)
    second, _ = field_duplicate(user=user, field_id=name.id)
    third, _ = field_duplicate(user=user, field_id=first.id)
    assert (first.name, second.name, third.name) == ("Name 2", "Name 3", "Name 2 2")


# The endpoint and the job.


def test_the_endpoint_starts_a_job_that_duplicates_the_field(start_job, user_client, projects):
    status = fields_of(projects)["Status"]
    response, job = start_job(user_client, duplicate_url(status.id), {"duplicate_data": True})
    assert response.status_code == 202
    answer = response.json()
    assert answer == {
        "id": answer["id"],
        "type": "duplicate_field",
        "progress_percentage": 0,
        "state": "pending",
        "human_readable_error": "",
        "original_field": user_client.get(f"/api/database/fields/{status.id}/").json(),
        "duplicated_field": None,
    }
    assert (job["state"], job["progress_percentage"]) == ("finished", 100)
    copy = Field.objects.get(table=projects, name="Status 2")
    assert job["duplicated_field"] == {
        **user_client.get(f"/api/database/fields/{copy.id}/").json(),
        "related_fields": [],
    }
    rows = by_name(cells(projects))
    assert all(row["Status 2"] == row["Status"] for row in rows.values())


def test_duplicate_data_defaults_to_false(start_job, user_client, projects):
    amount = fields_of(projects)["Amount"]
    _, job = start_job(user_client, duplicate_url(amount.id), {})
    assert job["state"] == "finished"
    assert {row["Amount 2"] for row in cells(projects)} == {None}


def test_the_job_fails_with_a_message_when_the_field_is_gone(
    user, user_client, projects, django_capture_on_commit_callbacks
):
    amount = fields_of(projects)["Amount"]
    with django_capture_on_commit_callbacks() as queued:
        response = user_client.post(duplicate_url(amount.id), {}, format="json")
    user_client.delete(f"/api/database/fields/{amount.id}/")
    for callback in queued:
        callback()
    job = user_client.get(f"/api/jobs/{response.json()['id']}/").json()
    assert (job["state"], job["human_readable_error"]) == (
        "failed",
        "The field does not exist any more.",
    )
    assert job["original_field"]["id"] == amount.id  # still shown, from the trash
    assert not Field.objects.filter(table=projects, name="Amount 2").exists()


def test_errors(user_client, client_for, other_user, projects):
    amount = fields_of(projects)["Amount"]
    response = user_client.post(duplicate_url(999999), {}, format="json")
    assert (response.status_code, response.json()["error"]) == (404, "ERROR_FIELD_DOES_NOT_EXIST")
    response = user_client.post(
        duplicate_url(amount.id), {"duplicate_data": "maybe"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_REQUEST_BODY_VALIDATION",
        "detail": {"duplicate_data": [{"error": "Must be a valid boolean.", "code": "invalid"}]},
    }
    # Cross-tenant: another user's field is refused, and makes no job.
    response = client_for(other_user).post(duplicate_url(amount.id), {}, format="json")
    assert (response.status_code, response.json()["error"]) == (400, "ERROR_USER_NOT_IN_GROUP")
    assert not Job.objects.exists()
    # One unended duplicate_field job per user (this one stays pending: nothing commits here).
    assert user_client.post(duplicate_url(amount.id), {}, format="json").status_code == 202
    response = user_client.post(duplicate_url(amount.id), {}, format="json")
    assert (response.status_code, response.json()["error"]) == (400, "ERROR_MAX_JOB_COUNT_EXCEEDED")


def test_a_trashed_field_cannot_be_duplicated(user_client, projects):
    amount = fields_of(projects)["Amount"]
    user_client.delete(f"/api/database/fields/{amount.id}/")
    response = user_client.post(duplicate_url(amount.id), {}, format="json")
    assert (response.status_code, response.json()["error"]) == (404, "ERROR_FIELD_DOES_NOT_EXIST")


def test_progress_moves_through_the_steps(user, projects):
    reported: list[int] = []
    members = fields_of(projects)["Members"]
    field_duplicate(user=user, field_id=members.id, duplicate_data=True, progress=reported.append)
    assert reported == sorted(reported)
    assert len(reported) >= 3
    assert reported[0] > 0 and reported[-1] < 100  # the runner writes 100 once it has committed
