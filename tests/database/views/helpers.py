"""Helpers for view tests: make views and read rows through them over HTTP."""

from typing import Any

from rest_framework.test import APIClient

from database.tables.models import Table

VIEWS = "/api/database/views"


def create_view(client: APIClient, table: Table, type: str = "grid", **body: Any) -> dict:
    response = client.post(
        f"{VIEWS}/table/{table.id}/", {"name": f"My {type}", "type": type, **body}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def add_filter(client: APIClient, view_id: int, field_id: int, type: str, value="", **extra):
    body = {"field": field_id, "type": type, "value": value, **extra}
    response = client.post(f"{VIEWS}/{view_id}/filters/", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def add_sort(
    client: APIClient, view_id: int, field_id: int, order: str = "ASC", **extra: Any
) -> dict:
    body = {"field": field_id, "order": order, **extra}
    response = client.post(f"{VIEWS}/{view_id}/sortings/", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def grid_ids(client: APIClient, view_id: int, query: str = "") -> list[int]:
    """The ids of the rows the grid view lists, in its order."""
    response = client.get(f"{VIEWS}/grid/{view_id}/?size=1000&{query}")
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]
