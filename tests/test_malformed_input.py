"""A sweep of malformed input over every endpoint that takes a body: always a clear 4xx."""

import json

import pytest
from rest_framework.test import APIClient

from database.applications.models import Application
from database.tokens.services import token_create
from database.views.models import View, ViewFilter, ViewFilterGroup, ViewGroupBy, ViewSort
from users.tokens import token_pair_for_user
from workspaces.models import WorkspaceInvitation, WorkspaceUser

PUBLIC = [
    ("post", "/api/user/", ["name", "email", "password", "language", "authenticate"]),
    ("post", "/api/user/token-auth/", ["email", "username", "password"]),
    ("post", "/api/user/token-refresh/", ["refresh_token", "token"]),
    ("post", "/api/user/token-verify/", ["refresh_token", "token"]),
    ("post", "/api/user/token-blacklist/", ["refresh_token"]),
    ("post", "/api/user/send-reset-password-email/", ["email", "base_url"]),
    ("post", "/api/user/reset-password/", ["token", "password"]),
]
AUTHENTICATED = [
    ("patch", "/api/user/account/", ["first_name", "language", "completed_guided_tours"]),
    ("post", "/api/user/change-password/", ["old_password", "new_password"]),
    ("post", "/api/workspaces/", ["name"]),
    ("patch", "/api/workspaces/{workspace}/", ["name"]),
    ("post", "/api/workspaces/order/", ["workspaces"]),
    ("patch", "/api/workspaces/users/{member}/", ["permissions"]),
    (
        "post",
        "/api/workspaces/invitations/workspace/{workspace}/",
        ["email", "permissions", "message", "base_url"],
    ),
    ("patch", "/api/workspaces/invitations/{invitation}/", ["permissions"]),
    ("patch", "/api/groups/{workspace}/", ["name"]),
    ("post", "/api/applications/workspace/{workspace}/", ["name", "type", "init_with_data"]),
    ("patch", "/api/applications/{database}/", ["name"]),
    ("post", "/api/applications/workspace/{workspace}/order/", ["application_ids"]),
    ("post", "/api/database/tables/database/{database}/", ["name", "data", "first_row_header"]),
    ("post", "/api/database/tables/database/{database}/async/", ["name", "data"]),
    ("patch", "/api/database/tables/{table}/", ["name"]),
    ("post", "/api/database/tables/database/{database}/order/", ["table_ids"]),
    ("post", "/api/database/tokens/", ["name", "workspace"]),
    ("patch", "/api/database/tokens/{token}/", ["name", "permissions", "rotate_key"]),
    ("post", "/api/database/views/table/{table}/", ["name", "type", "filter_type"]),
    ("patch", "/api/database/views/{view}/", ["name", "public", "public_view_password"]),
    ("post", "/api/database/views/table/{table}/order/", ["view_ids"]),
    ("patch", "/api/database/views/{view}/field-options/", ["field_options"]),
    ("post", "/api/database/views/{view}/filters/", ["field", "type", "value", "group"]),
    ("patch", "/api/database/views/filter/{filter}/", ["field", "type", "value"]),
    ("patch", "/api/database/views/filter-group/{group}/", ["filter_type"]),
    ("post", "/api/database/views/{view}/sortings/", ["field", "order", "type"]),
    ("patch", "/api/database/views/sort/{sort}/", ["field", "order", "type"]),
    ("post", "/api/database/views/{view}/group_bys/", ["field", "order", "width"]),
    ("patch", "/api/database/views/group_by/{group_by}/", ["field", "order", "width"]),
    ("post", "/api/database/views/grid/{view}/", ["row_ids", "field_ids"]),
    ("post", "/api/database/views/{slug}/public/auth/", ["password"]),
    ("post", "/api/database/views/{view}/filter-groups/", ["filter_type", "parent_group"]),
]
ENDPOINTS = PUBLIC + AUTHENTICATED
# Every body key optional: a body that parses to no known key is a valid request, as in Baserow.
ALL_OPTIONAL = {"/api/database/tokens/{token}/", "/api/database/views/{view}/filter-groups/"}
FORM_TYPES = ("multipart/", "application/x-www-form-urlencoded")

BAD_VALUES = [
    None,
    12345678901234567890,
    -1,
    3.5,
    True,
    [],
    ["a", ["b"]],
    {},
    {"nested": {"deeper": [1, 2, 3]}},
    "",
    "x" * 100_000,
    "nul\x00byte",
    "\U0001f600" * 1000,
]

RAW_BODIES = [
    (b"{broken", "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b'"just a string"', "application/json"),
    (b"null", "application/json"),
    (b"42", "application/json"),
    (b"\xff\xfe\xfa", "application/json"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    (b'{"a": ' * 5_000 + b"1" + b"}" * 5_000, "application/json"),
    (b"name=x&email=y", "text/plain"),
    (b"<xml/>", "application/xml"),
    (b"--boundary\r\nbroken", "multipart/form-data; boundary=boundary"),
    (b"%%%=%%%&&&", "application/x-www-form-urlencoded"),
]


@pytest.fixture
def ids(user, other_user):
    """Objects the URL templates point at: the user's workspace, a member, an invitation."""
    admin = WorkspaceUser.objects.get(user=user)
    member = WorkspaceUser.objects.create(
        workspace=admin.workspace, user=other_user, permissions="MEMBER", order=2
    )
    invitation = WorkspaceInvitation.objects.create(
        workspace=admin.workspace, invited_by=user, email="carol@example.com", permissions="MEMBER"
    )
    database = Application.objects.filter(workspace=admin.workspace).first()
    token = token_create(user=user, workspace=admin.workspace, name="Sweep")
    table = database.tables.first()
    view = View.objects.get(table=table)
    field = table.fields.get(primary=True)
    protected = View.objects.create(
        table=table, name="Shared", type="grid", public=True, public_view_password="x"
    )
    return {
        "token": token.id,
        "view": view.id,
        "filter": ViewFilter.objects.create(view=view, field=field, type="empty").id,
        "group": ViewFilterGroup.objects.create(view=view).id,
        "sort": ViewSort.objects.create(view=view, field=field).id,
        "group_by": ViewGroupBy.objects.create(view=view, field=field).id,
        "slug": protected.slug,
        "workspace": admin.workspace_id,
        "member": member.id,
        "invitation": invitation.id,
        "database": database.id,
        "table": table.id,
    }


@pytest.fixture
def client(user):
    client = APIClient()
    access, _ = token_pair_for_user(user)
    client.credentials(HTTP_AUTHORIZATION=f"JWT {access}")
    return client


def assert_clear_4xx(response, what):
    assert 400 <= response.status_code < 500, (what, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), what
    body = response.json()
    assert "detail" in body, (what, body)


def send(client, method, url, **kwargs):
    return getattr(client, method)(url, **kwargs)


@pytest.mark.parametrize(("method", "template", "fields"), ENDPOINTS)
def test_wrong_values_in_every_field(client, ids, method, template, fields):
    url = template.format(**ids)
    for field in fields:
        for value in BAD_VALUES:
            response = send(client, method, url, data={field: value}, format="json")
            if response.status_code < 400:
                # A few values are valid for some fields (an empty account patch is not).
                continue
            assert_clear_4xx(response, (url, field, repr(value)[:40]))


@pytest.mark.parametrize(("method", "template", "fields"), ENDPOINTS)
def test_broken_bodies(client, ids, method, template, fields):
    url = template.format(**ids)
    for raw, content_type in RAW_BODIES:
        response = send(client, method, url, data=raw, content_type=content_type)
        if template in ALL_OPTIONAL and content_type.startswith(FORM_TYPES):
            # A broken form body parses to no known field: for these, a valid request.
            assert response.status_code == 200, (url, response.content[:300])
            continue
        assert_clear_4xx(response, (url, raw[:30], content_type))
    for field in fields:
        # JSON may escape a lone surrogate, which no UTF-8 text (nor database) can hold.
        raw = b'{"%s": "a\\ud83d"}' % field.encode()
        response = send(client, method, url, data=raw, content_type="application/json")
        assert_clear_4xx(response, (url, raw))


@pytest.mark.parametrize(("method", "template", "fields"), ENDPOINTS)
def test_a_huge_body_is_refused_cleanly(client, ids, method, template, fields):
    url = template.format(**ids)
    body = json.dumps({fields[0]: "y" * 5_000_000})
    response = send(client, method, url, data=body, content_type="application/json")
    assert_clear_4xx(response, url)


# The generated API docs take no body: their ids and credentials are the input to sweep.
DOCS_URLS = ["/api-docs/database/{id}/", "/api/database/{id}/schema.json"]
BAD_IDS = ["12345678901234567890", "-1", "abc", "1.5", "%00", "\U0001f600"]
BAD_CREDENTIALS = [
    "JWT " + "x" * 20_000,  # past 64 KiB of headers the request gets 431 before any view
    "JWT nul\x00byte",
    # WSGI hands headers over as latin-1 text: the UTF-8 bytes of an emoji, as a server would.
    "JWT " + "\U0001f600".encode().decode("latin-1"),
    "JWT a.b.c",
    "Bearer",
    "Token " + "k" * 1000,
]


@pytest.mark.parametrize("template", DOCS_URLS)
def test_api_docs_refuse_bad_ids_and_credentials(client, ids, template):
    for bad_id in BAD_IDS:
        response = client.get(template.format(id=bad_id))
        assert response.status_code == 404, (template, bad_id, response.status_code)
    url = template.format(id=ids["database"])
    for credentials in BAD_CREDENTIALS:
        anonymous = APIClient()
        anonymous.credentials(HTTP_AUTHORIZATION=credentials)
        response = anonymous.get(url)
        assert response.status_code == 401, (url, credentials[:20], response.status_code)
        anonymous = APIClient()
        anonymous.cookies["jwt_token"] = credentials.partition(" ")[2]
        assert anonymous.get(url).status_code == 401, (url, "cookie", credentials[:20])


def test_unsupported_media_type_has_the_contract_body(client):
    response = client.post("/api/workspaces/", data=b"name=x", content_type="text/plain")
    assert response.status_code == 415
    assert response.json() == {"detail": 'Unsupported media type "text/plain" in request.'}
