"""HTTP endpoints of fields (05-fields.md): validate, call one service, serialize."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.types import fields as field_actions
from actions.types import trashed
from api.authentication import JWT_OR_DATABASE_TOKEN, database_token
from api.exceptions import QueryParameterValidationError
from api.schema import error_responses
from api.validation import validated_body, validated_query
from database.fields import errors, selectors, services
from database.fields.duplication import field_duplicate_async
from database.fields.models import Field
from database.fields.serializers import (
    FieldCreateSerializer,
    FieldSerializer,
    FieldUpdateSerializer,
    FieldWithRelatedSerializer,
    field_to_json,
)
from database.registry import UnknownType
from database.tables.errors import FailedToLockTableDueToConflict, TableDoesNotExist
from database.tables.selectors import table_get
from database.tokens.errors import NoPermissionToTable, TokenWorkspaceMismatch
from jobs.errors import MaxJobCountExceeded
from jobs.params import DuplicateFieldParamsSerializer
from jobs.serializers import JobSerializer, job_to_json
from workspaces.errors import UserNotInWorkspace

FIELDS_TAG = "Database table fields"

# What the lookups and the gate answer, in their order.
TABLE_GATE = (TableDoesNotExist, UserNotInWorkspace)
FIELD_GATE = (errors.FieldDoesNotExist, UserNotInWorkspace)
TOKEN_TABLE_GATE = (*TABLE_GATE, NoPermissionToTable, TokenWorkspaceMismatch)
NAME_ERRORS = (
    errors.FieldWithSameNameAlreadyExists,
    errors.ReservedFieldName,
    errors.InvalidFieldName,
    errors.MaxFieldNameLengthExceeded,
)
# Errors a field type's own hooks may raise on create and update.
TYPE_ERRORS = (
    UnknownType,
    errors.IncompatiblePrimaryFieldType,
    errors.DbIndexNotSupported,
    errors.LinkRowTableNotProvided,
    errors.LinkRowTableNotInSameDatabase,
    errors.SelfReferencingLinkRowCannotHaveRelatedField,
    errors.SelectOptionDoesNotBelongToField,
    errors.InvalidCountThroughField,
    errors.InvalidLookupThroughField,
    errors.InvalidLookupTargetField,
)


class ChangePrimaryFieldSerializer(serializers.Serializer):
    new_primary_field_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class QueryBooleanField(serializers.BooleanField):
    """A query-string flag: present without a value (`?flag=`) means true, as in Baserow."""

    def get_value(self, dictionary):
        # DRF reads an empty query value as absent; here it means true.
        if dictionary.get(self.field_name) == "":
            return True
        return super().get_value(dictionary)


class UniqueRowValuesQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="How many values to return (at most 100, also when absent or 0).",
    )
    split_comma_separated = QueryBooleanField(
        required=False,
        default=False,
        help_text="Split every value by commas and count the trimmed parts.",
    )


class UniqueRowValuesSerializer(serializers.Serializer):
    values = serializers.ListField(child=serializers.CharField())


class RelatedFieldsSerializer(serializers.Serializer):
    related_fields = FieldSerializer(many=True)


def _type_options(request: Request, serializer_class: type[serializers.Serializer]) -> dict:
    """The body's keys other than the common ones: the type's properties (unknown ones ignored)."""
    common = serializer_class().fields
    return {key: value for key, value in request.data.items() if key not in common}


def _with_related(field: Field, related: list[Field]) -> dict[str, Any]:
    return {**field_to_json(field), "related_fields": [field_to_json(f) for f in related]}


class FieldsView(APIView):
    # A token lists fields; it may never create one (NoPermissionToTable), as in Baserow.
    authentication_classes = JWT_OR_DATABASE_TOKEN

    @extend_schema(
        tags=[FIELDS_TAG],
        operation_id="list_database_table_fields",
        responses={200: FieldSerializer(many=True), **error_responses(*TOKEN_TABLE_GATE)},
    )
    def get(self, request: Request, table_id: int) -> Response:
        fields = selectors.fields_list_for_user(
            user=request.user, table_id=table_id, token=database_token(request)
        )
        return Response([field_to_json(field) for field in fields])

    @extend_schema(
        tags=[FIELDS_TAG],
        operation_id="create_database_table_field",
        request=FieldCreateSerializer,
        responses={
            200: FieldWithRelatedSerializer,
            **error_responses(
                *TOKEN_TABLE_GATE,
                *NAME_ERRORS,
                *TYPE_ERRORS,
                errors.MaxFieldCountExceeded,
                FailedToLockTableDueToConflict,
            ),
        },
    )
    def post(self, request: Request, table_id: int) -> Response:
        table = table_get(table_id=table_id)
        if database_token(request) is not None:
            raise NoPermissionToTable()
        data = validated_body(FieldCreateSerializer, request)
        field, related = trashed.field_create(
            user=request.user,
            table=table,
            options=_type_options(request, FieldCreateSerializer),
            **data,
        )
        return Response(_with_related(field, related))


class FieldView(APIView):
    @extend_schema(
        tags=[FIELDS_TAG],
        operation_id="get_database_table_field",
        responses={200: FieldSerializer, **error_responses(*FIELD_GATE)},
    )
    def get(self, request: Request, field_id: int) -> Response:
        field = selectors.field_get_for_user(user=request.user, field_id=field_id)
        return Response(field_to_json(field))

    @extend_schema(
        tags=[FIELDS_TAG],
        operation_id="update_database_table_field",
        request=FieldUpdateSerializer,
        responses={
            200: FieldWithRelatedSerializer,
            **error_responses(
                *FIELD_GATE,
                *NAME_ERRORS,
                *TYPE_ERRORS,
                errors.CannotChangeFieldType,
                FailedToLockTableDueToConflict,
            ),
        },
    )
    def patch(self, request: Request, field_id: int) -> Response:
        field = selectors.field_get(field_id=field_id)
        data = validated_body(FieldUpdateSerializer, request, partial=True)
        field, related = field_actions.field_update(
            user=request.user,
            field=field,
            options=_type_options(request, FieldUpdateSerializer),
            **data,
        )
        return Response(_with_related(field, related))

    @extend_schema(
        tags=[FIELDS_TAG],
        operation_id="delete_database_table_field",
        responses={
            200: RelatedFieldsSerializer,
            **error_responses(
                *FIELD_GATE,
                errors.CannotDeletePrimaryField,
                errors.FieldAlreadyTrashed,
                FailedToLockTableDueToConflict,
            ),
        },
    )
    def delete(self, request: Request, field_id: int) -> Response:
        field = selectors.field_get(field_id=field_id)
        related = trashed.field_delete(user=request.user, field_id=field.id)
        return Response({"related_fields": [field_to_json(f) for f in related]})


class DuplicateFieldJobSerializer(JobSerializer):
    """For the OpenAPI spec: a duplicate_field job."""

    original_field = FieldSerializer(allow_null=True)
    duplicated_field = FieldWithRelatedSerializer(allow_null=True)


class DuplicateFieldBodySerializer(DuplicateFieldParamsSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["field_id"]  # from the path


class FieldDuplicateAsyncView(APIView):
    @extend_schema(
        tags=[FIELDS_TAG],
        operation_id="duplicate_table_field",
        request=DuplicateFieldBodySerializer,
        responses={
            202: DuplicateFieldJobSerializer,
            **error_responses(*FIELD_GATE, MaxJobCountExceeded),
        },
    )
    def post(self, request: Request, field_id: int) -> Response:
        data = validated_body(DuplicateFieldBodySerializer, request)
        job = field_duplicate_async(user=request.user, field_id=field_id, **data)
        return Response(job_to_json(job), status=202)


class ChangePrimaryFieldView(APIView):
    @extend_schema(
        tags=[FIELDS_TAG],
        operation_id="change_primary_field",
        request=ChangePrimaryFieldSerializer,
        responses={
            200: FieldWithRelatedSerializer,
            **error_responses(
                TableDoesNotExist,
                errors.FieldDoesNotExist,
                UserNotInWorkspace,
                errors.FieldNotInTable,
                errors.FieldIsAlreadyPrimary,
                errors.IncompatiblePrimaryFieldType,
                FailedToLockTableDueToConflict,
            ),
        },
    )
    def post(self, request: Request, table_id: int) -> Response:
        table = table_get(table_id=table_id)
        data = validated_body(ChangePrimaryFieldSerializer, request)
        field = selectors.field_get(field_id=data["new_primary_field_id"])
        field, related = services.field_change_primary(user=request.user, table=table, field=field)
        return Response(_with_related(field, related))


class UniqueRowValuesView(APIView):
    @extend_schema(
        tags=[FIELDS_TAG],
        operation_id="get_database_field_unique_row_values",
        parameters=[UniqueRowValuesQuerySerializer],
        responses={
            200: UniqueRowValuesSerializer,
            **error_responses(
                QueryParameterValidationError,
                *FIELD_GATE,
                errors.IncompatibleFieldTypeForUniqueValues,
            ),
        },
    )
    def get(self, request: Request, field_id: int) -> Response:
        field = selectors.field_get(field_id=field_id)
        query = validated_query(UniqueRowValuesQuerySerializer, request)
        values = selectors.field_unique_row_values(user=request.user, field=field, **query)
        return Response({"values": values})
