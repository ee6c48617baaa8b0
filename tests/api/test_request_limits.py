"""Long URLs and headers, and query strings no text column can hold: refused in JSON."""

import http.client
import json
from urllib.parse import quote

import pytest
from django.test import Client

from tests.servers import Server, migrate, server_env

ROWS_URL = "/api/database/rows/table/1/"


def a_filters_value(size: int) -> str:
    """A real filters value of about `size` bytes: many conditions on a field."""
    condition = {"type": "contains", "field": "Name", "value": "x" * 50}
    count = max(1, size // 80)
    return json.dumps({"filter_type": "OR", "filters": [condition] * count, "groups": []})


@pytest.fixture
def client(db):
    return Client()


def test_a_long_filters_value_fits(client):
    response = client.get(ROWS_URL, {"filters": a_filters_value(40_000)})
    # No token: the request got past the limits to the view's own authentication.
    assert response.status_code == 401


def test_a_too_long_url_gets_a_json_414(client):
    response = client.get(ROWS_URL, {"filters": a_filters_value(140_000)})
    assert response.status_code == 414
    assert response.json() == {
        "error": "ERROR_REQUEST_LINE_TOO_LONG",
        "detail": "The URL is too long.",
    }


def test_too_large_headers_get_a_json_431(client):
    response = client.get(ROWS_URL, HTTP_X_PADDING="p" * 70_000)
    assert response.status_code == 431
    assert response.json()["error"] == "ERROR_REQUEST_HEADERS_TOO_LARGE"


@pytest.mark.parametrize(
    ("query", "name", "code"),
    [
        ("search=a%00b", "search", "null_characters_not_allowed"),
        ("search=a%ED%A0%BDb", "search", "invalid"),  # the UTF-8 form of a lone surrogate
        ("filters=%FF", "filters", "invalid"),
        ("x=1&order_by=%00", "order_by", "null_characters_not_allowed"),
    ],
)
def test_nul_and_broken_text_in_query_parameters_are_refused(client, query, name, code):
    response = client.get(f"{ROWS_URL}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "ERROR_QUERY_PARAMETER_VALIDATION"
    assert body["detail"] == {name: [{"error": body["detail"][name][0]["error"], "code": code}]}


def test_ordinary_text_in_query_parameters_passes(client):
    response = client.get(f"{ROWS_URL}?search=caf%C3%A9+%F0%9F%98%80&user_field_names=")
    assert response.status_code == 401


def raw_request(port: int, target: str, headers: dict) -> tuple[int, dict, dict]:
    """Send a GET as it is; (status, headers, JSON body) of the answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", target)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        answer_headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, answer_headers, json.loads(response.read())
    finally:
        connection.close()


def test_the_production_server_answers_in_json_at_every_limit(tmp_path):
    env = server_env(DATA_DIR=str(tmp_path))
    migrate(env)
    server = Server(env)
    try:
        line, headers = "ERROR_REQUEST_LINE_TOO_LONG", "ERROR_REQUEST_HEADERS_TOO_LARGE"
        cases = [
            (a_filters_value(40_000), {}, 401, None),  # past the limits, to authentication
            ("x" * 200_000, {}, 414, line),  # past the app's limit
            ("x" * 2_000_000, {}, 414, line),  # past the server's own
            ("x", {"X-Padding": "p" * 100_000}, 431, headers),
            ("x", {"X-Padding": "p" * 2_000_000}, 431, headers),
        ]
        for filters, extra, status, code in cases:
            answer = raw_request(server.port, f"{ROWS_URL}?filters={quote(filters)}", extra)
            assert answer[0] == status, (len(filters), answer)
            assert answer[1]["content-type"] == "application/json"
            assert "server" not in answer[1]
            if code:
                assert answer[2]["error"] == code
    finally:
        server.stop()
