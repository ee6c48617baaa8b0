"""The export files as the exporters wrote them before they read rows as plain values: row by
row over model instances, each cell through `FieldType.output_value`. The exports must stay
equal to these byte for byte."""

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape

from django.db import models

from database.export.exporters import rich_value, text_value, xml_tag
from database.fields.models import Field
from database.fields.registry import field_types
from database.spreadsheet_text import defused


def _xml(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "".join(f"<item>{_xml(item)}</item>" for item in value)
    if isinstance(value, dict):
        return "".join(f"<{xml_tag(k)}>{_xml(v)}</{xml_tag(k)}>" for k, v in value.items())
    return escape(str(value))


def reference_file(rows: list[tuple[int, list[Any]]], names: list[str], options: dict) -> bytes:
    """The file of `rows` (id, contract values) as the row-by-row exporters wrote it."""
    exporter = options["exporter_type"]
    charset = options.get("export_charset", "utf-8")
    file = io.BytesIO()
    if exporter == "csv":
        if charset == "utf-8":
            file.write(b"\xef\xbb\xbf")
        text = io.TextIOWrapper(file, encoding=charset, errors="replace", newline="")
        writer = csv.writer(text, delimiter=options.get("csv_column_separator", ","))
        if options.get("csv_include_header", True):
            writer.writerow(["id", *names])
        for row_id, cells in rows:
            writer.writerow([row_id, *(defused(text_value(rich_value(cell))) for cell in cells)])
    elif exporter == "json":
        text = io.TextIOWrapper(file, encoding=charset, errors="strict", newline="")
        text.write("[")
        separator = "\n"
        for row_id, cells in rows:
            data = {"id": row_id, **dict(zip(names, map(rich_value, cells), strict=True))}
            text.write(separator + json.dumps(data, ensure_ascii=charset != "utf-8", indent=4))
            separator = ",\n"
        text.write("\n]\n")
    else:
        text = io.TextIOWrapper(file, encoding=charset, errors="xmlcharrefreplace", newline="")
        tags = [xml_tag(name) for name in names]
        text.write(f'<?xml version="1.0" encoding="{charset}" ?>\n<rows>\n')
        for row_id, cells in rows:
            inner = "".join(
                f"<{tag}>{_xml(rich_value(cell))}</{tag}>"
                for tag, cell in zip(tags, cells, strict=True)
            )
            text.write(f"  <row><id>{row_id}</id>{inner}</row>\n")
        text.write("</rows>\n")
    text.flush()
    return file.getvalue()


def reference_rows(queryset: models.QuerySet, fields: list[Field]) -> list[tuple[int, list]]:
    """The rows of a rows query (model instances), with the cells `output_value` gives."""
    plan = [(field_types.get(field.type), field) for field in fields]
    return [
        (row.id, [field_type.output_value(field, row) for field_type, field in plan])
        for row in queryset
    ]
