"""HTTP endpoints of the sorts and group-bys of views (07): validate, call, serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.types import views as view_actions
from api.schema import error_responses
from api.validation import validated_body
from database.fields import errors as field_errors
from database.views import errors, filtering, selectors
from database.views.serializers import (
    GroupByCreateSerializer,
    GroupBySerializer,
    GroupByUpdateSerializer,
    SortCreateSerializer,
    SortSerializer,
    SortUpdateSerializer,
    group_by_json,
    sort_json,
)
from database.views.views import VIEW_GATE, require_some_change
from workspaces.errors import UserNotInWorkspace

SORTS_TAG = "Database table view sortings"
GROUP_BYS_TAG = "Database table view group bys"
SORT_ERRORS = (
    field_errors.FieldDoesNotExist,
    field_errors.FieldNotInTable,
    errors.ViewSortNotSupported,
    errors.ViewSortFieldAlreadyExists,
    errors.ViewSortFieldNotSupported,
)
GROUP_BY_ERRORS = (
    field_errors.FieldDoesNotExist,
    field_errors.FieldNotInTable,
    errors.ViewGroupByNotSupported,
    errors.ViewGroupByFieldAlreadyExists,
    errors.ViewGroupByFieldNotSupported,
)


class SortsView(APIView):
    @extend_schema(
        tags=[SORTS_TAG],
        operation_id="list_database_table_view_sortings",
        responses={200: SortSerializer(many=True), **error_responses(*VIEW_GATE)},
    )
    def get(self, request: Request, view_id: int) -> Response:
        sorts = filtering.sorts_list(user=request.user, view_id=view_id)
        return Response([sort_json(sort) for sort in sorts])

    @extend_schema(
        tags=[SORTS_TAG],
        operation_id="create_database_table_view_sort",
        request=SortCreateSerializer,
        responses={200: SortSerializer, **error_responses(*VIEW_GATE, *SORT_ERRORS)},
    )
    def post(self, request: Request, view_id: int) -> Response:
        data = validated_body(SortCreateSerializer, request)
        sort = view_actions.sort_create(user=request.user, view_id=view_id, **data)
        return Response(sort_json(sort))


SORT_GATE = (errors.ViewSortDoesNotExist, UserNotInWorkspace)


class SortView(APIView):
    @extend_schema(
        tags=[SORTS_TAG],
        operation_id="get_database_table_view_sort",
        responses={200: SortSerializer, **error_responses(*SORT_GATE)},
    )
    def get(self, request: Request, sort_id: int) -> Response:
        return Response(sort_json(selectors.sort_get_for_user(user=request.user, sort_id=sort_id)))

    @extend_schema(
        tags=[SORTS_TAG],
        operation_id="update_database_table_view_sort",
        request=SortUpdateSerializer,
        responses={200: SortSerializer, **error_responses(*SORT_GATE, *SORT_ERRORS)},
    )
    def patch(self, request: Request, sort_id: int) -> Response:
        require_some_change(request, SortUpdateSerializer)
        data = validated_body(SortUpdateSerializer, request, partial=True)
        sort = view_actions.sort_update(user=request.user, sort_id=sort_id, **data)
        return Response(sort_json(sort))

    @extend_schema(
        tags=[SORTS_TAG],
        operation_id="delete_database_table_view_sort",
        responses={204: None, **error_responses(*SORT_GATE)},
    )
    def delete(self, request: Request, sort_id: int) -> Response:
        view_actions.sort_delete(user=request.user, sort_id=sort_id)
        return Response(status=204)


class GroupBysView(APIView):
    @extend_schema(
        tags=[GROUP_BYS_TAG],
        operation_id="list_database_table_view_group_bys",
        responses={200: GroupBySerializer(many=True), **error_responses(*VIEW_GATE)},
    )
    def get(self, request: Request, view_id: int) -> Response:
        group_bys = filtering.group_bys_list(user=request.user, view_id=view_id)
        return Response([group_by_json(group_by) for group_by in group_bys])

    @extend_schema(
        tags=[GROUP_BYS_TAG],
        operation_id="create_database_table_view_group_by",
        request=GroupByCreateSerializer,
        responses={200: GroupBySerializer, **error_responses(*VIEW_GATE, *GROUP_BY_ERRORS)},
    )
    def post(self, request: Request, view_id: int) -> Response:
        data = validated_body(GroupByCreateSerializer, request)
        group_by = filtering.group_by_create(user=request.user, view_id=view_id, **data)
        return Response(group_by_json(group_by))


GROUP_BY_GATE = (errors.ViewGroupByDoesNotExist, UserNotInWorkspace)


class GroupByView(APIView):
    @extend_schema(
        tags=[GROUP_BYS_TAG],
        operation_id="get_database_table_view_group_by",
        responses={200: GroupBySerializer, **error_responses(*GROUP_BY_GATE)},
    )
    def get(self, request: Request, group_by_id: int) -> Response:
        group_by = selectors.group_by_get_for_user(user=request.user, group_by_id=group_by_id)
        return Response(group_by_json(group_by))

    @extend_schema(
        tags=[GROUP_BYS_TAG],
        operation_id="update_database_table_view_group_by",
        request=GroupByUpdateSerializer,
        responses={200: GroupBySerializer, **error_responses(*GROUP_BY_GATE, *GROUP_BY_ERRORS)},
    )
    def patch(self, request: Request, group_by_id: int) -> Response:
        require_some_change(request, GroupByUpdateSerializer)
        data = validated_body(GroupByUpdateSerializer, request, partial=True)
        group_by = filtering.group_by_update(user=request.user, group_by_id=group_by_id, **data)
        return Response(group_by_json(group_by))

    @extend_schema(
        tags=[GROUP_BYS_TAG],
        operation_id="delete_database_table_view_group_by",
        responses={204: None, **error_responses(*GROUP_BY_GATE)},
    )
    def delete(self, request: Request, group_by_id: int) -> Response:
        filtering.group_by_delete(user=request.user, group_by_id=group_by_id)
        return Response(status=204)
