"""Each event type reaches a real receiver on 127.0.0.1 with the payload and headers of 09."""

import uuid

import pytest
from django.db import transaction

from database.fields.models import Field
from database.rows.services import rows_create
from database.tables.models import Table
from tests.database.views.helpers import VIEWS, add_filter, create_view
from tests.webhooks.helpers import ROWS, create_hook, primary
from webhooks.models import TableWebhook

pytestmark = pytest.mark.django_db(transaction=True)


def check_headers(call: dict, event_type: str) -> str:
    headers = {key.lower(): value for key, value in call["headers"].items()}
    assert headers["content-type"] == "application/json"
    assert headers["x-baserow-event"] == event_type
    delivery = headers["x-baserow-delivery"]
    assert str(uuid.UUID(delivery)) == delivery
    assert call["body"]["event_id"] == delivery
    return delivery


def base(table, hook: dict, event_type: str, call: dict) -> dict:
    return {
        "table_id": table.id,
        "database_id": table.database_id,
        "workspace_id": table.database.workspace_id,
        "webhook_id": hook["id"],
        "event_id": call["body"]["event_id"],
        "event_type": event_type,
    }


def test_rows_created_updated_deleted(user_client, table, receiver):
    hook = create_hook(user_client, table, receiver.url, use_user_field_names=False)
    name = primary(table)
    row = user_client.post(f"{ROWS}/{table.id}/", {name.db_column: "Ann"}, format="json").json()
    (call,) = receiver.wait_for(1)
    check_headers(call, "rows.created")
    assert call["method"] == "POST" and call["path"] == "/hook"
    assert call["body"] == {**base(table, hook, "rows.created", call), "items": [row]}

    updated = user_client.patch(
        f"{ROWS}/{table.id}/{row['id']}/", {name.db_column: "Bea"}, format="json"
    ).json()
    call = receiver.wait_for(2)[1]
    check_headers(call, "rows.updated")
    assert call["body"] == {
        **base(table, hook, "rows.updated", call),
        "items": [updated],
        "old_items": [row],
    }

    assert user_client.delete(f"{ROWS}/{table.id}/{row['id']}/").status_code == 204
    call = receiver.wait_for(3)[2]
    check_headers(call, "rows.deleted")
    assert call["body"] == {**base(table, hook, "rows.deleted", call), "row_ids": [row["id"]]}
    assert len({c["body"]["event_id"] for c in receiver.calls}) == 3


def test_user_field_names_custom_headers_and_method(user_client, table, receiver):
    create_hook(user_client, table, receiver.url, headers={"X-Secret": "abc"}, request_method="PUT")
    name = primary(table)
    row = user_client.post(f"{ROWS}/{table.id}/", {name.db_column: "Ann"}, format="json").json()
    (call,) = receiver.wait_for(1)
    assert call["method"] == "PUT"
    assert call["headers"]["X-Secret"] == "abc"
    (item,) = call["body"]["items"]
    assert item["id"] == row["id"] and item[name.name] == "Ann"
    assert name.db_column not in item


def test_field_and_view_events(user_client, table, receiver):
    hook = create_hook(user_client, table, receiver.url)
    field = user_client.post(
        f"/api/database/fields/table/{table.id}/", {"name": "Extra", "type": "text"}, format="json"
    ).json()
    call = receiver.wait_for(1)[0]
    check_headers(call, "field.created")
    del field["related_fields"]  # the API's answer has them, the field object does not
    assert call["body"] == {**base(table, hook, "field.created", call), "field": field}
    field = user_client.patch(
        f"/api/database/fields/{field['id']}/", {"type": "number"}, format="json"
    ).json()
    call = receiver.wait_for(2)[1]
    check_headers(call, "field.updated")
    del field["related_fields"]
    assert call["body"]["field"] == field
    user_client.delete(f"/api/database/fields/{field['id']}/")
    call = receiver.wait_for(3)[2]
    check_headers(call, "field.deleted")
    assert call["body"] == {**base(table, hook, "field.deleted", call), "field_id": field["id"]}

    view = create_view(user_client, table, "grid")
    call = receiver.wait_for(4)[3]
    check_headers(call, "view.created")
    assert call["body"]["view"] == user_client.get(f"{VIEWS}/{view['id']}/").json()
    user_client.patch(f"{VIEWS}/{view['id']}/", {"name": "Renamed"}, format="json")
    call = receiver.wait_for(5)[4]
    check_headers(call, "view.updated")
    assert call["body"]["view"]["name"] == "Renamed"
    user_client.delete(f"{VIEWS}/{view['id']}/")
    call = receiver.wait_for(6)[5]
    check_headers(call, "view.deleted")
    assert call["body"] == {**base(table, hook, "view.deleted", call), "view_id": view["id"]}


def test_a_batch_of_200_rows_is_one_call(user_client, table, receiver):
    create_hook(user_client, table, receiver.url)
    name = primary(table)
    items = [{name.db_column: f"r{n}"} for n in range(200)]
    response = user_client.post(f"{ROWS}/{table.id}/batch/", {"items": items}, format="json")
    assert response.status_code == 200
    rows = response.json()["items"]
    (call,) = receiver.wait_for(1)
    assert [item["id"] for item in call["body"]["items"]] == [row["id"] for row in rows]
    ids = [row["id"] for row in rows]
    user_client.post(f"{ROWS}/{table.id}/batch-delete/", {"items": ids}, format="json")
    assert receiver.wait_for(2)[1]["body"]["row_ids"] == ids
    assert len(receiver.calls) == 2


def test_a_rolled_back_change_sends_nothing(user_client, table, receiver):
    create_hook(user_client, table, receiver.url, include_all_events=False, events=["rows.created"])
    with pytest.raises(RuntimeError), transaction.atomic():
        rows_create(table=table, items=[{}])
        raise RuntimeError("roll back")
    rows_create(table=table, items=[{}])  # a committed change, as a barrier
    calls = receiver.wait_for(1)
    assert len(calls) == 1
    assert TableWebhook.objects.get().calls.count() == 1


def test_only_the_chosen_events_and_fields(user_client, table, receiver):
    name = primary(table)
    other = Field.objects.filter(table=table, primary=False, type="text").first()
    assert other is not None
    create_hook(
        user_client,
        table,
        receiver.url,
        include_all_events=False,
        events=["rows.updated"],
        event_config=[{"event_type": "rows.updated", "fields": [name.id]}],
    )
    row = user_client.post(f"{ROWS}/{table.id}/", {}, format="json").json()  # not listened to
    path = f"{ROWS}/{table.id}/{row['id']}/"
    user_client.patch(path, {other.db_column: "not this field"}, format="json")
    user_client.patch(path, {name.db_column: "this one"}, format="json")
    (call,) = receiver.wait_for(1)
    assert call["body"]["event_type"] == "rows.updated"
    assert call["body"]["items"][0][name.name] == "this one"
    user_client.patch(path, {name.db_column: "again"}, format="json")
    assert len(receiver.wait_for(2)) == 2


def test_views_narrow_rows_events_to_the_rows_they_show(user_client, table, receiver):
    name = primary(table)
    view = create_view(user_client, table, "grid")
    add_filter(user_client, view["id"], name.id, "equal", "keep")
    create_hook(
        user_client,
        table,
        receiver.url,
        include_all_events=False,
        events=["rows.created"],
        event_config=[{"event_type": "rows.created", "views": [view["id"]]}],
    )
    items = [{name.db_column: "drop"}, {name.db_column: "keep"}]
    user_client.post(f"{ROWS}/{table.id}/batch/", {"items": items}, format="json")
    user_client.post(f"{ROWS}/{table.id}/", {name.db_column: "drop"}, format="json")
    user_client.post(f"{ROWS}/{table.id}/", {name.db_column: "keep"}, format="json")
    calls = receiver.wait_for(2)
    assert [[i[name.name] for i in c["body"]["items"]] for c in calls] == [["keep"], ["keep"]]


def test_public_form_submissions_are_delivered(user_client, api_client, table, receiver):
    create_hook(user_client, table, receiver.url)
    name = primary(table)
    form = create_view(user_client, table, "form")
    options = {str(name.id): {"enabled": True}}
    user_client.patch(
        f"{VIEWS}/{form['id']}/field-options/", {"field_options": options}, format="json"
    )
    form = user_client.patch(f"{VIEWS}/{form['id']}/", {"public": True}, format="json").json()
    count = len(receiver.wait_for(2))  # the view's creation and its update
    response = api_client.post(
        f"{VIEWS}/form/{form['slug']}/submit/", {name.db_column: "From the form"}, format="json"
    )
    assert response.status_code == 200
    call = receiver.wait_for(count + 1)[-1]
    assert call["body"]["event_type"] == "rows.created"
    assert call["body"]["items"][0][name.name] == "From the form"


def test_the_linked_table_hears_rows_updated_when_links_change(user_client, table, receiver):
    """As Baserow calls the linked table's `rows.updated` webhooks (those listening to the
    related field, or to all fields) when a write gains or loses its rows."""
    database = f"/api/database/tables/database/{table.database_id}/"
    other = Table.objects.get(
        id=user_client.post(database, {"name": "O"}, format="json").json()["id"]
    )
    link = user_client.post(
        f"/api/database/fields/table/{table.id}/",
        {"name": "Link", "type": "link_row", "link_row_table_id": other.id},
        format="json",
    ).json()
    related_id = link["link_row_related_field_id"]
    target = user_client.post(f"{ROWS}/{other.id}/", {}, format="json").json()
    listened = {"event_type": "rows.updated", "fields": [related_id]}
    hook = create_hook(
        user_client,
        other,
        receiver.url,
        use_user_field_names=False,
        include_all_events=False,
        events=["rows.updated"],
        event_config=[listened],
    )
    # A webhook of the linked table listening to another field does not hear it.
    create_hook(
        user_client,
        other,
        receiver.url + "/primary",
        include_all_events=False,
        events=["rows.updated"],
        event_config=[{"event_type": "rows.updated", "fields": [primary(other).id]}],
    )
    row = user_client.post(
        f"{ROWS}/{table.id}/", {f"field_{link['id']}": [target["id"]]}, format="json"
    ).json()
    (call,) = receiver.wait_for(1)
    check_headers(call, "rows.updated")
    linked = user_client.get(f"{ROWS}/{other.id}/{target['id']}/").json()
    assert [item["id"] for item in linked[f"field_{related_id}"]] == [row["id"]]
    assert call["body"] == {
        **base(other, hook, "rows.updated", call),
        "items": [linked],
        "old_items": [target],
    }
    assert user_client.delete(f"{ROWS}/{table.id}/{row['id']}/").status_code == 204
    call = receiver.wait_for(2)[1]
    assert call["path"] == "/hook"
    assert call["body"]["items"] == [user_client.get(f"{ROWS}/{other.id}/{target['id']}/").json()]
    assert call["body"]["old_items"] == [linked]
    assert call["body"]["items"][0][f"field_{related_id}"] == []
    assert all(call["path"] == "/hook" for call in receiver.calls)
