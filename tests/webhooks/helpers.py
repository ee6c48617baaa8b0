"""Webhooks made through the API, and the first field of a table."""

from typing import Any

from rest_framework.test import APIClient

from database.fields.models import Field
from database.tables.models import Table

ROWS = "/api/database/rows/table"


def create_hook(client: APIClient, table: Table, url: str, **body: Any) -> dict:
    response = client.post(
        f"/api/database/webhooks/table/{table.id}/",
        {"url": url, "name": "Hook", **body},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return response.json()


def primary(table: Table) -> Field:
    return Field.objects.get(table=table, primary=True)
