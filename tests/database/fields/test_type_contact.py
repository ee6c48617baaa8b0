"""url, email and phone_number fields (05-fields.md)."""

import pytest

from api.exceptions import RequestBodyValidationError
from database.fields.services import field_create, field_delete, field_update
from tests.database.helpers import column_types, insert_rows, purge_trash, read_rows


def error_code(excinfo, field) -> str:
    return excinfo.value.detail[field.db_column][0]["code"]


@pytest.mark.parametrize("type_name", ["url", "email", "phone_number"])
def test_create_makes_a_text_column_and_empty_cells_read_as_blank(user, table, type_name):
    field, related = field_create(user=user, table=table, type=type_name, name="Contact")

    assert related == []
    assert column_types(table)[field.db_column] == "TextField"
    insert_rows(table, [{}, {field.db_column: None}, {field.db_column: ""}])
    assert [row[field.db_column] for row in read_rows(table)] == ["", "", ""]


@pytest.mark.parametrize(
    ("type_name", "good"),
    [
        ("url", ["https://baserow.io", "baserow.io", "ftp://x", "http://a.b/c?d=e#f"]),
        ("email", ["ada@example.com", "a@b", "first.last+tag@sub.example.org"]),
        ("phone_number", ["+31 (0)6-1234 5678", "555.123.4567 x12", "*31#", "1/2;3=4_5,n"]),
    ],
)
def test_valid_values_are_stored_and_returned(user, table, type_name, good):
    field, _ = field_create(user=user, table=table, type=type_name, name="Contact")

    insert_rows(table, [{field.db_column: value} for value in good])

    assert [row[field.db_column] for row in read_rows(table)] == good


@pytest.mark.parametrize(
    ("type_name", "bad", "code"),
    [
        ("url", "not a url", "invalid"),
        ("url", "nodot", "invalid"),
        ("email", "ada.example.com", "invalid"),
        ("email", "ada@exa mple.com", "invalid"),
        ("email", "a@b@c", "invalid"),
        ("email", "a" * 250 + "@b.io", "max_length"),
        ("phone_number", "call me", "invalid"),
        ("phone_number", "1" * 101, "max_length"),
    ],
)
def test_invalid_values_are_refused(user, table, type_name, bad, code):
    field, _ = field_create(user=user, table=table, type=type_name, name="Contact")

    with pytest.raises(RequestBodyValidationError) as excinfo:
        insert_rows(table, [{field.db_column: bad}])

    assert error_code(excinfo, field) == code


def test_url_allows_a_first_part_of_255_characters_only(user, table):
    field, _ = field_create(user=user, table=table, type="url", name="Link")
    insert_rows(table, [{field.db_column: "a" * 255 + ".io"}])

    with pytest.raises(RequestBodyValidationError):
        insert_rows(table, [{field.db_column: "a" * 256 + "io"}])


def test_field_object_has_no_type_specific_keys(user, table):
    from database.fields.serializers import field_to_json

    field, _ = field_create(user=user, table=table, type="email", name="Mail")

    data = field_to_json(field)

    assert data["type"] == "email"
    assert data["read_only"] is False
    assert "text_default" not in data


def test_rename_keeps_values(user, table):
    field, _ = field_create(user=user, table=table, type="url", name="Link")
    insert_rows(table, [{field.db_column: "https://a.io"}])

    field, _ = field_update(user=user, field=field, name="Website")

    assert field.name == "Website"
    assert read_rows(table)[0][field.db_column] == "https://a.io"


def test_to_text_and_back_keeps_values(user, table):
    field, _ = field_create(user=user, table=table, type="email", name="Mail")
    insert_rows(table, [{field.db_column: "ada@example.com"}, {}])

    field, _ = field_update(user=user, field=field, type="text")
    assert [row[field.db_column] for row in read_rows(table)] == ["ada@example.com", None]

    field, _ = field_update(user=user, field=field, type="email")
    assert column_types(table)[field.db_column] == "TextField"
    assert [row[field.db_column] for row in read_rows(table)] == ["ada@example.com", ""]


def test_from_text_keeps_only_values_of_the_right_shape(user, table):
    field, _ = field_create(user=user, table=table, type="text", name="Mixed")
    texts = [" https://a.io ", "plain words", "ada@example.com", "+1 555 0100", None]
    insert_rows(table, [{field.db_column: text} for text in texts])

    url, _ = field_update(user=user, field=field, type="url")
    assert [row[url.db_column] for row in read_rows(table)] == [
        "https://a.io",
        "",
        "ada@example.com",  # the pattern is permissive: something, a dot, something
        "",
        "",
    ]


@pytest.mark.parametrize(
    ("type_name", "expected"),
    [
        ("email", ["", "", "ada@example.com", "", ""]),
        ("phone_number", ["", "", "", "+1 555 0100", ""]),
    ],
)
def test_text_converts_to_email_and_phone(user, table, type_name, expected):
    field, _ = field_create(user=user, table=table, type="text", name="Mixed")
    texts = ["https://a.io", "plain words", "ada@example.com", "+1 555 0100", None]
    insert_rows(table, [{field.db_column: text} for text in texts])

    field, _ = field_update(user=user, field=field, type=type_name)

    assert [row[field.db_column] for row in read_rows(table)] == expected


def test_url_converts_to_email_dropping_what_does_not_fit(user, table):
    field, _ = field_create(user=user, table=table, type="url", name="Contact")
    insert_rows(table, [{field.db_column: "https://a.io"}, {field.db_column: "me@host.io"}])

    field, _ = field_update(user=user, field=field, type="email")

    assert [row[field.db_column] for row in read_rows(table)] == ["", "me@host.io"]


@pytest.mark.parametrize("type_name", ["url", "email", "phone_number"])
def test_delete_drops_the_column(user, table, type_name):
    field, _ = field_create(user=user, table=table, type=type_name, name="Contact")
    insert_rows(table, [{}])

    assert field_delete(user=user, field=field) == []
    purge_trash()

    assert field.db_column not in column_types(table)
    assert field.db_column not in read_rows(table)[0]
