"""`/api/_health/full/`: the check report, for staff only."""

URL = "/api/_health/full/"


def test_staff_read_the_report(make_user, client_for):
    staff = make_user()  # the first account is staff
    response = client_for(staff).get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "passing": True,
        "checks": {"DatabaseBackend": "working", "CacheBackend": "working"},
    }


def test_other_users_and_anonymous_clients_are_refused(make_user, client_for, api_client):
    make_user()
    response = client_for(make_user()).get(URL)
    assert response.status_code == 401
    assert response.json()["error"] == "PERMISSION_DENIED"
    assert api_client.get(URL).status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="JWT not-a-token")
    assert api_client.get(URL).json()["error"] == "ERROR_INVALID_ACCESS_TOKEN"


def test_the_plain_health_check_needs_nothing(api_client):
    response = api_client.get("/api/_health/")
    assert (response.status_code, response.content) == (200, b"OK")
