"""file fields (05-fields.md): cells set by user file name, filters, search, conversion."""

import io

import pytest
from PIL import Image

from database.fields.models import Field
from database.fields.services import field_update
from database.tokens.services import token_create
from tests.database.filters.helpers import ids_where
from tests.database.helpers import add_field, insert_rows, read_rows
from tests.database.tokens.conftest import client_with_key, key_of

UPLOAD_URL = "/api/user-files/upload-file/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def rows_url(table_id: int) -> str:
    return f"/api/database/rows/table/{table_id}/?user_field_names=true"


def uploaded(client, name: str, content: bytes) -> dict:
    stream = io.BytesIO(content)
    stream.name = name
    response = client.post(UPLOAD_URL, {"file": stream}, format="multipart")
    assert response.status_code == 200, response.json()
    return response.json()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def client(client_for, user):
    return client_for(user)


@pytest.fixture
def files_field(table) -> Field:
    return add_field(table, "Files", "file")


@pytest.fixture
def photo(client) -> dict:
    return uploaded(client, "photo.png", png())


@pytest.fixture
def report(client) -> dict:
    return uploaded(client, "Report 2026.pdf", b"%PDF-1.4 report")


def test_the_field_is_created_over_the_api(client, table):
    response = client.post(
        f"/api/database/fields/table/{table.id}/", {"name": "Docs", "type": "file"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["type"] == "file"


def test_cells_are_set_by_name_and_show_the_file(client, table, files_field, photo, report):
    response = client.post(
        rows_url(table.id),
        {"Files": [{"name": photo["name"], "visible_name": "Cover"}, report["name"]]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    cell = response.json()["Files"]
    assert [item["visible_name"] for item in cell] == ["Cover", "Report 2026.pdf"]
    image, document = cell
    assert set(image) == {
        "url", "thumbnails", "visible_name", "name", "size", "mime_type", "is_image",
        "image_width", "image_height", "uploaded_at",
    }  # fmt: skip
    assert image["name"] == photo["name"]
    assert image["url"] == photo["url"]
    assert image["thumbnails"] == photo["thumbnails"]
    assert (image["is_image"], image["image_width"], image["image_height"]) == (True, 64, 32)
    assert (image["size"], image["mime_type"]) == (photo["size"], "image/png")
    assert image["uploaded_at"] == photo["uploaded_at"]
    assert (document["is_image"], document["thumbnails"]) == (False, None)
    listed = client.get(rows_url(table.id)).json()["results"][0]["Files"]
    assert listed == cell


def test_an_omitted_or_null_cell_is_an_empty_list(client, table, files_field):
    first = client.post(rows_url(table.id), {}, format="json").json()
    second = client.post(rows_url(table.id), {"Files": None}, format="json").json()

    assert first["Files"] == second["Files"] == []


def test_an_unknown_name_is_refused(client, table, files_field, photo):
    missing = "A" * 32 + "_" + "0" * 64 + ".png"

    response = client.post(rows_url(table.id), {"Files": [photo["name"], missing]}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_REQUEST_BODY_VALIDATION",
        "detail": f"The user files ['{missing}'] do not exist.",
    }


@pytest.mark.parametrize("bad", [5, [1], [{"visible_name": "x"}], {"name": "x"}])
def test_malformed_cells_are_refused(client, table, files_field, bad):
    response = client.post(rows_url(table.id), {"Files": bad}, format="json")

    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert "Files" in response.json()["detail"]


def test_a_batch_looks_names_up_once_and_reports_per_item(client, table, files_field, photo):
    url = f"/api/database/rows/table/{table.id}/batch/?user_field_names=true"
    items = [{"Files": [photo["name"]]}, {"Files": [{"name": photo["name"], "visible_name": "B"}]}]

    response = client.post(url, {"items": items}, format="json")

    assert response.status_code == 200, response.json()
    assert [row["Files"][0]["visible_name"] for row in response.json()["items"]] == [
        "photo.png",
        "B",
    ]
    bad = client.post(url, {"items": [{"Files": [photo["name"]]}, {"Files": 5}]}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()["detail"]["items"]) == ["1"]


def test_an_update_replaces_the_files(client, table, files_field, photo, report):
    row = client.post(rows_url(table.id), {"Files": [photo["name"]]}, format="json").json()

    url = f"/api/database/rows/table/{table.id}/{row['id']}/?user_field_names=true"
    response = client.patch(url, {"Files": [report["name"]]}, format="json")

    assert [item["name"] for item in response.json()["Files"]] == [report["name"]]


def test_a_database_token_sets_files_it_uploaded(user, workspace, table, files_field):
    token = client_with_key(key_of(token_create(user=user, workspace=workspace, name="S")))
    name = uploaded(token, "script.csv", b"a,b")["name"]

    response = token.post(rows_url(table.id), {"Files": [name]}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["Files"][0]["visible_name"] == "script.csv"


def test_another_workspace_table_is_out_of_reach(client_for, other_user, table, files_field, photo):
    response = client_for(other_user).post(
        rows_url(table.id), {"Files": [photo["name"]]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_USER_NOT_IN_GROUP"


@pytest.fixture
def three_rows(table, files_field, photo, report):
    cells = [
        [{"name": photo["name"], "visible_name": "Holiday.png"}],
        [{"name": report["name"], "visible_name": "Invoice March.pdf"}, {"name": photo["name"]}],
        [],
    ]
    return insert_rows(table, [{files_field.db_column: cell} for cell in cells])


def test_filters(table, files_field, three_rows):
    first, second, third = three_rows

    assert ids_where(table, files_field, "empty") == [third]
    assert ids_where(table, files_field, "not_empty") == [first, second]
    assert ids_where(table, files_field, "filename_contains", "invoice") == [second]
    assert ids_where(table, files_field, "filename_contains", "PNG") == [first, second]
    assert ids_where(table, files_field, "filename_contains", "%") == []
    assert ids_where(table, files_field, "filename_contains", "") == [first, second, third]
    assert ids_where(table, files_field, "files_lower_than", "2") == [first, third]
    assert ids_where(table, files_field, "files_lower_than", "1") == [third]
    assert ids_where(table, files_field, "files_lower_than", "x") == []
    assert ids_where(table, files_field, "has_file_type", "image") == [first, second]
    assert ids_where(table, files_field, "has_file_type", "document") == [second]
    assert ids_where(table, files_field, "has_file_type", "") == [first, second, third]


def test_filters_and_search_over_the_api(client, table, files_field, three_rows):
    first, second, _ = three_rows
    url = f"/api/database/rows/table/{table.id}/"

    by_filter = client.get(url, {f"filter__field_{files_field.id}__filename_contains": "march"})
    searched = client.get(url, {"search": "holiday"})
    wrong_field = client.get(url, {f"filter__field_{files_field.id}__contains_word": "x"})

    assert [row["id"] for row in by_filter.json()["results"]] == [second]
    assert [row["id"] for row in searched.json()["results"]] == [first]
    assert wrong_field.status_code == 400


def test_conversion_to_text_and_back(user, client, table, files_field, three_rows, photo):
    field_update(user=user, field=files_field, type="text")
    texts = [row[files_field.db_column] for row in read_rows(table)]
    assert texts[0] == f"Holiday.png ({photo['url']})"
    assert texts[1].startswith("Invoice March.pdf (") and texts[1].endswith(
        f"photo.png ({photo['url']})"
    )
    assert texts[2] is None

    field_update(user=user, field=Field.objects.get(id=files_field.id), type="file")
    cells = [row[files_field.db_column] for row in read_rows(table)]
    assert [[item["visible_name"] for item in cell] for cell in cells] == [
        ["Holiday.png"],
        ["Invoice March.pdf", "photo.png"],
        [],
    ]
    assert cells[0][0]["name"] == photo["name"]


def test_text_naming_unknown_files_converts_to_empty_cells(user, table):
    text = add_field(table, "Notes", "text")
    insert_rows(
        table,
        [
            {text.db_column: "nothing here"},
            {text.db_column: "x (" + "A" * 32 + "_" + "0" * 64 + ")"},
        ],
    )

    from database.fields.services import field_update

    field_update(user=user, field=text, type="file")

    assert [row[text.db_column] for row in read_rows(table)] == [[], []]


def test_the_text_form_of_exports_is_accepted(client, table, files_field, photo):
    text = f"Holiday.png ({photo['url']})"

    response = client.post(rows_url(table.id), {"Files": text}, format="json")

    assert response.status_code == 200, response.json()
    assert [(f["name"], f["visible_name"]) for f in response.json()["Files"]] == [
        (photo["name"], "Holiday.png")
    ]
