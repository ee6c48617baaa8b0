"""Ordering workspaces with ids past 64 bits is a clear 400, not an overflow (schemathesis)."""


def test_ids_past_64_bits_are_refused(user_client, user):
    response = user_client.post(
        "/api/workspaces/order/", {"workspaces": [9560057481486006608925294592]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert response.json()["detail"]["workspaces"]["0"][0]["code"] == "max_value"
