"""The OpenAPI schema at /api/schema.json: public, valid, complete, with the contract's errors."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from openapi_spec_validator import validate
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import QueryParameterValidationError
from api.schema import error_responses
from users import errors as user_errors

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture(scope="module")
def schema() -> dict:
    response = Client().get("/api/schema.json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path_, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path_, method, operation


def test_schema_is_public_json():
    for headers in ({}, {"HTTP_AUTHORIZATION": "JWT not-a-token"}):
        response = Client().get("/api/schema.json", **headers)
        assert response.status_code == 200
        assert "json" in response["Content-Type"]
        assert response.json()["openapi"].startswith("3.0")


def test_schema_is_valid_openapi_3_0_3(schema):
    assert schema["openapi"] == "3.0.3"
    validate(schema)


def test_schema_names_the_api(schema):
    assert schema["info"]["title"] == "Baserow API spec"
    assert schema["info"]["version"] == "1.35.3"


def test_jwt_security_scheme_shows_the_prefix_in_its_format(schema):
    assert schema["components"]["securitySchemes"]["JWT"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT your_token",
    }


def test_schema_generation_has_no_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )


def test_every_path_is_under_api_with_a_trailing_slash(schema):
    assert schema["paths"]
    for path_ in schema["paths"]:
        assert path_.startswith("/api/"), path_
        # JSON documents (a database's own OpenAPI document) are named like /api/schema.json.
        assert path_.endswith(("/", ".json")), path_


def test_operation_ids_are_unique(schema):
    ids = [operation["operationId"] for _, _, operation in operations(schema)]
    assert len(ids) == len(set(ids))


def test_every_body_has_a_schema(schema):
    for path_, method, operation in operations(schema):
        where = f"{method.upper()} {path_}"
        for media_type in operation.get("requestBody", {}).get("content", {}).values():
            assert media_type.get("schema"), where
        success = [code for code in operation["responses"] if code.startswith("2")]
        assert success, where
        for code, response in operation["responses"].items():
            if code != "204":
                assert response.get("content"), f"{where} {code}"
            for media_type in response.get("content", {}).values():
                assert media_type.get("schema"), f"{where} {code}"


def test_every_error_response_has_the_contract_shape(schema):
    for path_, method, operation in operations(schema):
        for code, response in operation["responses"].items():
            if code.startswith("4"):
                body = response["content"]["application/json"]["schema"]
                assert "detail" in body["properties"], f"{method.upper()} {path_} {code}"


def test_operations_document_their_shared_errors(schema):
    for path_, method, operation in operations(schema):
        where = f"{method.upper()} {path_}"
        responses = operation["responses"]
        if "requestBody" in operation:
            codes = responses["400"]["content"]["application/json"]["schema"]["properties"]
            assert "ERROR_REQUEST_BODY_VALIDATION" in codes["error"]["enum"], where
        schemes = {name for requirement in operation.get("security", []) for name in requirement}
        if "JWT" in schemes:
            codes = responses["401"]["content"]["application/json"]["schema"]["properties"]
            assert "ERROR_INVALID_ACCESS_TOKEN" in codes["error"]["enum"], where
        if "Database token" in schemes:
            status = "401" if "JWT" in schemes else "403"
            codes = responses[status]["content"]["application/json"]["schema"]["properties"]
            assert "ERROR_TOKEN_DOES_NOT_EXIST" in codes["error"]["enum"], where


def test_database_token_security_scheme_shows_the_prefix_in_its_format(schema):
    assert schema["components"]["securitySchemes"]["Database token"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "Token your_token",
    }


def test_only_token_endpoints_use_the_database_token_scheme(schema):
    with_token = {
        (path_, method)
        for path_, method, operation in operations(schema)
        if {"Database token": []} in operation.get("security", [])
    }
    assert with_token == {
        ("/api/database/rows/table/{table_id}/", "get"),
        ("/api/database/rows/table/{table_id}/", "post"),
        ("/api/database/rows/table/{table_id}/{row_id}/", "get"),
        ("/api/database/rows/table/{table_id}/{row_id}/", "patch"),
        ("/api/database/rows/table/{table_id}/{row_id}/", "delete"),
        ("/api/database/rows/table/{table_id}/{row_id}/move/", "patch"),
        ("/api/database/rows/table/{table_id}/batch/", "post"),
        ("/api/database/rows/table/{table_id}/batch/", "patch"),
        ("/api/database/rows/table/{table_id}/batch-delete/", "post"),
        ("/api/database/rows/names/", "get"),
        ("/api/database/fields/table/{table_id}/", "get"),
        ("/api/database/fields/table/{table_id}/", "post"),
        ("/api/database/tables/all-tables/", "get"),
        ("/api/database/tokens/check/", "get"),
        ("/api/user-files/upload-file/", "post"),
        ("/api/user-files/upload-via-url/", "post"),
    }
    check = schema["paths"]["/api/database/tokens/check/"]["get"]
    assert check["security"] == [{"Database token": []}]
    assert "401" not in check["responses"]


def test_authenticated_operations_use_the_jwt_scheme(schema):
    workspaces = schema["paths"]["/api/workspaces/"]["get"]
    assert {"JWT": []} in workspaces["security"]
    assert {} not in workspaces["security"]


def test_groups_paths_are_deprecated_twins_of_workspaces_paths(schema):
    groups = {p: item for p, item in schema["paths"].items() if p.startswith("/api/groups/")}
    assert groups, "decision 4: the /api/groups/ paths must be in the schema"
    for path_, item in groups.items():
        twin = path_.replace("/api/groups/", "/api/workspaces/", 1).replace(
            "/group/", "/workspace/"
        )
        assert twin in schema["paths"], path_
        methods = {m for m in item if m in HTTP_METHODS}
        assert methods == {m for m in schema["paths"][twin] if m in HTTP_METHODS}, path_
        for method in methods:
            assert item[method].get("deprecated") is True, f"{method.upper()} {path_}"
            assert not schema["paths"][twin][method].get("deprecated"), f"{method.upper()} {twin}"


def test_only_groups_paths_are_deprecated(schema):
    for path_, method, operation in operations(schema):
        if operation.get("deprecated"):
            assert path_.startswith("/api/groups/"), f"{method.upper()} {path_}"


# A small API of its own shows how AutoSchema merges declared and shared errors.


class NameSerializer(serializers.Serializer):
    name = serializers.CharField()


class IdSerializer(serializers.Serializer):
    id = serializers.IntegerField()


class ThingsView(APIView):
    @extend_schema(
        operation_id="list_workspace_things",
        responses={200: IdSerializer(many=True), **error_responses(QueryParameterValidationError)},
    )
    def get(self, request):
        return Response([])

    @extend_schema(
        operation_id="create_workspace_thing",
        request=NameSerializer,
        responses={
            200: IdSerializer,
            **error_responses(user_errors.UserNotFound, user_errors.InvalidCredentials),
        },
    )
    def post(self, request):
        return Response({"id": 1})


class PublicView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(request=NameSerializer, responses={200: IdSerializer})
    def post(self, request):
        return Response({"id": 1})


@pytest.fixture(scope="module")
def small_schema() -> dict:
    api = [
        path("workspaces/things/", ThingsView.as_view()),
        path("groups/things/", ThingsView.as_view()),
        path("public/", PublicView.as_view()),
    ]
    patterns = [path("api/", include((api, "api")))]
    return SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)


def error_body(operation: dict, status: str) -> dict:
    return operation["responses"][status]["content"]["application/json"]["schema"]


def test_error_responses_groups_codes_by_status():
    responses = error_responses(user_errors.UserNotFound, user_errors.InvalidCredentials)
    assert set(responses) == {400, 401}
    assert responses[400].response["properties"]["error"]["enum"] == ["ERROR_USER_NOT_FOUND"]
    assert "The user was not found." in responses[400].description


def test_error_responses_refuses_an_unmapped_exception():
    with pytest.raises(ValueError, match="WIRE_ERRORS"):
        error_responses(KeyError)


def test_declared_errors_merge_with_the_shared_ones(small_schema):
    create = small_schema["paths"]["/api/workspaces/things/"]["post"]
    assert list(create["responses"]) == ["200", "400", "401"]
    bad_request = error_body(create, "400")
    assert bad_request["properties"]["error"]["enum"] == [
        "ERROR_REQUEST_BODY_VALIDATION",
        "ERROR_USER_NOT_FOUND",
    ]
    assert bad_request["required"] == ["error", "detail"]
    unauthorized = error_body(create, "401")
    assert unauthorized["properties"]["error"]["enum"] == [
        "ERROR_DEACTIVATED_USER",
        "ERROR_INVALID_ACCESS_TOKEN",
        "ERROR_INVALID_CREDENTIALS",
    ]
    # "Authentication credentials were not provided." comes without an error code.
    assert unauthorized["required"] == ["detail"]


def test_query_errors_describe_per_field_details(small_schema):
    listing = small_schema["paths"]["/api/workspaces/things/"]["get"]
    detail = error_body(listing, "400")["properties"]["detail"]
    assert {"type": "string"} in detail["oneOf"]
    assert "requestBody" not in listing


def test_public_operations_answer_no_401(small_schema):
    public = small_schema["paths"]["/api/public/"]["post"]
    assert "401" not in public["responses"]
    assert error_body(public, "400")["properties"]["error"]["enum"] == [
        "ERROR_REQUEST_BODY_VALIDATION"
    ]


def test_groups_twins_are_deprecated_with_their_own_operation_ids(small_schema):
    current = small_schema["paths"]["/api/workspaces/things/"]
    legacy = small_schema["paths"]["/api/groups/things/"]
    assert legacy["get"]["deprecated"] is True
    assert legacy["get"]["operationId"] == "list_group_things"
    assert legacy["post"]["operationId"] == "create_group_thing"
    assert "deprecated" not in current["get"]
    assert current["get"]["operationId"] == "list_workspace_things"
    validate(small_schema)
