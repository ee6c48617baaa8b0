"""GET /api-docs/database/<id>/: the HTML docs of a database, for members of its workspace."""

import html
import json
import re

import pytest
from django.test import Client

from database.api_docs.selectors import database_docs
from database.fields.models import Field
from database.fields.services import field_create
from users.tokens import token_pair_for_user


def page_url(database_id: int) -> str:
    return f"/api-docs/database/{database_id}/"


def signed_in(user, *, cookie: bool = False) -> Client:
    """A browser-like client carrying the user's access token in a header or in the cookie."""
    access, _ = token_pair_for_user(user)
    if cookie:
        client = Client()
        client.cookies["jwt_token"] = str(access)
        return client
    return Client(HTTP_AUTHORIZATION=f"JWT {access}")


def text_of(response) -> str:
    return response.content.decode()


def test_a_member_sees_every_table_with_its_fields_and_examples(
    user, every_type_table, projects, database_app
):
    response = signed_in(user).get(page_url(database_app.id))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = html.unescape(text_of(response))
    for table in database_docs(database=database_app):
        assert f"{table.name} " in page and f"table id {table.id}" in page
        assert f"/api/database/rows/table/{table.id}/batch-delete/" in page
        for field in table.fields:
            assert field.name in page and field.key in page and f"id {field.id}" in page
        assert json.dumps(table.request_example(), indent=2, ensure_ascii=False) in page
        named = table.request_example(user_field_names=True)
        assert json.dumps(named, indent=2, ensure_ascii=False) in page
        assert json.dumps(table.response_example(), indent=2, ensure_ascii=False) in page
    assert "Authorization: Token <key>" in page and "Authorization: JWT <access_token>" in page
    for word in ("order_by", "user_field_names", "filter_type", "ERROR_ROW_DOES_NOT_EXIST"):
        assert word in page
    assert "link_row_has" in page and "date_is_within" in page


def test_read_only_fields_are_marked_and_left_out_of_request_examples(
    user, every_type_table, database_app
):
    page = html.unescape(text_of(signed_in(user).get(page_url(database_app.id))))
    (doc,) = [t for t in database_docs(database=database_app) if t.id == every_type_table.id]
    autonumber = Field.objects.get(table=every_type_table, type="autonumber")
    assert f"field_{autonumber.id}" not in doc.request_example()
    assert f"field_{autonumber.id}" in doc.response_example()
    assert "read-only" in page


def test_the_jwt_cookie_signs_in(user, every_type_table, database_app):
    response = signed_in(user, cookie=True).get(page_url(database_app.id))
    assert response.status_code == 200
    assert every_type_table.name in text_of(response)


def test_the_sign_in_pages_token_works_as_the_cookie(user, database_app, make_table):
    make_table("Signed in")
    client = Client()
    login = client.post(
        "/api/user/token-auth/",
        {"email": "ada@example.com", "password": "password123"},
        content_type="application/json",
    )
    client.cookies["jwt_token"] = login.json()["access_token"]
    response = client.get(page_url(database_app.id))
    assert response.status_code == 200
    assert "Signed in" in text_of(response)


@pytest.mark.parametrize(
    "credentials",
    [
        {},
        {"HTTP_AUTHORIZATION": "JWT not-a-token"},
        {"HTTP_AUTHORIZATION": "Token some-database-token"},
        {"HTTP_AUTHORIZATION": "JWT"},
    ],
)
def test_without_valid_credentials_the_answer_is_a_sign_in_page(
    credentials, database_app, make_table
):
    make_table("Secret table")
    response = Client(**credentials).get(page_url(database_app.id))
    assert response.status_code == 401
    page = text_of(response)
    assert "Secret table" not in page and database_app.name not in page
    assert 'fetch("/api/user/token-auth/"' in page
    assert '"jwt_token=" + encodeURIComponent(result.body.access_token)' in page
    assert "SameSite=Strict" in page and "window.location.reload()" in page


def test_a_bad_cookie_or_a_deactivated_user_gets_the_sign_in_page(user, database_app):
    client = Client()
    client.cookies["jwt_token"] = "garbage\x7f"
    assert client.get(page_url(database_app.id)).status_code == 401
    cookie_client = signed_in(user, cookie=True)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert cookie_client.get(page_url(database_app.id)).status_code == 401


def test_non_members_and_unknown_databases_get_the_same_404_page(
    other_user, database_app, make_table
):
    make_table("Secret table")
    client = signed_in(other_user)
    hidden = client.get(page_url(database_app.id))
    unknown = client.get(page_url(987_654))
    huge = client.get(page_url(10**20))
    assert hidden.status_code == unknown.status_code == huge.status_code == 404
    assert text_of(hidden) == text_of(unknown) == text_of(huge)
    assert "Secret table" not in text_of(hidden) and database_app.name not in text_of(hidden)


def test_other_methods_are_refused(user, database_app):
    assert signed_in(user).post(page_url(database_app.id)).status_code == 405
    assert signed_in(user).head(page_url(database_app.id)).status_code == 200


def test_user_input_is_escaped(user, make_table, database_app):
    table = make_table('Evil"><img src=x onerror=alert(1)>')
    field_create(user=user, table=table, type="text", name="<script>alert('x')</script>")
    field_create(
        user=user,
        table=table,
        type="single_select",
        name="</pre><b>bold</b>",
        options={"select_options": [{"value": "<i>opt</i>", "color": "red"}]},
    )
    Field.objects.filter(table=table, primary=True).update(description="<svg onload=alert(2)>")

    page = text_of(signed_in(user).get(page_url(database_app.id)))
    for raw in ("<script>alert", "<img src=x", "</pre><b>", "<i>opt</i>", "<svg onload"):
        assert raw not in page, raw
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;i&gt;opt&lt;/i&gt;" in page
    assert "&lt;svg onload=alert(2)&gt;" in page


def test_the_page_loads_nothing_from_elsewhere(user, every_type_table, database_app):
    response = signed_in(user).get(page_url(database_app.id))
    page = text_of(response)
    links = re.findall(r"""(?:src|href|action)\s*=\s*["']?([^"'\s>]+)""", page, re.I)
    assert links and all(link.startswith(("#", "/")) for link in links), links
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert "<link" not in page and "url(" not in page and "@import" not in page
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
