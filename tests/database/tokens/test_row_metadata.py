"""Row metadata is refused to database tokens (08)."""

from tests.database.helpers import insert_rows
from tests.database.rows.conftest import item_url
from tests.database.tokens.conftest import client_with_key, key_of


def test_a_token_cannot_include_row_metadata(table, make_token):
    (row_id,) = insert_rows(table, [{}])
    token_client = client_with_key(key_of(make_token()))
    response = token_client.get(item_url(table.id, row_id), {"include": "metadata"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_CANNOT_INCLUDE_ROW_METADATA",
        "detail": "The token cannot include row metadata.",
    }
    assert token_client.get(item_url(table.id, row_id)).status_code == 200
    missing = token_client.get(item_url(424242, row_id), {"include": "metadata"})
    assert missing.status_code == 404
    assert missing.json()["error"] == "ERROR_TABLE_DOES_NOT_EXIST"
