"""Exporter types: how rows (as the contract shows their cells) are written to a file."""

import codecs
import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, ClassVar
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from database.registry import Registry
from database.spreadsheet_text import defused

# Chunks of rows to write: each row its id, then its cells (made by the exporter's `cell`) in
# the order of the field names.
Chunks = Iterable[list[tuple[Any, ...]]]


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


def csv_cell(value: Any) -> str:
    """A cell's contract value as CSV text."""
    if type(value) is str:  # most cells: shown as they are
        return value
    return text_value(rich_value(value))


def csv_safe_cell(value: Any) -> str:
    """A cell as CSV text that no spreadsheet runs as a formula."""
    return defused(csv_cell(value))


class TableExporter:
    """One file type. `write` streams the chunks of rows into a binary file."""

    type: ClassVar[str]
    file_extension: ClassVar[str]
    # Whether cells that are strings or None may reach `write` as they are, without `cell`.
    passes_text: ClassVar[bool] = False

    def cell(self, options: dict[str, Any]) -> Callable[[Any], Any]:
        """The function giving what `write` takes of a cell, from its contract value."""
        raise NotImplementedError

    def write(
        self, file: IO[bytes], names: list[str], chunks: Chunks, options: dict[str, Any]
    ) -> None:
        raise NotImplementedError


class EncodedText:
    """Text written to a binary file in a charset, as a TextIOWrapper writes it, without the
    wrapper's cost per write (it resets its decoder on each): writers write whole chunks."""

    def __init__(self, file: IO[bytes], charset: str, errors: str) -> None:
        self._file = file
        self._encode = codecs.getincrementalencoder(charset)(errors).encode

    def write(self, text: str) -> None:
        self._file.write(self._encode(text))


class CsvExporter(TableExporter):
    type = "csv"
    file_extension = "csv"

    def cell(self, options):
        return csv_safe_cell

    def write(self, file, names, chunks, options):
        charset = options.get("export_charset", "utf-8")
        if charset == "utf-8":
            file.write(b"\xef\xbb\xbf")  # the byte order mark spreadsheets read UTF-8 by
        text = EncodedText(file, charset, "replace")
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=options.get("csv_column_separator", ","))
        if options.get("csv_include_header", True):
            writer.writerow(["id", *names])
        for rows in chunks:
            writer.writerows(rows)
            text.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
        text.write(buffer.getvalue())


def _indented(text: str) -> str:
    """JSON text one level deeper; its newlines are all between items (strings escape them)."""
    return text.replace("\n", "\n    ")


class JsonExporter(TableExporter):
    """Rows as `json.dumps(row, indent=4)` writes them, each cell encoded on its own."""

    type = "json"
    file_extension = "json"

    def cell(self, options):
        ascii_only = options.get("export_charset", "utf-8") != "utf-8"
        encode = json.JSONEncoder(ensure_ascii=ascii_only).encode
        nested = json.JSONEncoder(ensure_ascii=ascii_only, indent=4).encode

        def encoded(value: Any) -> str:
            value = rich_value(value)
            if isinstance(value, list | dict) and value:
                return _indented(nested(value))
            return encode(value)

        return encoded

    def write(self, file, names, chunks, options):
        charset = options.get("export_charset", "utf-8")
        text = EncodedText(file, charset, "strict")
        encode = json.JSONEncoder(ensure_ascii=charset != "utf-8").encode
        # "id" is a reserved field name: the keys are unique.
        prefix = f"    {encode('id')}: "
        keys = [f",\n    {encode(name)}: " for name in names]
        text.write("[")
        separator = "\n"
        for rows in chunks:
            written = []
            for row_id, *cells in rows:
                members = "".join(map(str.__add__, keys, cells))
                written.append(f"{separator}{{\n{prefix}{row_id}{members}\n}}")
                separator = ",\n"
            text.write("".join(written))
        text.write("\n]\n")


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


def xml_cell(value: Any) -> str:
    """A cell's contract value as the content of its XML element."""
    if type(value) is str:
        return escape(value)
    return _xml(rich_value(value))


class XmlExporter(TableExporter):
    type = "xml"
    file_extension = "xml"

    def cell(self, options):
        return xml_cell

    def write(self, file, names, chunks, options):
        charset = options.get("export_charset", "utf-8")
        text = EncodedText(file, charset, "xmlcharrefreplace")
        tags = [(f"<{tag}>", f"</{tag}>") for tag in map(xml_tag, names)]
        text.write(f'<?xml version="1.0" encoding="{charset}" ?>\n<rows>\n')
        for rows in chunks:
            written = []
            for row_id, *cells in rows:
                inner = "".join(
                    f"{start}{cell}{end}" for (start, end), cell in zip(tags, cells, strict=True)
                )
                written.append(f"  <row><id>{row_id}</id>{inner}</row>\n")
            text.write("".join(written))
        text.write("</rows>\n")


def excel_cell(value: Any) -> str:
    """A cell as the text of its CSV cell, without the control characters XML cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", csv_cell(value))


class ExcelExporter(TableExporter):
    """One worksheet of text cells, streamed by openpyxl's write-only mode (as Baserow's)."""

    type = "excel"
    file_extension = "xlsx"

    def cell(self, options):
        return excel_cell

    def write(self, file, names, chunks, options):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()

        def text(value: str) -> Any:
            # openpyxl stores a string that starts with "=" as a formula: keep it text.
            if value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                return cell
            return value

        if options.get("excel_include_header", True):
            sheet.append([text(excel_cell(name)) for name in ["id", *names]])
        for rows in chunks:
            for row_id, *cells in rows:
                sheet.append([str(row_id), *map(text, cells)])
        workbook.save(file)


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
for _exporter in (CsvExporter(), JsonExporter(), XmlExporter(), ExcelExporter()):
    table_exporters.register(_exporter)
