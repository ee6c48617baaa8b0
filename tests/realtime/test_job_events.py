"""Events of a job reach the table's page like those of a request, its starter's socket skipped."""

import pytest

from database.fields.models import Field
from jobs.models import Job
from tests.jobs.helpers import wait_until
from tests.realtime.helpers import barrier, first_table


@pytest.fixture
def in_threads(settings, tmp_path):
    """Jobs in a job thread, as in the embedded default, not in the request that starts them."""
    settings.JOB_THREADS = 1
    jobs_cache = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
    settings.CACHES = {**settings.CACHES, "jobs": {**jobs_cache, "LOCATION": str(tmp_path)}}


def test_a_duplicated_field_reaches_the_page_but_not_the_starters_socket(in_threads, user, ws, api):
    table = first_table(user)
    sender, other = ws(user), ws(user)
    sender.subscribe(page="table", table_id=table.id)
    other.subscribe(page="table", table_id=table.id)
    name = Field.objects.get(table=table, primary=True)
    response = api(user)(
        "POST",
        f"/api/database/fields/{name.id}/duplicate/async/",
        {"duplicate_data": True},
        websocket_id=sender.id,
    )
    assert response.status_code == 202, response.json()
    job_id = response.json()["id"]
    wait_until(lambda: Job.objects.get(id=job_id).state == "finished", timeout=30, what="the job")
    assert Job.objects.get(id=job_id).client == {"websocket_id": sender.id}
    copy = Field.objects.get(table=table, name=f"{name.name} 2")
    message = other.receive()
    assert message["type"] == "field_created"
    assert message["field"] == api(user)("GET", f"/api/database/fields/{copy.id}/").json()
    assert message["related_fields"] == []
    assert barrier(api, sender, user) == []
