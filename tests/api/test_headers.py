"""Response headers: CORS origins from settings, the docs pages' CSP and frame refusal."""

import pytest
from django.test import Client
from playwright.sync_api import sync_playwright

DOCS_PAGES = ["/api/redoc/", "/api/docs/"]


@pytest.fixture
def client(db):
    return Client()


def preflight(client: Client, origin: str):
    return client.options(
        "/api/workspaces/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )


def test_the_web_frontend_origin_may_call_the_api_by_default(client, settings):
    assert settings.PUBLIC_WEB_FRONTEND_URL == "http://localhost:3000"
    response = preflight(client, "http://localhost:3000")
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert "authorization" in response["Access-Control-Allow-Headers"]
    assert client.get("/api/_health/", HTTP_ORIGIN="http://localhost:3000")[
        "Access-Control-Allow-Origin"
    ] == ("http://localhost:3000")


def test_other_origins_are_not_allowed_by_default(client):
    assert "Access-Control-Allow-Origin" not in preflight(client, "https://evil.example")
    response = client.get("/api/_health/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response


def test_listed_origins_and_all_origins_are_opt_in(client, settings):
    settings.CORS_ALLOWED_ORIGINS = [*settings.CORS_ALLOWED_ORIGINS, "https://app.example"]
    assert preflight(client, "https://app.example")["Access-Control-Allow-Origin"] == (
        "https://app.example"
    )
    settings.CORS_ALLOW_ALL_ORIGINS = True
    assert preflight(client, "https://any.example")["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", DOCS_PAGES)
def test_docs_pages_have_a_policy_and_refuse_frames(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_json_answers_carry_no_page_policy(client):
    response = client.get("/api/schema.json")
    assert "Content-Security-Policy" not in response


@pytest.mark.django_db(transaction=True)
def test_docs_pages_render_in_a_browser_without_policy_violations(live_server):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            for path, shown in (
                ("/api/redoc/", "Baserow API spec"),
                ("/api/docs/", "Baserow API spec"),
            ):
                page = browser.new_page()
                messages: list[str] = []
                page.on("console", lambda message, messages=messages: messages.append(message.text))
                page.goto(live_server.url + path)
                page.get_by_text(shown).first.wait_for(timeout=30_000)
                # The Redoc bundle's vendor logo is blocked on purpose: the docs work offline.
                violations = [
                    m
                    for m in messages
                    if "Content Security Policy" in m and "cdn.redoc.ly" not in m
                ]
                assert violations == [], (path, violations)
                page.close()
        finally:
            browser.close()
