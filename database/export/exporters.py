"""Exporter types: how rows (as the contract shows their cells) are written to a file."""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any, ClassVar
from xml.sax.saxutils import escape

from database.registry import Registry

# Each row to write: its id, then its cells in the order of the header's field names.
Row = tuple[int, list[Any]]


def rich_value(value: Any) -> Any:
    """A cell as exports show it: options, links and people by their text, files by name."""
    if isinstance(value, list):
        return [rich_value(item) for item in value]
    if isinstance(value, dict):
        if "visible_name" in value:  # a file
            return {
                "visible_name": value["visible_name"],
                "name": value["name"],
                "url": value["url"],
            }
        if "value" in value:  # a select option, a linked row, a looked-up value
            return rich_value(value["value"])
        if "name" in value and "id" in value:  # a collaborator
            return value["name"]
    return value


def text_value(value: Any) -> str:
    """A rich value as one CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(text_value(item) for item in value)
    if isinstance(value, dict) and "visible_name" in value:
        return f"{value['visible_name']} ({value['url']})"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class TableExporter:
    """One file type. `write` streams the rows into a binary file, chunk by chunk."""

    type: ClassVar[str]
    file_extension: ClassVar[str]

    def write(
        self, file: IO[bytes], names: list[str], rows: Iterable[Row], options: dict[str, Any]
    ) -> None:
        raise NotImplementedError


def _text(file: IO[bytes], charset: str, errors: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(file, encoding=charset, errors=errors, newline="", write_through=True)


class CsvExporter(TableExporter):
    type = "csv"
    file_extension = "csv"

    def write(self, file, names, rows, options):
        charset = options.get("export_charset", "utf-8")
        if charset == "utf-8":
            file.write(b"\xef\xbb\xbf")  # the byte order mark spreadsheets read UTF-8 by
        text = _text(file, charset, "replace")
        writer = csv.writer(text, delimiter=options.get("csv_column_separator", ","))
        if options.get("csv_include_header", True):
            writer.writerow(["id", *names])
        for row_id, cells in rows:
            writer.writerow([row_id, *(text_value(rich_value(cell)) for cell in cells)])
        text.detach()


class JsonExporter(TableExporter):
    type = "json"
    file_extension = "json"

    def write(self, file, names, rows, options):
        charset = options.get("export_charset", "utf-8")
        text = _text(file, charset, "strict")
        ascii_only = charset != "utf-8"
        text.write("[")
        separator = "\n"
        for row_id, cells in rows:
            data = {"id": row_id, **dict(zip(names, map(rich_value, cells), strict=True))}
            text.write(separator + json.dumps(data, ensure_ascii=ascii_only, indent=4))
            separator = ",\n"
        text.write("\n]\n")
        text.detach()


def xml_tag(name: str) -> str:
    """A field name as an XML element name: unsafe characters become dashes."""
    tag = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-").lower()
    if not tag or not re.match(r"[a-z_]", tag) or tag.startswith("xml"):
        tag = f"field-{tag}"
    return tag


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


class XmlExporter(TableExporter):
    type = "xml"
    file_extension = "xml"

    def write(self, file, names, rows, options):
        charset = options.get("export_charset", "utf-8")
        text = _text(file, charset, "xmlcharrefreplace")
        tags = [xml_tag(name) for name in names]
        text.write(f'<?xml version="1.0" encoding="{charset}" ?>\n<rows>\n')
        for row_id, cells in rows:
            inner = "".join(
                f"<{tag}>{_xml(rich_value(cell))}</{tag}>"
                for tag, cell in zip(tags, cells, strict=True)
            )
            text.write(f"  <row><id>{row_id}</id>{inner}</row>\n")
        text.write("</rows>\n")
        text.detach()


def chunks(iterator: Iterator[Any], size: int) -> Iterator[list[Any]]:
    """The items in lists of up to `size`."""
    chunk: list[Any] = []
    for item in iterator:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


table_exporters: Registry[TableExporter] = Registry("exporter")
for _exporter in (CsvExporter(), JsonExporter(), XmlExporter()):
    table_exporters.register(_exporter)
