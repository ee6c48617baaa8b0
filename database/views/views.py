"""HTTP endpoints of views, filters, sorts and field options (07): validate, call, serialize."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.types import trashed
from actions.types import views as view_actions
from api.exceptions import RequestBodyValidationError
from api.schema import error_responses
from api.validation import validated_body
from database.fields import errors as field_errors
from database.registry import UnknownType
from database.tables.errors import TableDoesNotExist
from database.views import errors, filtering, selectors, services
from database.views.registry import view_types
from database.views.serializers import (
    FieldOptionsSerializer,
    FilterCreateSerializer,
    FilterGroupCreateSerializer,
    FilterGroupSerializer,
    FilterGroupUpdateSerializer,
    FilterSerializer,
    FilterUpdateSerializer,
    ViewCreateSerializer,
    ViewSerializer,
    ViewsOrderSerializer,
    ViewUpdateSerializer,
    filter_group_json,
    filter_json,
    parse_includes,
    view_to_json,
)
from workspaces.errors import UserNotInWorkspace

VIEWS_TAG = "Database table views"
FILTERS_TAG = "Database table view filters"
TABLE_GATE = (TableDoesNotExist, UserNotInWorkspace)
VIEW_GATE = (errors.ViewDoesNotExist, UserNotInWorkspace)
INCLUDE = OpenApiParameter(
    "include", str, description="Comma list of `filters`, `sortings`, `decorations`, `group_bys`."
)
FILTER_ERRORS = (
    field_errors.FieldDoesNotExist,
    field_errors.FieldNotInTable,
    errors.ViewFilterNotSupported,
    errors.ViewFilterTypeUnsupportedField,
    errors.ViewFilterGroupDoesNotExist,
)
TYPE_OPTION_NAMES = {name for view_type in view_types for name in view_type.option_fields()}


def _includes(request: Request) -> set[str]:
    return parse_includes(request.query_params.get("include"))


def _limit(request: Request) -> int | None:
    text = request.query_params.get("limit", "")
    return int(text) if text.isdigit() and len(text) < 10 else None


def require_some_change(request: Request, serializer_class, extra=()) -> None:
    """A PATCH must name something to change; a body without any known key is refused."""
    known = {*serializer_class().fields, *extra}
    keys = set(request.data.keys()) if hasattr(request.data, "keys") else set()
    if not keys & known:
        error = {"error": "At least one field must be provided.", "code": "invalid"}
        raise RequestBodyValidationError({"non_field_errors": [error]})


def _type_options(request: Request) -> dict:
    """The body's other keys, for the view type to pick its properties from."""
    return dict(request.data) if isinstance(request.data, dict) else {}


class ViewsView(APIView):
    @extend_schema(
        tags=[VIEWS_TAG],
        operation_id="list_database_table_views",
        parameters=[
            INCLUDE,
            OpenApiParameter("type", str, description="Only views of this type."),
            OpenApiParameter("limit", int, description="At most this many views."),
        ],
        responses={200: ViewSerializer(many=True), **error_responses(*TABLE_GATE)},
    )
    def get(self, request: Request, table_id: int) -> Response:
        views = selectors.views_list(
            user=request.user,
            table_id=table_id,
            type=request.query_params.get("type"),
            limit=_limit(request),
        )
        include = _includes(request)
        return Response([view_to_json(view, include) for view in views])

    @extend_schema(
        tags=[VIEWS_TAG],
        operation_id="create_database_table_view",
        parameters=[INCLUDE],
        request=ViewCreateSerializer,
        responses={
            200: ViewSerializer,
            **error_responses(
                *TABLE_GATE, UnknownType, field_errors.FieldNotInTable, errors.CannotShareViewType
            ),
        },
    )
    def post(self, request: Request, table_id: int) -> Response:
        data = validated_body(ViewCreateSerializer, request)
        view = trashed.view_create(
            user=request.user, table_id=table_id, options=_type_options(request), **data
        )
        return Response(view_to_json(view, _includes(request)))


class ViewsOrderView(APIView):
    @extend_schema(
        tags=[VIEWS_TAG],
        operation_id="order_database_table_views",
        request=ViewsOrderSerializer,
        responses={204: None, **error_responses(*TABLE_GATE, errors.ViewNotInTable)},
    )
    def post(self, request: Request, table_id: int) -> Response:
        view_ids = validated_body(ViewsOrderSerializer, request)["view_ids"]
        services.views_order(user=request.user, table_id=table_id, view_ids=view_ids)
        return Response(status=204)


class ViewView(APIView):
    @extend_schema(
        tags=[VIEWS_TAG],
        operation_id="get_database_table_view",
        parameters=[INCLUDE],
        responses={200: ViewSerializer, **error_responses(*VIEW_GATE)},
    )
    def get(self, request: Request, view_id: int) -> Response:
        view = selectors.view_get_for_user(user=request.user, view_id=view_id)
        return Response(view_to_json(view, _includes(request)))

    @extend_schema(
        tags=[VIEWS_TAG],
        operation_id="update_database_table_view",
        parameters=[INCLUDE],
        request=ViewUpdateSerializer,
        responses={
            200: ViewSerializer,
            **error_responses(*VIEW_GATE, field_errors.FieldNotInTable),
        },
    )
    def patch(self, request: Request, view_id: int) -> Response:
        require_some_change(request, ViewUpdateSerializer, TYPE_OPTION_NAMES)
        data = validated_body(ViewUpdateSerializer, request, partial=True)
        view = view_actions.view_update(
            user=request.user, view_id=view_id, options=_type_options(request), **data
        )
        return Response(view_to_json(view, _includes(request)))

    @extend_schema(
        tags=[VIEWS_TAG],
        operation_id="delete_database_table_view",
        responses={204: None, **error_responses(*VIEW_GATE)},
    )
    def delete(self, request: Request, view_id: int) -> Response:
        trashed.view_delete(user=request.user, view_id=view_id)
        return Response(status=204)


class ViewDuplicateView(APIView):
    @extend_schema(
        tags=[VIEWS_TAG],
        operation_id="duplicate_database_table_view",
        request=None,
        responses={200: ViewSerializer, **error_responses(*VIEW_GATE)},
    )
    def post(self, request: Request, view_id: int) -> Response:
        view = services.view_duplicate(user=request.user, view_id=view_id)
        return Response(view_to_json(view, {"filters", "sortings", "decorations", "group_bys"}))


class ViewRotateSlugView(APIView):
    @extend_schema(
        tags=[VIEWS_TAG],
        operation_id="rotate_database_view_slug",
        request=None,
        responses={200: ViewSerializer, **error_responses(*VIEW_GATE, errors.CannotShareViewType)},
    )
    def post(self, request: Request, view_id: int) -> Response:
        view = services.view_rotate_slug(user=request.user, view_id=view_id)
        return Response(view_to_json(view))


class FieldOptionsView(APIView):
    @extend_schema(
        tags=[VIEWS_TAG],
        operation_id="get_database_table_view_field_options",
        responses={200: FieldOptionsSerializer, **error_responses(*VIEW_GATE)},
    )
    def get(self, request: Request, view_id: int) -> Response:
        _, options = services.field_options_get(user=request.user, view_id=view_id)
        return Response({"field_options": options})

    @extend_schema(
        tags=[VIEWS_TAG],
        operation_id="update_database_table_view_field_options",
        request=FieldOptionsSerializer,
        responses={
            200: FieldOptionsSerializer,
            **error_responses(
                *VIEW_GATE, errors.UnrelatedField, errors.ViewDoesNotSupportFieldOptions
            ),
        },
    )
    def patch(self, request: Request, view_id: int) -> Response:
        data = validated_body(FieldOptionsSerializer, request)
        options = view_actions.field_options_update(
            user=request.user, view_id=view_id, field_options=data["field_options"]
        )
        return Response({"field_options": options})


# Filters and filter groups.


class FiltersView(APIView):
    @extend_schema(
        tags=[FILTERS_TAG],
        operation_id="list_database_table_view_filters",
        responses={200: FilterSerializer(many=True), **error_responses(*VIEW_GATE)},
    )
    def get(self, request: Request, view_id: int) -> Response:
        items = filtering.filters_list(user=request.user, view_id=view_id)
        return Response([filter_json(item) for item in items])

    @extend_schema(
        tags=[FILTERS_TAG],
        operation_id="create_database_table_view_filter",
        request=FilterCreateSerializer,
        responses={
            200: FilterSerializer,
            **error_responses(*VIEW_GATE, *FILTER_ERRORS, errors.MaxViewFiltersExceeded),
        },
    )
    def post(self, request: Request, view_id: int) -> Response:
        data = validated_body(FilterCreateSerializer, request)
        item = view_actions.filter_create(user=request.user, view_id=view_id, **data)
        return Response(filter_json(item))


FILTER_GATE = (errors.ViewFilterDoesNotExist, UserNotInWorkspace)


class FilterView(APIView):
    @extend_schema(
        tags=[FILTERS_TAG],
        operation_id="get_database_table_view_filter",
        responses={200: FilterSerializer, **error_responses(*FILTER_GATE)},
    )
    def get(self, request: Request, filter_id: int) -> Response:
        return Response(
            filter_json(selectors.filter_get_for_user(user=request.user, filter_id=filter_id))
        )

    @extend_schema(
        tags=[FILTERS_TAG],
        operation_id="update_database_table_view_filter",
        request=FilterUpdateSerializer,
        responses={200: FilterSerializer, **error_responses(*FILTER_GATE, *FILTER_ERRORS)},
    )
    def patch(self, request: Request, filter_id: int) -> Response:
        require_some_change(request, FilterUpdateSerializer)
        data = validated_body(FilterUpdateSerializer, request, partial=True)
        item = view_actions.filter_update(user=request.user, filter_id=filter_id, **data)
        return Response(filter_json(item))

    @extend_schema(
        tags=[FILTERS_TAG],
        operation_id="delete_database_table_view_filter",
        responses={204: None, **error_responses(*FILTER_GATE)},
    )
    def delete(self, request: Request, filter_id: int) -> Response:
        view_actions.filter_delete(user=request.user, filter_id=filter_id)
        return Response(status=204)


class FilterGroupsView(APIView):
    @extend_schema(
        tags=[FILTERS_TAG],
        operation_id="create_database_table_view_filter_group",
        request=FilterGroupCreateSerializer,
        responses={
            200: FilterGroupSerializer,
            **error_responses(
                *VIEW_GATE,
                errors.ViewFilterNotSupported,
                errors.ViewFilterGroupDoesNotExist,
                errors.MaxViewFiltersExceeded,
            ),
        },
    )
    def post(self, request: Request, view_id: int) -> Response:
        data = validated_body(FilterGroupCreateSerializer, request)
        group = filtering.filter_group_create(user=request.user, view_id=view_id, **data)
        return Response(filter_group_json(group))


GROUP_GATE = (errors.ViewFilterGroupDoesNotExist, UserNotInWorkspace)


class FilterGroupView(APIView):
    @extend_schema(
        tags=[FILTERS_TAG],
        operation_id="get_database_table_view_filter_group",
        responses={200: FilterGroupSerializer, **error_responses(*GROUP_GATE)},
    )
    def get(self, request: Request, group_id: int) -> Response:
        group = selectors.filter_group_get_for_user(user=request.user, group_id=group_id)
        return Response(filter_group_json(group))

    @extend_schema(
        tags=[FILTERS_TAG],
        operation_id="update_database_table_view_filter_group",
        request=FilterGroupUpdateSerializer,
        responses={200: FilterGroupSerializer, **error_responses(*GROUP_GATE)},
    )
    def patch(self, request: Request, group_id: int) -> Response:
        data = validated_body(FilterGroupUpdateSerializer, request)
        group = filtering.filter_group_update(user=request.user, group_id=group_id, **data)
        return Response(filter_group_json(group))

    @extend_schema(
        tags=[FILTERS_TAG],
        operation_id="delete_database_table_view_filter_group",
        responses={204: None, **error_responses(*GROUP_GATE)},
    )
    def delete(self, request: Request, group_id: int) -> Response:
        filtering.filter_group_delete(user=request.user, group_id=group_id)
        return Response(status=204)
