"""The webhook endpoints of 09: CRUD, the limit, event config, validation, tenants, schema."""

import pytest
from django.urls import reverse

from database.fields.models import Field
from database.tables.models import Table
from database.views.models import View
from tests.webhooks.conftest import first_table

HOOK = {"url": "http://example.com/hook", "name": "My hook"}


def hooks_path(table_id: int) -> str:
    return reverse("api:webhooks:list", kwargs={"table_id": table_id})


def hook_path(webhook_id: int) -> str:
    return reverse("api:webhooks:item", kwargs={"webhook_id": webhook_id})


def test_create_gives_the_webhook_object_with_defaults(user_client, table):
    response = user_client.post(hooks_path(table.id), HOOK, format="json")
    assert response.status_code == 200
    hook = response.json()
    assert set(hook) == {
        "id", "events", "event_config", "headers", "calls", "created_on", "updated_on",
        "use_user_field_names", "url", "request_method", "name", "include_all_events",
        "failed_triggers", "active",
    }  # fmt: skip
    assert hook["url"] == HOOK["url"]
    assert hook["name"] == "My hook"
    assert hook["request_method"] == "POST"
    assert hook["include_all_events"] is True
    assert hook["use_user_field_names"] is True
    assert hook["active"] is True
    assert hook["failed_triggers"] == 0
    assert hook["events"] == [] and hook["event_config"] == [] and hook["calls"] == []
    assert hook["headers"] == {}
    listed = user_client.get(hooks_path(table.id)).json()
    assert [h["id"] for h in listed] == [hook["id"]]
    assert user_client.get(hook_path(hook["id"])).json() == hook


def test_events_config_headers_and_update(user_client, table):
    name = Field.objects.get(table=table, primary=True)
    view = View.objects.filter(table=table).first()
    body = {
        **HOOK,
        "include_all_events": False,
        "events": ["rows.updated", "field.created"],
        "event_config": [{"event_type": "rows.updated", "fields": [name.id], "views": [view.id]}],
        "headers": {"X-Secret": "abc"},
        "request_method": "PUT",
        "use_user_field_names": False,
    }
    hook = user_client.post(hooks_path(table.id), body, format="json").json()
    assert hook["events"] == ["rows.updated", "field.created"]
    assert hook["event_config"] == [
        {"event_type": "rows.updated", "fields": [name.id], "views": [view.id]},
        {"event_type": "field.created", "fields": [], "views": []},
    ]
    assert hook["headers"] == {"X-Secret": "abc"}
    assert hook["request_method"] == "PUT"
    assert hook["use_user_field_names"] is False
    changed = user_client.patch(
        hook_path(hook["id"]),
        {"events": ["rows.deleted"], "active": False, "name": "Renamed"},
        format="json",
    ).json()
    assert changed["events"] == ["rows.deleted"]
    assert changed["active"] is False
    assert changed["name"] == "Renamed"
    assert changed["url"] == HOOK["url"]


def test_delete(user_client, table):
    hook = user_client.post(hooks_path(table.id), HOOK, format="json").json()
    assert user_client.delete(hook_path(hook["id"])).status_code == 204
    response = user_client.get(hook_path(hook["id"]))
    assert response.status_code == 404
    assert response.json()["error"] == "ERROR_TABLE_WEBHOOK_DOES_NOT_EXIST"


def test_unknown_webhook_and_table(user_client):
    for method in ("get", "patch", "delete"):
        response = getattr(user_client, method)(hook_path(99999), {}, format="json")
        assert response.status_code == 404
        assert response.json()["error"] == "ERROR_TABLE_WEBHOOK_DOES_NOT_EXIST"
    response = user_client.post(hooks_path(99999), HOOK, format="json")
    assert response.status_code == 404
    assert response.json()["error"] == "ERROR_TABLE_DOES_NOT_EXIST"


def test_twenty_per_table(user_client, table, settings):
    for n in range(settings.WEBHOOKS_MAX_PER_TABLE):
        response = user_client.post(hooks_path(table.id), {**HOOK, "name": f"h{n}"}, format="json")
        assert response.status_code == 200
    response = user_client.post(hooks_path(table.id), HOOK, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_TABLE_WEBHOOK_MAX_LIMIT_EXCEEDED"
    assert "maximum of 20 webhooks" in response.json()["detail"]


def test_event_config_field_or_view_of_another_table(user_client, table, user):
    other = Table.objects.filter(database=table.database).exclude(id=table.id).first()
    assert other is not None
    foreign_field = Field.objects.filter(table=other).first()
    body = {
        **HOOK,
        "events": ["rows.updated"],
        "event_config": [{"event_type": "rows.updated", "fields": [foreign_field.id]}],
    }
    response = user_client.post(hooks_path(table.id), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_TABLE_WEBHOOK_EVENT_CONFIG_FIELD_NOT_IN_TABLE"
    foreign_view = View.objects.filter(table=other).first()
    body["event_config"] = [{"event_type": "rows.updated", "views": [foreign_view.id]}]
    response = user_client.post(hooks_path(table.id), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_TABLE_WEBHOOK_EVENT_CONFIG_VIEW_NOT_IN_TABLE"
    assert not table.webhooks.exists()  # the failed creation rolled back


@pytest.mark.parametrize(
    "change",
    [
        {"url": "ftp://example.com/x"},
        {"url": "not a url"},
        {"url": "http://example.com/" + "x" * 2000},
        {"request_method": "TRACE"},
        {"events": ["rows.exploded"]},
        {"headers": {"X-Evil": "a\r\nInjected: yes"}},
        {"headers": {"X-Evil": "a\nb"}},
        {"headers": {"Bad Name": "x"}},
        {"headers": {"X-Nul": "a\x00b"}},
        {"name": ""},
    ],
)
def test_bad_bodies_are_400(user_client, table, change):
    response = user_client.post(hooks_path(table.id), {**HOOK, **change}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


def test_private_targets_are_refused_at_creation(user_client, table):
    for url in ("http://127.0.0.1:9/x", "http://localhost/x", "http://169.254.169.254/latest"):
        response = user_client.post(hooks_path(table.id), {**HOOK, "url": url}, format="json")
        assert response.status_code == 400, url
        assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


def test_another_user_never_reaches_the_webhooks(user_client, client_for, other_user, table):
    hook = user_client.post(hooks_path(table.id), HOOK, format="json").json()
    other = client_for(other_user)
    for response in (
        other.get(hooks_path(table.id)),
        other.post(hooks_path(table.id), HOOK, format="json"),
        other.get(hook_path(hook["id"])),
        other.patch(hook_path(hook["id"]), {"name": "x"}, format="json"),
        other.delete(hook_path(hook["id"])),
        other.post(
            reverse("api:webhooks:test_call", kwargs={"table_id": table.id}),
            {"url": HOOK["url"]},
            format="json",
        ),
    ):
        assert response.status_code == 400
        assert response.json()["error"] == "ERROR_USER_NOT_IN_GROUP"
    assert user_client.get(hook_path(hook["id"])).json()["name"] == "My hook"
    # Nor do they see B's webhooks through A's table ids.
    assert first_table(other_user).id != table.id


def test_requires_authentication(api_client, table):
    assert api_client.get(hooks_path(table.id)).status_code == 401


def test_the_schema_documents_the_endpoints(api_client):
    schema = api_client.get("/api/schema.json").json()
    paths = schema["paths"]
    listing = paths["/api/database/webhooks/table/{table_id}/"]
    assert {"get", "post"} <= set(listing)
    assert "ERROR_TABLE_WEBHOOK_MAX_LIMIT_EXCEEDED" in str(listing["post"]["responses"]["400"])
    item = paths["/api/database/webhooks/{webhook_id}/"]
    assert "ERROR_TABLE_WEBHOOK_DOES_NOT_EXIST" in str(item["get"]["responses"]["404"])
    assert "post" in paths["/api/database/webhooks/table/{table_id}/test-call/"]
