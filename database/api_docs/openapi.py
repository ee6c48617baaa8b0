"""The OpenAPI 3.0 document of one database: each table's row endpoints with typed row schemas."""

from typing import Any

from django.conf import settings

from api.exceptions import RequestBodyValidationError
from api.pagination import PageSizeLimit
from api.schema import error_responses
from database.api_docs.selectors import TableDoc
from database.applications.models import Application
from database.rows import errors as row_errors
from database.rows.serializers import BATCH_ROWS_SIZE_LIMIT, ROW_PAGE_SIZE_LIMIT
from database.tables.errors import TableDoesNotExist
from database.views import errors as view_errors
from workspaces.errors import UserNotInWorkspace

ROWS_PREFIX = "/api/database/rows/table"
TABLE_ERRORS = (TableDoesNotExist, UserNotInWorkspace)
ROW_ERRORS = (*TABLE_ERRORS, row_errors.RowDoesNotExist)
LIST_ERRORS = (
    *TABLE_ERRORS,
    PageSizeLimit,
    row_errors.OrderByFieldNotFound,
    row_errors.OrderByFieldNotPossible,
    view_errors.FilterFieldNotFound,
    view_errors.ViewFilterTypeDoesNotExist,
    view_errors.ViewFilterTypeUnsupportedField,
    view_errors.FiltersParamValidationError,
)
UNAUTHORIZED = {
    "description": "No valid JWT or database token, or the token may not do this.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _query(name: str, schema: dict, description: str, *, example: Any = None) -> dict:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema}
    parameter["description"] = description
    if example is not None:
        parameter["example"] = example
    return parameter


USER_FIELD_NAMES = _query(
    "user_field_names",
    {"type": "boolean"},
    "Key the cells by field name instead of `field_<id>`, in the body and in the answer.",
)
ROW_ID = {"name": "row_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def list_parameters(table: TableDoc) -> list[dict]:
    """The query parameters of the row listing of one table."""
    first = table.fields[0] if table.fields else None
    return [
        USER_FIELD_NAMES,
        _query("page", {"type": "integer", "minimum": 1}, "The page, from 1."),
        _query(
            "size",
            {"type": "integer", "minimum": 1, "maximum": ROW_PAGE_SIZE_LIMIT},
            f"Rows per page: 100 unless given, at most {ROW_PAGE_SIZE_LIMIT}.",
        ),
        _query("search", {"type": "string"}, "Only rows with a cell containing this text."),
        _query(
            "order_by",
            {"type": "string"},
            "Comma list of fields (`field_<id>`, or names with `user_field_names`) to sort "
            "by; `-` in front sorts descending.",
            example=None if first is None else f"-{first.key}",
        ),
        _query("include", {"type": "string"}, "Comma list of the only fields to return."),
        _query("exclude", {"type": "string"}, "Comma list of fields to leave out."),
        _query(
            "filters",
            {"type": "string"},
            'A JSON filter tree: `{"filter_type": "AND"|"OR", "filters": [{"field": <id>, '
            '"type": <filter type>, "value": <text>}], "groups": [<tree>...]}`.',
        ),
        _query(
            "filter_type",
            {"type": "string", "enum": ["AND", "OR"]},
            "How `filter__<field>__<type>=<value>` parameters combine (AND unless given).",
        ),
        _query("exclude_count", {"type": "boolean"}, "Leave out `count`, `next`, `previous`."),
    ]


def _errors(*classes: type[Exception]) -> dict[str, dict]:
    """The contract's error responses of these exceptions, plus the 401 of every operation."""
    responses = {
        str(status): {
            "description": response.description,
            "content": {"application/json": {"schema": response.response}},
        }
        for status, response in error_responses(*classes).items()
    }
    return {**responses, "401": UNAUTHORIZED}


def _json(schema_name: str, **extra: Any) -> dict:
    media = {"schema": {"$ref": f"#/components/schemas/{schema_name}"}, **extra}
    return {"content": {"application/json": media}}


def _ok(schema_name: str, example: Any) -> dict:
    return {"200": {"description": "OK", **_json(schema_name, example=example)}}


def _body(schema_name: str, examples: dict[str, Any]) -> dict:
    named = {name: {"value": value} for name, value in examples.items()}
    return {"required": True, **_json(schema_name, examples=named)}


def table_paths(table: TableDoc) -> dict[str, dict]:
    """The row endpoints of one table, each operation named after the table's id."""
    t = table.id
    name = f"Table{t}"
    tag = [f"{table.name} (table {t})"]
    row = table.response_example()
    create = {"field_ids": table.request_example()}
    create["user_field_names"] = table.request_example(user_field_names=True)
    page = {"count": 1, "next": None, "previous": None, "results": [row]}
    batch = {"items": [table.request_example()]}
    batch_update = {"items": [{"id": 1, **table.request_example()}]}
    no_content = {"204": {"description": "Deleted."}}

    def op(verb: str, summary: str, responses: dict, errors: tuple, **extra: Any) -> dict:
        return {
            "operationId": f"{verb}_table_{t}",
            "summary": summary,
            "tags": tag,
            **extra,
            "responses": {**responses, **_errors(*errors)},
        }

    body_errors = (*ROW_ERRORS, RequestBodyValidationError)
    return {
        f"{ROWS_PREFIX}/{t}/": {
            "get": op(
                "list_rows",
                f"List the rows of {table.name}",
                _ok(f"{name}Page", page),
                LIST_ERRORS,
                parameters=list_parameters(table),
            ),
            "post": op(
                "create_row",
                f"Create a row in {table.name}",
                _ok(f"{name}Row", row),
                body_errors,
                parameters=[USER_FIELD_NAMES, _query("before", {"type": "integer"}, "Row id.")],
                requestBody=_body(f"{name}RowRequest", create),
            ),
        },
        f"{ROWS_PREFIX}/{t}/{{row_id}}/": {
            "parameters": [ROW_ID],
            "get": op(
                "get_row",
                f"Get one row of {table.name}",
                _ok(f"{name}Row", row),
                ROW_ERRORS,
                parameters=[USER_FIELD_NAMES],
            ),
            "patch": op(
                "update_row",
                f"Update a row of {table.name}",
                _ok(f"{name}Row", row),
                body_errors,
                parameters=[USER_FIELD_NAMES],
                requestBody=_body(f"{name}RowRequest", create),
            ),
            "delete": op("delete_row", f"Delete a row of {table.name}", no_content, ROW_ERRORS),
        },
        f"{ROWS_PREFIX}/{t}/{{row_id}}/move/": {
            "parameters": [ROW_ID],
            "patch": op(
                "move_row",
                f"Move a row of {table.name}",
                _ok(f"{name}Row", row),
                ROW_ERRORS,
                parameters=[
                    USER_FIELD_NAMES,
                    _query("before_id", {"type": "integer"}, "Move before this row; else last."),
                ],
            ),
        },
        f"{ROWS_PREFIX}/{t}/batch/": {
            "post": op(
                "batch_create_rows",
                f"Create up to {BATCH_ROWS_SIZE_LIMIT} rows in {table.name}",
                _ok(f"{name}Rows", {"items": [row]}),
                body_errors,
                parameters=[USER_FIELD_NAMES],
                requestBody=_body(f"{name}BatchCreate", {"field_ids": batch}),
            ),
            "patch": op(
                "batch_update_rows",
                f"Update up to {BATCH_ROWS_SIZE_LIMIT} rows of {table.name}",
                _ok(f"{name}Rows", {"items": [row]}),
                (*body_errors, row_errors.RowIdsNotUnique),
                parameters=[USER_FIELD_NAMES],
                requestBody=_body(f"{name}BatchUpdate", {"field_ids": batch_update}),
            ),
        },
        f"{ROWS_PREFIX}/{t}/batch-delete/": {
            "post": op(
                "batch_delete_rows",
                f"Delete up to {BATCH_ROWS_SIZE_LIMIT} rows of {table.name}",
                no_content,
                (*body_errors, row_errors.RowIdsNotUnique),
                requestBody=_body("BatchDelete", {"row_ids": {"items": [1, 2]}}),
            ),
        },
    }


def names_operation(tables: list[TableDoc]) -> dict:
    """The names (primary values) of rows of any tables of the database, by table and row id."""
    names = {
        "type": "object",
        "description": "Per table id, per row id, the row's name.",
        "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}},
    }
    return {
        "operationId": "list_row_names",
        "summary": "Names of rows",
        "parameters": [
            _query(f"table__{t.id}", {"type": "string"}, f"Comma list of row ids of {t.name}.")
            for t in tables
        ],
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {
                        "schema": names,
                        "example": {str(tables[0].id): {"1": "Row 1"}},
                    }
                },
            },
            **_errors(*TABLE_ERRORS),
        },
    }


def table_schemas(table: TableDoc) -> dict[str, dict]:
    """The typed row components of one table: the row as sent, as returned, and in batches."""
    name = f"Table{table.id}"
    sent = {f.key: f.request_schema for f in table.fields if f.request_schema is not None}
    returned = {f.key: f.response_schema for f in table.fields}
    row_out = {"id": {"type": "integer"}, "order": {"type": "string", "format": "decimal"}}
    items = {"type": "array", "minItems": 1, "maxItems": BATCH_ROWS_SIZE_LIMIT}
    return {
        f"{name}RowRequest": {
            "type": "object",
            "description": f"Cells of {table.name} to set; the others keep their default.",
            "properties": sent,
            "example": table.request_example(),
        },
        f"{name}Row": {
            "type": "object",
            "description": f"A row of {table.name}.",
            "properties": {**row_out, **returned},
            "required": [*row_out, *returned],
            "example": table.response_example(),
        },
        f"{name}Page": {
            "type": "object",
            "properties": {
                "count": {"type": "integer"},
                "next": {"type": "string", "nullable": True},
                "previous": {"type": "string", "nullable": True},
                "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}Row"}},
            },
            "required": ["results"],
        },
        f"{name}Rows": {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}Row"}}
            },
            "required": ["items"],
        },
        f"{name}BatchCreate": {
            "type": "object",
            "properties": {
                "items": {**items, "items": {"$ref": f"#/components/schemas/{name}RowRequest"}}
            },
            "required": ["items"],
        },
        f"{name}BatchUpdate": {
            "type": "object",
            "properties": {
                "items": {
                    **items,
                    "items": {
                        "type": "object",
                        "properties": {"id": {"type": "integer"}, **sent},
                        "required": ["id"],
                    },
                }
            },
            "required": ["items"],
        },
    }


def database_openapi(*, database: Application, tables: list[TableDoc], server: str) -> dict:
    """The document: one set of row paths and components per table, served from `server`."""
    paths: dict[str, dict] = {}
    schemas: dict[str, dict] = {
        "Error": {
            "type": "object",
            "properties": {"error": {"type": "string"}, "detail": {}},
            "required": ["error", "detail"],
        },
        "BatchDelete": {
            "type": "object",
            "properties": {
                "items": {
                    "type": "array",
                    "items": {"type": "integer"},
                    "minItems": 1,
                    "maxItems": BATCH_ROWS_SIZE_LIMIT,
                }
            },
            "required": ["items"],
        },
    }
    for table in tables:
        paths.update(table_paths(table))
        schemas.update(table_schemas(table))
    if tables:
        paths["/api/database/rows/names/"] = {"get": names_operation(tables)}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"{database.name} API",
            "version": settings.SPECTACULAR_SETTINGS["VERSION"],
            "description": (
                f"The row endpoints of the tables of the database {database.name} "
                f"(id {database.id}). Cells are keyed `field_<id>` unless "
                "`user_field_names` is set."
            ),
        },
        "servers": [{"url": server}],
        "security": [{"DatabaseToken": []}, {"JWT": []}],
        "tags": [{"name": f"{t.name} (table {t.id})"} for t in tables],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "DatabaseToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "A database token: `Authorization: Token <key>`.",
                },
                "JWT": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "A user's access token: `Authorization: JWT <access token>`.",
                },
            },
        },
    }
