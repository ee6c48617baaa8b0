"""A rows event of more rows than `WEBHOOKS_BATCH_SIZE` goes out in several calls with
`batch_id`, as Baserow paginates the linked table's `rows.updated`; past the batch limit the
rest is left out and the workspace's admins are told."""

import pytest

from database.tables.models import Table
from tests.webhooks.helpers import ROWS, create_hook
from workspaces.models import NotificationRecipient

pytestmark = pytest.mark.django_db(transaction=True)


def link_to_new_rows_with(client, table: Table, receiver, count: int) -> tuple[Table, list, int]:
    """Another table with `count` rows, and a row of `table` that links to all of them (so
    the other table's rows are updated at once); its id, and that row's id."""
    database = f"/api/database/tables/database/{table.database_id}/"
    other = Table.objects.get(id=client.post(database, {"name": "O"}, format="json").json()["id"])
    link = client.post(
        f"/api/database/fields/table/{table.id}/",
        {"name": "Link", "type": "link_row", "link_row_table_id": other.id},
        format="json",
    ).json()
    items = [{} for _ in range(count)]
    rows = client.post(f"{ROWS}/{other.id}/batch/", {"items": items}, format="json").json()
    targets = [row["id"] for row in rows["items"]]
    hook = create_hook(
        client, other, receiver.url, include_all_events=False, events=["rows.updated"]
    )
    client.post(f"{ROWS}/{table.id}/", {f"field_{link['id']}": targets}, format="json")
    return other, targets, hook["id"]


@pytest.fixture
def small_batches(settings):
    settings.WEBHOOKS_BATCH_SIZE = 2


def test_many_rows_go_out_in_batches(small_batches, user_client, table, receiver):
    _, targets, _ = link_to_new_rows_with(user_client, table, receiver, 5)
    calls = receiver.wait_for(3)
    assert len(calls) == 3
    bodies = [call["body"] for call in calls]
    assert [body["batch_id"] for body in bodies] == [1, 2, 3]
    assert [body["offset"] for body in bodies] == [0, 2, 4]
    assert [body["batch_size"] for body in bodies] == [2, 2, 1]
    assert {body["total_count"] for body in bodies} == {5}
    assert [item["id"] for body in bodies for item in body["items"]] == targets
    for body in bodies:
        assert [row["id"] for row in body["old_items"]] == [row["id"] for row in body["items"]]
    assert len({body["event_id"] for body in bodies}) == 1
    assert {call["headers"]["X-Baserow-Delivery"] for call in calls} == {bodies[0]["event_id"]}


def test_rows_past_the_batch_limit_are_left_out(
    small_batches, user_client, table, receiver, settings, user
):
    settings.WEBHOOKS_BATCH_LIMIT = 2
    _, targets, hook_id = link_to_new_rows_with(user_client, table, receiver, 5)
    calls = receiver.wait_for(2)
    assert [call["body"]["batch_id"] for call in calls] == [1, 2]
    assert [i["id"] for call in calls for i in call["body"]["items"]] == targets[:4]
    notification = NotificationRecipient.objects.get(recipient=user).notification
    assert notification.type == "webhook_payload_too_large"
    assert notification.data["webhook_id"] == hook_id
    assert notification.data["event_id"] == calls[0]["body"]["event_id"]
    assert notification.data["batch_limit"] == 2


def test_a_payload_within_the_batch_size_is_one_call_without_batch_keys(
    small_batches, user_client, table, receiver
):
    link_to_new_rows_with(user_client, table, receiver, 2)
    (call,) = receiver.wait_for(1)
    assert len(call["body"]["items"]) == 2
    assert not {"batch_id", "offset", "batch_size", "total_count"} & set(call["body"])
