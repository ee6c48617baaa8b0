"""GET /api/database/<id>/schema.json: a valid OpenAPI 3 document with typed rows per table."""

from decimal import Decimal

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from database.api_docs.selectors import database_docs
from database.fields.models import Field
from database.fields.registry import field_types
from database.fields.services import field_create

ROWS = "/api/database/rows/table"


def schema_url(database_id: int) -> str:
    return f"/api/database/{database_id}/schema.json"


@pytest.fixture
def document(user_client, every_type_table, database_app) -> dict:
    response = user_client.get(schema_url(database_app.id))
    assert response.status_code == 200
    return response.json()


def component(document: dict, name: str) -> dict:
    """A component schema with its `$ref`s resolvable by a validator."""
    return {**document["components"]["schemas"][name], "components": document["components"]}


def equivalent(value):
    """A cell reduced to what a request and its stored result share: ids, numbers, text."""
    if isinstance(value, dict):
        return value["id"]
    if isinstance(value, list):
        return [equivalent(item) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    return value


def test_the_document_is_valid_openapi_3(document):
    validate(document)
    assert document["openapi"].startswith("3.0")


def test_every_field_type_is_typed_in_the_row_schemas(document, every_type_table):
    fields = Field.objects.filter(table=every_type_table)
    row = document["components"]["schemas"][f"Table{every_type_table.id}Row"]["properties"]
    request = document["components"]["schemas"][f"Table{every_type_table.id}RowRequest"]
    assert {f.type for f in fields} == set(field_types.names())
    for field in fields:
        assert row[field.db_column]["description"]
        if field_types.get(field.type).read_only:
            assert field.db_column not in request["properties"], field.type
        else:
            assert request["properties"][field.db_column]["description"], field.type
    by_type = {field.type: field for field in fields}

    def sent(type_name):
        return request["properties"][by_type[type_name].db_column]

    def returned(type_name):
        return row[by_type[type_name].db_column]

    assert returned("boolean") == {**returned("boolean"), "type": "boolean"}
    assert returned("number")["format"] == "decimal"
    assert returned("date")["format"] == "date-time" and returned("date")["nullable"] is True
    assert returned("created_on")["format"] == "date"
    assert sent("rating")["maximum"] == 10
    options = list(by_type["single_select"].select_options.order_by("order", "id"))
    assert sent("single_select")["enum"] == [*(o.id for o in options), None]
    assert returned("single_select")["properties"]["value"]["enum"] == ["Open", "Done"]
    assert sent("link_row")["type"] == "array" and returned("link_row")["type"] == "array"
    assert returned("link_row")["items"]["required"] == ["id", "value", "order"]
    assert returned("lookup")["items"]["properties"]["value"]["type"] == "string"
    assert row["id"] == {"type": "integer"}


def test_paths_name_each_tables_row_endpoints(document, every_type_table, projects):
    for table in (every_type_table, projects):
        t = table.id
        assert set(document["paths"][f"{ROWS}/{t}/"]) == {"get", "post"}
        assert set(document["paths"][f"{ROWS}/{t}/{{row_id}}/"]) >= {"get", "patch", "delete"}
        assert "patch" in document["paths"][f"{ROWS}/{t}/{{row_id}}/move/"]
        assert set(document["paths"][f"{ROWS}/{t}/batch/"]) == {"post", "patch"}
        assert "post" in document["paths"][f"{ROWS}/{t}/batch-delete/"]
    listing = document["paths"][f"{ROWS}/{every_type_table.id}/"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"search", "order_by", "filters", "filter_type", "user_field_names", "size"} <= names
    assert listing["responses"]["404"]["content"]["application/json"]["schema"]["properties"][
        "error"
    ]["enum"] == ["ERROR_TABLE_DOES_NOT_EXIST"]
    assert "/api/database/rows/names/" in document["paths"]


def test_servers_and_security_schemes(user_client, every_type_table, database_app, settings):
    settings.ALLOWED_HOSTS = ["baserow.example.org"]
    response = user_client.get(schema_url(database_app.id), HTTP_HOST="baserow.example.org:8443")
    document = response.json()
    assert document["servers"] == [{"url": "http://baserow.example.org:8443"}]
    schemes = document["components"]["securitySchemes"]
    assert "JWT <access token>" in schemes["JWT"]["description"]
    assert "Token <key>" in schemes["DatabaseToken"]["description"]
    assert {"JWT": []} in document["security"] and {"DatabaseToken": []} in document["security"]


def test_the_example_body_round_trips_through_the_real_endpoint(
    user_client, document, every_type_table
):
    t = every_type_table.id
    create = document["paths"][f"{ROWS}/{t}/"]["post"]
    body = create["requestBody"]["content"]["application/json"]["examples"]["field_ids"]["value"]
    OAS30Validator(component(document, f"Table{t}RowRequest")).validate(body)

    created = user_client.post(f"{ROWS}/{t}/", body, format="json")
    assert created.status_code == 200, created.json()
    row = user_client.get(f"{ROWS}/{t}/{created.json()['id']}/").json()

    OAS30Validator(component(document, f"Table{t}Row")).validate(row)
    assert set(body) < set(row)
    for key, sent in body.items():
        assert equivalent(row[key]) == equivalent(sent), key
    single = Field.objects.get(table=every_type_table, type="single_select")
    assert (
        row[single.db_column]
        == document["components"]["schemas"][f"Table{t}Row"]["example"][single.db_column]
    )


def test_the_names_example_round_trips_too(user_client, document, every_type_table):
    t = every_type_table.id
    create = document["paths"][f"{ROWS}/{t}/"]["post"]["requestBody"]["content"]
    body = create["application/json"]["examples"]["user_field_names"]["value"]
    response = user_client.post(f"{ROWS}/{t}/?user_field_names=true", body, format="json")
    assert response.status_code == 200, response.json()
    row = response.json()
    for name, sent in body.items():
        assert equivalent(row[name]) == equivalent(sent), name


def test_a_table_without_options_or_rows_still_gives_a_valid_document(
    user, user_client, make_table, database_app
):
    table = make_table("Bare")
    field_create(user=user, table=table, type="single_select", name="Empty", options={})
    response = user_client.get(schema_url(database_app.id))
    validate(response.json())
    (doc,) = [t for t in database_docs(database=database_app) if t.id == table.id]
    assert doc.request_example() == {f"field_{doc.fields[0].id}": "string", doc.fields[1].key: None}


def test_an_empty_database_has_a_valid_document_without_paths(user_client, database_app):
    response = user_client.get(schema_url(database_app.id))
    assert response.status_code == 200
    validate(response.json())
    assert response.json()["paths"] == {}


def test_other_users_and_unknown_databases_get_the_contract_404(
    client_for, other_user, database_app
):
    for url in (schema_url(database_app.id), schema_url(987_654), schema_url(10**20)):
        response = client_for(other_user).get(url)
        assert response.status_code == 404, url
        assert response.json() == {
            "error": "ERROR_APPLICATION_DOES_NOT_EXIST",
            "detail": "The requested application does not exist.",
        }


def test_anonymous_and_bad_tokens_get_401(api_client, database_app):
    assert api_client.get(schema_url(database_app.id)).status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="JWT not-a-token")
    response = api_client.get(schema_url(database_app.id))
    assert response.status_code == 401
    assert response.json()["error"] == "ERROR_INVALID_ACCESS_TOKEN"


def test_the_global_schema_documents_the_new_endpoint(api_client):
    document = api_client.get("/api/schema.json").json()
    validate(document)
    operation = document["paths"]["/api/database/{database_id}/schema.json"]["get"]
    assert set(operation["responses"]) >= {"200", "401", "404"}
