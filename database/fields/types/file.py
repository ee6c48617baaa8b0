"""File fields: a cell is a list of uploaded user files, each with the name shown for it."""

import json
import re
from typing import Any

from django.db import models
from rest_framework import serializers

from api.exceptions import RequestBodyValidationError
from database.fields.registry import ColumnOutput, FieldType
from user_files.models import UserFile
from user_files.selectors import user_files_found
from user_files.storage import storage_url, thumbnails_json, user_file_path

# A user file's storage name, wherever it appears in a text (a URL, a list).
USER_FILE_NAME = re.compile(r"[A-Za-z0-9]{32}_[0-9a-f]{64}(?:\.[a-z0-9]{1,16})?")
# "visible name (url)", as cells are written as text, separated by ", ".
TEXT_ITEM = re.compile(r"(?P<visible>.*?) \((?P<url>[^()\s]*)\)(?:, |$)")
# The keys a cell keeps per file: what showing it needs without reading the user file.
STORED_KEYS = ("name", "visible_name", "size", "mime_type", "is_image", "image_width")
STORED_KEYS += ("image_height", "uploaded_at")
_datetime = serializers.DateTimeField()


class FileCellsField(models.JSONField):
    """A JSON list sent as JSON text, the form the rows' bulk writes pass on to the driver."""

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if isinstance(value, list):
            return json.dumps(value)
        return super().get_db_prep_save(value, connection)


def stored_item(user_file: UserFile, visible_name: str | None) -> dict[str, Any]:
    """What a cell keeps of a user file."""
    return {
        "name": user_file.name,
        "visible_name": visible_name or user_file.original_name,
        "size": user_file.size,
        "mime_type": user_file.mime_type,
        "is_image": user_file.is_image,
        "image_width": user_file.image_width,
        "image_height": user_file.image_height,
        "uploaded_at": _datetime.to_representation(user_file.uploaded_at),
    }


def item_json(item: dict[str, Any]) -> dict[str, Any]:
    """A stored item as the contract shows it: with the file's URL and thumbnails."""
    name = item["name"]
    return {
        "url": storage_url(user_file_path(name)),
        "thumbnails": thumbnails_json(name) if item.get("is_image") else None,
        **{key: item.get(key) for key in STORED_KEYS},
    }


def _items_json(items: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [item_json(item) for item in items or []]


def _requested(value: Any) -> list[tuple[str, str | None]]:
    """(name, visible name) of each file of a cell value as sent, or a validation error."""
    if value is None:
        return []
    if isinstance(value, str):  # the text form of exports: "visible name (url), …"
        return _parse_text(value)
    if not isinstance(value, list):
        raise serializers.ValidationError("The value must be a list of files.", code="invalid")
    requested = []
    for item in value:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise serializers.ValidationError(
                "Every file must be an object with a name.", code="invalid"
            )
        visible = item.get("visible_name")
        if visible is not None and not isinstance(visible, str):
            raise serializers.ValidationError("A visible_name must be a string.", code="invalid")
        requested.append((item["name"], visible))
    return requested


def _names_in(values: list[Any]) -> list[str]:
    names = []
    for value in values:
        try:
            names += [name for name, _ in _requested(value)]
        except serializers.ValidationError:
            continue  # the input field reports it
    return names


# Per engine: the set of a cell's files as rows `item(value)`, and conditions on one file.
ITEMS_SQL = {
    "postgresql": "jsonb_array_elements(COALESCE({column}, '[]'::jsonb)) AS item(value)",
    "sqlite": "json_each(COALESCE({column}, '[]')) AS item",
}
COUNT_SQL = {
    "postgresql": "COALESCE(jsonb_array_length({column}), 0)",
    "sqlite": "COALESCE(json_array_length({column}), 0)",
}
ITEM_CONDITIONS = {
    "postgresql": {
        "name_contains": "strpos(UPPER(item.value->>'visible_name'), UPPER(%s)) > 0",
        "is_image": "COALESCE((item.value->>'is_image')::boolean, false) = %s",
    },
    "sqlite": {
        "name_contains": "instr(UPPER(json_extract(item.value, '$.visible_name')), UPPER(%s)) > 0",
        "is_image": "COALESCE(json_extract(item.value, '$.is_image'), 0) = %s",
    },
}


class AnyFile(models.Func):
    """Whether a file cell (the column at `path`) holds a file meeting a condition."""

    def __init__(self, path: str, condition: str, value: Any) -> None:
        super().__init__(models.F(path), output_field=models.BooleanField())
        self.condition, self.value = condition, value

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        items = ITEMS_SQL[connection.vendor].format(column=column)
        condition = ITEM_CONDITIONS[connection.vendor][self.condition]
        return f"EXISTS (SELECT 1 FROM {items} WHERE {condition})", [*params, self.value]


class FileCount(models.Func):
    """The number of files of a file cell (the column at `path`); 0 when empty."""

    def __init__(self, path: str) -> None:
        super().__init__(models.F(path), output_field=models.IntegerField())

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return COUNT_SQL[connection.vendor].format(column=column), params


class FileInput(serializers.Field):
    """A list of `{"name", "visible_name"?}` or of names, resolved to stored items."""

    def __init__(self, known: dict[str, UserFile] | None = None, **kwargs) -> None:
        super().__init__(required=False, allow_null=True, **kwargs)
        self.known = known

    def to_internal_value(self, data: Any) -> list[dict[str, Any]]:
        requested = _requested(data)
        names = [name for name, _ in requested]
        known = self.known if self.known is not None else user_files_found(names)
        missing = [name for name in dict.fromkeys(names) if name not in known]
        if missing:
            raise RequestBodyValidationError(f"The user files {missing} do not exist.")
        return [stored_item(known[name], visible) for name, visible in requested]


class FileFieldType(FieldType):
    type = "file"
    sort_types = ()

    def model_field(self, field, builder):
        return FileCellsField(null=True, blank=True)

    def input_field(self, field):
        return FileInput()

    def prepare_batch(self, field, values):
        """The user files every value of the write names, in one query."""
        return user_files_found(_names_in(values))

    def batch_input_field(self, field, prepared):
        return FileInput(known=prepared)

    def default_value(self, field) -> Any:
        return []

    def output_value(self, field, row) -> Any:
        return _items_json(getattr(row, field.db_column))

    def column_output(self, field):
        return ColumnOutput(field.db_column, convert=_items_json)

    def sort_expression(self, field, model, sort_type="default"):
        return None

    def search_q(self, field, term, model):
        return models.Q(AnyFile(field.db_column, "name_contains", term))

    def openapi_schema(self, field, *, for_request):
        if for_request:
            item = {
                "type": "object",
                "properties": {"name": {"type": "string"}, "visible_name": {"type": "string"}},
                "required": ["name"],
            }
            description = "Files by the `name` of their upload (/api/user-files/upload-file/)."
            return {"type": "array", "items": item, "nullable": True, "description": description}
        properties = {key: {"type": "string"} for key in ("url", "name", "visible_name")}
        properties["thumbnails"] = {"type": "object", "nullable": True}
        return {
            "type": "array",
            "items": {"type": "object", "properties": properties},
            "description": "The files of the cell with their URLs and thumbnails.",
        }

    def example_value(self, field, *, for_request):
        if for_request:
            return []  # a name must be one of an uploaded file: none is known to the docs
        name = "VXotniBOVm8tbstZkKsMKbj2Qg7KmPvn_" + "e1" * 32 + ".txt"
        return [{"url": f"https://files.example.com/user_files/{name}", "name": name}]

    def to_text(self, field, value):
        items = value or []
        texts = [f"{item['visible_name']} ({item_json(item)['url']})" for item in items]
        return ", ".join(texts) or None

    def from_texts(self, field, texts):
        parsed = [_parse_text(text) for text in texts]
        known = user_files_found([name for items in parsed for name, _ in items])
        return [
            [stored_item(known[name], visible) for name, visible in items if name in known]
            for items in parsed
        ]

    def from_text(self, field, text):
        return self.from_texts(field, [text])[0]


def _parse_text(text: str | None) -> list[tuple[str, str | None]]:
    """(name, visible name) of the files a text names: "visible (url), …" or bare names."""
    if not text:
        return []
    items = []
    for match in TEXT_ITEM.finditer(text):
        found = USER_FILE_NAME.search(match["url"])
        if found:
            items.append((found.group(), match["visible"] or None))
    if items:
        return items
    return [(name, None) for name in USER_FILE_NAME.findall(text)]


FIELD_TYPES = [FileFieldType()]
