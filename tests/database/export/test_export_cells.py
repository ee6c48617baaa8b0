"""Exports read rows as plain values, a function per field made once; the files they write are
those the row-by-row exporters wrote (tests/database/export/reference.py), for every type."""

import io
import json
from urllib.parse import urlsplit

import pytest
from django.test import TestCase

from database.export import rows as export_rows_module
from database.export.services import export_query
from database.fields.registry import field_types
from database.tables.models import Table
from database.views.models import View
from tests.database.export.conftest import TEST_ONLY_TYPES
from tests.database.export.reference import reference_file, reference_rows
from tests.database.views.helpers import VIEWS, add_filter, add_sort, create_view

EXPORT = "/api/database/export"
# The types whose cells need related rows or annotations: read through model instances.
RELATED_TYPES = {"link_row", "multiple_select", "count", "lookup"}


@pytest.fixture
def client(client_for, user):
    return client_for(user)


def exported(client, path: str, **body) -> bytes:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"{EXPORT}/{path}/", body, format="json")
    assert response.status_code == 200, response.json()
    job = client.get(f"{EXPORT}/{response.json()['id']}/").json()
    assert job["state"] == "finished", job
    download = client.get(urlsplit(job["url"]).path)
    return b"".join(download.streaming_content)


def expected(table, view_id, payload: dict) -> bytes:
    """The file the row-by-row exporters write for the same rows, fields and options."""
    table = Table.objects.get(id=table.id)
    view = View.objects.get(id=view_id) if view_id else None
    queryset, fields = export_query(table, view, payload)
    rows = reference_rows(queryset, fields)
    return reference_file(rows, [field.name for field in fields], payload)


def test_the_fixture_has_a_field_of_every_type(every_type):
    types = {field.type for field in vars(every_type.fields).values()}
    assert types == set(field_types.names()) - TEST_ONLY_TYPES


def test_column_outputs_give_what_output_value_gives(table, every_type):
    queryset, fields = export_query(Table.objects.get(id=table.id), None, {})
    cells = [row_cells for _, row_cells in reference_rows(queryset, fields)]
    values = queryset.prefetch_related(None)
    for position, field in enumerate(fields):
        output = field_types.get(field.type).column_output(field)
        if output is None:
            assert field.type in RELATED_TYPES
            continue
        assert field.type not in RELATED_TYPES
        read = list(values.values_list(output.column, flat=True))
        if output.choices is not None:
            got = [output.choices.get(value, output.default) for value in read]
        elif output.convert is not None:
            got = [output.convert(value) for value in read]
        else:
            got = read
        assert got == [row[position] for row in cells], field.type
        assert len({json.dumps(value, sort_keys=True) for value in got}) > 1, field.type
        if output.text:
            assert all(value is None or type(value) is str for value in got), field.type


OPTIONS = [
    {"exporter_type": "csv"},
    {
        "exporter_type": "csv",
        "csv_column_separator": "tab",
        "csv_include_header": False,
        "export_charset": "iso-8859-1",
    },
    {"exporter_type": "csv", "csv_column_separator": ";", "export_charset": "koi8-r"},
    {"exporter_type": "json"},
    {"exporter_type": "csv", "export_charset": "iso-2022-jp"},
    {"exporter_type": "csv", "export_charset": "shift-jis"},
    {"exporter_type": "json", "export_charset": "windows-1252"},
    {"exporter_type": "xml"},
    {"exporter_type": "xml", "export_charset": "iso-8859-1"},
    {"exporter_type": "xml", "export_charset": "iso-2022-jp"},
]
SEPARATORS = {"tab": "\t"}


@pytest.mark.parametrize("chunk_rows", [2000, 3])
@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: "-".join(map(str, o.values())))
def test_table_exports_equal_the_row_by_row_files(
    client, table, every_type, options, chunk_rows, monkeypatch
):
    monkeypatch.setattr(export_rows_module, "CHUNK_ROWS", chunk_rows)

    content = exported(client, f"table/{table.id}", **options)

    payload = dict(options)
    if "csv_column_separator" in payload:
        separator = payload["csv_column_separator"]
        payload["csv_column_separator"] = SEPARATORS.get(separator, separator)
    assert content == expected(table, None, payload)
    assert len(content.splitlines()) > len(every_type.ids)


@pytest.mark.parametrize("exporter_type", ["csv", "json", "xml"])
def test_view_exports_equal_the_row_by_row_files(client, table, every_type, exporter_type):
    f = every_type.fields
    view = create_view(client, table)
    add_filter(client, view["id"], f.stars.id, "higher_than", "0")
    add_sort(client, view["id"], f.status.id, "DESC")
    add_sort(client, view["id"], f.amount.id, "ASC")
    options = {
        str(f.notes.id): {"hidden": True},
        str(f.tags.id): {"hidden": True},
        str(f.budgets.id): {"order": 0},
    }
    client.patch(f"{VIEWS}/{view['id']}/field-options/", {"field_options": options}, format="json")

    content = exported(client, f"view/{view['id']}", exporter_type=exporter_type)

    assert content == expected(table, view["id"], {"exporter_type": exporter_type})
    if exporter_type == "json":
        rows = json.loads(content)
        assert list(rows[0])[:2] == ["id", "Budgets"]
        assert "Notes" not in rows[0] and "Tags" not in rows[0]
        assert len(rows) == 5  # the rows rated above 0


def test_ad_hoc_filters_order_and_fields_equal_the_row_by_row_file(client, table, every_type):
    f = every_type.fields
    body = {
        "exporter_type": "csv",
        "filters": {
            "filter_type": "OR",
            "filters": [
                {"field": f.done.id, "type": "boolean", "value": "1"},
                {"field": f.linked.id, "type": "equal", "value": "3"},
            ],
        },
        "order_by": f"-field_{f.spent.id}",
        "fields": [f.budgets.id, f.name.id, f.tags.id, f.link.id],
    }

    content = exported(client, f"table/{table.id}", **body)

    assert content == expected(table, None, body)
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == "id,Budgets,Name,Tags,Projects"
    assert len(io.StringIO(content.decode("utf-8-sig")).readlines()) > 3


def test_rows_trashed_while_the_export_runs_are_left_out(table, every_type, monkeypatch):
    monkeypatch.setattr(export_rows_module, "CHUNK_ROWS", 3)
    queryset, fields = export_query(Table.objects.get(id=table.id), None, {})
    model = queryset.model
    first, *rest = every_type.ids

    chunks = export_rows_module.export_rows(queryset, fields, repr, passes_text=False)
    head = next(chunks)
    # Trashed after the rows query started but before its next chunk's links are read.
    model.objects.filter(id__in=rest[-2:]).update(trashed=True)
    tail = [row for rows in chunks for row in rows]

    assert [row[0] for row in head] == [first, *rest[:2]]
    assert [row[0] for row in tail] == rest[2:-2]
    kept = reference_rows(queryset.filter(id__in=rest[2:-2]), fields)
    assert [(row_id, *map(repr, cells)) for row_id, cells in kept] == tail
