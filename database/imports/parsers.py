"""Readers of data files: each gives its rows as lists of cell values, read as it goes."""

import contextlib
import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from typing import IO, Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from database.imports.errors import InvalidImportFile
from database.registry import Registry
from database.spreadsheet_text import undefused


class FileParser:
    """One file type; `rows` yields every row (the header row first, when the file has one)."""

    type: str

    def rows(self, file: IO[bytes], options: dict[str, Any]) -> Iterator[list[Any]]:
        raise NotImplementedError


class CsvParser(FileParser):
    type = "csv"
    default_separator = ","

    def rows(self, file, options):
        encoding = options.get("encoding") or "utf-8-sig"
        text = io.TextIOWrapper(file, encoding=encoding, errors="replace", newline="")
        separator = options.get("csv_column_separator") or self.default_separator
        try:
            for row in csv.reader(text, delimiter=separator):
                if "'" in "".join(cell[:1] for cell in row):  # a cell an export defused
                    row = [undefused(cell) for cell in row]
                yield row
        except csv.Error as exc:
            raise InvalidImportFile(f"The CSV file is not valid: {exc}") from exc
        finally:
            # The file stays open (a wrapper closes its file when it goes), unless it is
            # closed already (a reading stopped midway).
            with contextlib.suppress(ValueError):
                text.detach()


class TsvParser(CsvParser):
    type = "tsv"
    default_separator = "\t"


class JsonParser(FileParser):
    """A list of objects (their keys, in the first one's order, make the header) or of lists."""

    type = "json"

    def rows(self, file, options):
        try:
            data = json.load(file)
        except (ValueError, RecursionError) as exc:
            raise InvalidImportFile("The JSON file is not valid.") from exc
        if not isinstance(data, list):
            raise InvalidImportFile("The JSON file must hold a list of rows.")
        keys: list[str] | None = None
        for item in data:
            if isinstance(item, dict):
                if keys is None:
                    keys = list(item)
                    yield keys
                yield [item.get(key) for key in keys]
            elif isinstance(item, list):
                yield item
            else:
                raise InvalidImportFile("Every row of the JSON file must be an object or a list.")


class XmlParser(FileParser):
    """`<rows><row><name>…</name>…</row>…</rows>`: the first row's element names are the header."""

    type = "xml"

    def rows(self, file, options):
        tags: list[str] | None = None
        try:
            for _, element in ET.iterparse(file, events=("end",)):
                if element.tag != "row":
                    continue
                values = {child.tag: _xml_text(child) for child in element}
                if tags is None:
                    tags = list(values)
                    yield tags
                yield [values.get(tag) for tag in tags]
                element.clear()
        except ET.ParseError as exc:
            raise InvalidImportFile(f"The XML file is not valid: {exc}") from exc


def _xml_text(element: ET.Element) -> str:
    items = element.findall("item")
    if items:
        return ", ".join(_item_text(item) for item in items)
    return (element.text or "").strip()


def _item_text(item: ET.Element) -> str:
    if item.find("url") is not None:  # a file, as exports write it
        return f"{item.findtext('visible_name', '')} ({item.findtext('url', '')})"
    return (item.text or "").strip()


class XlsxParser(FileParser):
    """The first sheet of an Excel workbook, streamed (read-only mode), cells as texts.

    Formulas give their cached result; rows without any value are skipped.
    """

    type = "xlsx"

    def rows(self, file, options):
        try:
            workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise InvalidImportFile("The Excel file is not valid.") from exc
        try:
            sheet = workbook.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                if any(value is not None for value in values):
                    yield [excel_text(value) for value in values]
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, ET.ParseError) as exc:
            raise InvalidImportFile("The Excel file is not valid.") from exc
        finally:
            workbook.close()


def excel_text(value: Any) -> str:
    """A cell of a sheet as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


file_parsers: Registry[FileParser] = Registry("import file")
for _parser in (CsvParser(), TsvParser(), JsonParser(), XmlParser(), XlsxParser()):
    file_parsers.register(_parser)
