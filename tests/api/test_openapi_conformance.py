"""The published OpenAPI document against the server's answers: a bounded schemathesis run.

Every operation gets a few generated requests (valid and invalid bodies and queries) from an
authenticated user whose path parameters name real objects of theirs, so that answers past the
lookups are reached too; no answer may be a server error or differ from the documented response
schemas and content types.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from baserow_clone.wsgi import application
from tests.workspaces.helpers import join, workspace_of
from users.tokens import token_pair_for_user
from workspaces.models import Notification, NotificationRecipient, WorkspaceInvitation
from workspaces.services import invitation_token

schema = schemathesis.openapi.from_wsgi("/api/schema.json", application)
CHECKS = [
    schemathesis.checks.not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
]


@pytest.fixture
def keep_the_test_connection():
    """Calls go to the WSGI app directly: like Django's test client, keep its request signals
    from closing the database connection that holds the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(user, make_user, client_for) -> dict:
    """Ids of real objects of the user's, by the name of the path parameter they fill."""
    client = client_for(user)
    workspace = workspace_of(user)
    database = client.get(f"/api/applications/workspace/{workspace.id}/").json()[0]
    table = database["tables"][0]
    fields = client.get(f"/api/database/fields/table/{table['id']}/").json()
    field = fields[0]
    views = f"/api/database/views/table/{table['id']}/"
    view = client.post(views, {"name": "Fuzzed", "type": "grid", "public": True}, format="json")
    view = view.json()
    base = f"/api/database/views/{view['id']}"
    text_filter = {"field": field["id"], "type": "contains", "value": "a"}
    view_filter = client.post(f"{base}/filters/", text_filter, format="json").json()
    group = client.post(f"{base}/filter-groups/", {}, format="json").json()
    sort = client.post(f"{base}/sortings/", {"field": field["id"]}, format="json").json()
    group_by = client.post(f"{base}/group_bys/", {"field": field["id"]}, format="json").json()
    row = client.get(f"/api/database/rows/table/{table['id']}/").json()["results"][0]
    token = client.post(
        "/api/database/tokens/", {"name": "Fuzz", "workspace": workspace.id}, format="json"
    ).json()
    colleague = make_user(email="colleague@example.com")
    membership = join(workspace, colleague)
    invitation = WorkspaceInvitation.objects.create(
        workspace=workspace, invited_by=user, email="invitee@example.com"
    )
    notification = Notification.objects.create(type="fuzz", workspace=workspace, data={})
    NotificationRecipient.objects.create(
        notification=notification, recipient=user, workspace_id=workspace.id
    )
    job = client.post(f"/api/database/tables/{table['id']}/duplicate/async/").json()
    return {
        "workspace_id": workspace.id,
        "application_id": database["id"],
        "database_id": database["id"],
        "table_id": table["id"],
        "field_id": field["id"],
        "view_id": view["id"],
        "slug": view["slug"],
        "filter_id": view_filter["id"],
        "group_id": group["id"],
        "sort_id": sort["id"],
        "group_by_id": group_by["id"],
        "row_id": row["id"],
        "token_id": token["id"],
        "workspace_user_id": membership.id,
        "invitation_id": invitation.id,
        "token": invitation_token(invitation=invitation),
        "notification_id": notification.id,
        "job_id": job["id"],
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_answers_match_the_published_schema(case, user, world, keep_the_test_connection):
    access, _ = token_pair_for_user(user)
    for name in case.path_parameters or {}:
        if name in world:
            case.path_parameters[name] = world[name]
    case.call_and_validate(headers={"Authorization": f"JWT {access}"}, checks=CHECKS)
