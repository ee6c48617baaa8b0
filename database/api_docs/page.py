"""What the HTML docs page shows, prepared for its template: labels, endpoints, JSON examples."""

import json
import re
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from database.api_docs.openapi import ROWS_PREFIX
from database.api_docs.selectors import FieldDoc, TableDoc, filter_type_names
from database.rows.serializers import BATCH_ROWS_SIZE_LIMIT, ROW_PAGE_SIZE_LIMIT

# Statuses and error codes every row endpoint can answer with, as the contract gives them.
STATUSES = [
    ("200", "OK", "The request succeeded."),
    ("204", "No content", "The row(s) were deleted."),
    ("400", "Bad request", "The request is invalid: see `error` and `detail`."),
    ("401", "Unauthorized", "No valid JWT or database token, or the token may not do this."),
    ("404", "Not found", "The table or row does not exist, or is not yours to see."),
    ("413", "Request entity too large", "The body is larger than the server accepts."),
    ("500", "Internal server error", "Something went wrong on the server."),
]
ERROR_CODES = [
    ("ERROR_REQUEST_BODY_VALIDATION", "A cell or the body is invalid; `detail` says per field."),
    ("ERROR_QUERY_PARAMETER_VALIDATION", "A query parameter is invalid."),
    ("ERROR_USER_NOT_IN_GROUP", "The user is not a member of the table's workspace."),
    ("ERROR_TABLE_DOES_NOT_EXIST", "The table does not exist."),
    ("ERROR_ROW_DOES_NOT_EXIST", "A row does not exist."),
    ("ERROR_ROW_IDS_NOT_UNIQUE", "A batch names a row twice."),
    ("ERROR_PAGE_SIZE_LIMIT", f"`size` is above {ROW_PAGE_SIZE_LIMIT}."),
    ("ERROR_ORDER_BY_FIELD_NOT_FOUND", "`order_by` names an unknown field."),
    ("ERROR_ORDER_BY_FIELD_NOT_POSSIBLE", "Rows cannot be sorted by that field."),
    ("ERROR_FILTER_FIELD_NOT_FOUND", "A filter names an unknown field."),
    ("ERROR_VIEW_FILTER_TYPE_DOES_NOT_EXIST", "A filter type is unknown."),
    ("ERROR_VIEW_FILTER_TYPE_UNSUPPORTED_FIELD", "A filter type does not apply to its field."),
    ("ERROR_NO_PERMISSION_TO_TABLE", "The database token may not do this on this table."),
    ("ERROR_INVALID_ACCESS_TOKEN", "The JWT is invalid or has expired."),
]


def markup(text: str) -> SafeString:
    """Escaped text whose `backticked` parts show as code."""
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text)))


def pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def type_label(schema: dict[str, Any] | None) -> str:
    """A short label of a schema's JSON type: `string (date)`, `array of integer`..."""
    if not schema:
        return "any"
    kind = schema.get("type", "any")
    if kind == "array":
        label = f"array of {type_label(schema.get('items'))}"
    elif "format" in schema:
        label = f"{kind} ({schema['format']})"
    else:
        label = kind
    return f"{label} or null" if schema.get("nullable") else label


def field_row(field: FieldDoc) -> dict[str, Any]:
    request = field.request_schema
    return {
        "doc": field,
        "accepts": None if request is None else markup(request.get("description", "")),
        "accepts_type": None if request is None else type_label(request),
        "returns": markup(field.response_schema.get("description", "")),
        "returns_type": type_label(field.response_schema),
    }


def endpoint(method: str, path: str, title: str, anchor: str, **extra: Any) -> dict[str, Any]:
    return {"method": method, "path": path, "title": title, "anchor": anchor, **extra}


def table_context(table: TableDoc, server: str) -> dict[str, Any]:
    """One table's section: its fields and each row endpoint with its examples."""
    base = f"{ROWS_PREFIX}/{table.id}/"
    body, named = table.request_example(), table.request_example(user_field_names=True)
    row, row_named = table.response_example(), table.response_example(user_field_names=True)
    anchor = f"table-{table.id}"
    first_id = table.fields[0].key if table.fields else "field_1"
    endpoints = [
        endpoint(
            "GET",
            base,
            "List rows",
            f"{anchor}-list",
            query="?user_field_names=true&size=10&search=text",
            params=True,
            response=pretty({"count": 1, "next": None, "previous": None, "results": [row_named]}),
        ),
        endpoint(
            "GET", f"{base}1/", "Get a row", f"{anchor}-get", response=pretty(row), row_id=True
        ),
        endpoint(
            "POST",
            base,
            "Create a row",
            f"{anchor}-create",
            note="Optional query parameters: `user_field_names`, `before=<row id>`.",
            request=pretty(body),
            request_named=pretty(named),
            response=pretty(row),
        ),
        endpoint(
            "PATCH",
            f"{base}1/",
            "Update a row",
            f"{anchor}-update",
            note="Send only the cells to change.",
            request=pretty(body),
            request_named=pretty(named),
            response=pretty(row),
            row_id=True,
        ),
        endpoint(
            "PATCH",
            f"{base}1/move/",
            "Move a row",
            f"{anchor}-move",
            query="?before_id=2",
            note="Without `before_id` the row moves to the end.",
            response=pretty(row),
            row_id=True,
        ),
        endpoint("DELETE", f"{base}1/", "Delete a row", f"{anchor}-delete", row_id=True),
        endpoint(
            "POST",
            f"{base}batch/",
            "Create rows in a batch",
            f"{anchor}-batch-create",
            note=f"At most {BATCH_ROWS_SIZE_LIMIT} items.",
            request=pretty({"items": [body]}),
            response=pretty({"items": [row]}),
        ),
        endpoint(
            "PATCH",
            f"{base}batch/",
            "Update rows in a batch",
            f"{anchor}-batch-update",
            note=f"At most {BATCH_ROWS_SIZE_LIMIT} items, each with the row's `id`.",
            request=pretty({"items": [{"id": 1, **body}]}),
            response=pretty({"items": [row]}),
        ),
        endpoint(
            "POST",
            f"{base}batch-delete/",
            "Delete rows in a batch",
            f"{anchor}-batch-delete",
            request=pretty({"items": [1, 2]}),
        ),
        endpoint(
            "GET",
            "/api/database/rows/names/",
            "Names of rows",
            f"{anchor}-names",
            query=f"?table__{table.id}=1,2",
            note="The primary field's value of each row, for any tables of the database.",
            response=pretty({str(table.id): {"1": "Row 1", "2": "Row 2"}}),
        ),
    ]
    for item in endpoints:
        item["curl"] = curl(item, server)
        item["note"] = markup(item.get("note", ""))
    return {
        "doc": table,
        "anchor": anchor,
        "fields": [field_row(field) for field in table.fields],
        "endpoints": endpoints,
        "order_example": f"-{first_id}",
    }


def curl(item: dict[str, Any], server: str) -> str:
    lines = [f"curl -X {item['method']} \\", '  -H "Authorization: Token YOUR_DATABASE_TOKEN" \\']
    if "request" in item:
        lines.append('  -H "Content-Type: application/json" \\')
        body = json.dumps(json.loads(item["request"]), ensure_ascii=False).replace("'", "'\\''")
        lines.append(f"  --data '{body}' \\")
    lines.append(f'  "{server}{item["path"]}{item.get("query", "")}"')
    return "\n".join(lines)


def page_context(*, database: Any, tables: list[TableDoc], server: str) -> dict[str, Any]:
    return {
        "database": database,
        "server": server,
        "tables": [table_context(table, server) for table in tables],
        "filter_types": filter_type_names(),
        "statuses": [(code, name, markup(text)) for code, name, text in STATUSES],
        "error_codes": [(code, markup(text)) for code, text in ERROR_CODES],
        "page_size_limit": ROW_PAGE_SIZE_LIMIT,
        "schema_path": f"/api/database/{database.id}/schema.json",
    }
