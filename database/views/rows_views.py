"""HTTP endpoints reading rows through views: grid rows, and the public views by slug."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from api.exceptions import RequestBodyValidationError
from api.pagination import MAX_PAGE, PageSizeLimit, page_from_query, paginate
from api.schema import error_responses
from api.validation import validated_body
from database import table_models
from database.fields.errors import FieldNotInTable
from database.rows import errors as row_errors
from database.rows.params import table_fields, without_nul
from database.rows.selectors import RowQuery, rows_list
from database.rows.serializers import PageOfRowsSerializer, RowSerializer
from database.rows.values import rows_queryset, rows_to_json
from database.views import errors, public
from database.views.registry import view_types
from database.views.selectors import (
    ViewRows,
    grid_aggregation,
    grid_aggregations,
    grid_view_get_for_user,
    view_rows,
)
from database.views.serializers import (
    GridRowsByIdSerializer,
    PublicAuthResponseSerializer,
    PublicAuthSerializer,
    PublicInfoSerializer,
    public_field_json,
    public_view_json,
)
from database.views.services import field_options_json
from workspaces.errors import UserNotInWorkspace

GRID_TAG = "Database table grid view"
PUBLIC_TAG = "Database table views"
GRID_GATE = (errors.GridViewDoesNotExist, UserNotInWorkspace)
ROW_QUERY_ERRORS = (
    row_errors.OrderByFieldNotFound,
    row_errors.OrderByFieldNotPossible,
    errors.FilterFieldNotFound,
    errors.ViewFilterTypeDoesNotExist,
    errors.ViewFilterTypeUnsupportedField,
    errors.FiltersParamValidationError,
)
AGGREGATION_ERRORS = (
    FieldNotInTable,
    errors.AggregationTypeDoesNotExist,
    errors.AggregationTypeUnsupportedField,
)
PUBLIC_GATE = (errors.ViewDoesNotExist, errors.NoAuthorizationToPubliclySharedView)
# Page pagination of grid views has no size limit (07); this only keeps offsets in SQL's range.
NO_SIZE_LIMIT = 2**31 - 1
ROW_PARAMETERS = [
    OpenApiParameter("limit", int, description="Limit/offset pagination when present."),
    OpenApiParameter("offset", int),
    OpenApiParameter("page", int),
    OpenApiParameter("size", int),
    OpenApiParameter("search", str),
    OpenApiParameter("order_by", str, description="Overrides the view's sorts."),
    OpenApiParameter("filters", str, description="Extra filters, ANDed with the view's."),
    OpenApiParameter("include_fields", str),
    OpenApiParameter("exclude_fields", str),
    OpenApiParameter("count", bool, description='Return only `{"count": N}`.'),
    OpenApiParameter("exclude_count", bool),
]


def _natural(text: str | None, default: int) -> int:
    if text is None or not text.isdigit() or len(text) > 12:
        return default
    return int(text)


def _page_of_rows(
    request: Request, queryset: QuerySet, count: Callable[[], int]
) -> tuple[list, dict[str, Any]]:
    """Limit/offset pagination when `limit` is given, else page/size (no size limit)."""
    params = request.query_params
    with_count = "exclude_count" not in params
    if "limit" not in params:
        page = page_from_query(request, max_size=NO_SIZE_LIMIT)
        return paginate(request, queryset, page, with_count=with_count, counter=count)
    limit = max(_natural(params.get("limit"), 100), 1)
    offset = min(_natural(params.get("offset"), 0), MAX_PAGE)
    rows = list(queryset[offset : offset + limit])
    if not with_count:
        return rows, {}
    total = count()
    url = request.build_absolute_uri()
    after = replace_query_param(url, "offset", offset + limit)
    before = replace_query_param(url, "offset", max(offset - limit, 0))
    return rows, {
        "count": total,
        "next": after if offset + limit < total else None,
        "previous": (remove_query_param(url, "offset") if offset <= limit else before)
        if offset > 0
        else None,
    }


def _grid_rows(
    request: Request,
    view,
    queryset: QuerySet,
    fields: list,
    option_fields: list,
    *,
    public: bool,
    count: Callable[[], int] | None = None,
) -> dict[str, Any]:
    """A grid view's page of rows (or only `count`), with the `include`d extras.

    `count` counts the rows (by default `queryset.count()`).
    """
    count = count or queryset.count
    if "count" in request.query_params:
        return {"count": count()}
    rows, envelope = _page_of_rows(request, queryset, count)
    data = {**envelope, "results": rows_to_json(rows, fields)}
    include = {part.strip() for part in request.query_params.get("include", "").split(",")}
    if "field_options" in include:
        data["field_options"] = field_options_json(view, option_fields)
    if "row_metadata" in include and not public:
        data["row_metadata"] = {}
    return data


def _row_query(request: Request, view) -> RowQuery:
    params = request.query_params
    return RowQuery(
        search=without_nul(params.get("search")) or None,
        order_by=params.get("order_by"),
        include=params.get("include_fields"),
        exclude=params.get("exclude_fields"),
        filter_params=params,
        view=ViewRows(view),
    )


class GridViewRowsView(APIView):
    @extend_schema(
        tags=[GRID_TAG],
        operation_id="list_database_table_grid_view_rows",
        parameters=[
            *ROW_PARAMETERS,
            OpenApiParameter("include", str, description="`field_options`, `row_metadata`."),
        ],
        responses={200: PageOfRowsSerializer, **error_responses(*GRID_GATE, *ROW_QUERY_ERRORS)},
    )
    def get(self, request: Request, view_id: int) -> Response:
        view = grid_view_get_for_user(user=request.user, view_id=view_id)
        listing = rows_list(table=view.table, query=_row_query(request, view))
        queryset, fields = listing.queryset, listing.fields
        all_fields = table_fields(queryset.model)
        return Response(
            _grid_rows(
                request, view, queryset, fields, all_fields, public=False, count=listing.counter
            )
        )

    @extend_schema(
        tags=[GRID_TAG],
        operation_id="filter_database_table_grid_view_rows",
        request=GridRowsByIdSerializer,
        responses={200: RowSerializer(many=True), **error_responses(*GRID_GATE)},
    )
    def post(self, request: Request, view_id: int) -> Response:
        data = validated_body(GridRowsByIdSerializer, request)
        view = grid_view_get_for_user(user=request.user, view_id=view_id)
        model = table_models.get_model(view.table)
        fields = table_fields(model)
        if "field_ids" in data:
            fields = [field for field in fields if field.id in set(data["field_ids"])]
        queryset = rows_queryset(model, fields).filter(id__in=data["row_ids"])
        rows = view_rows(view=view, model=model, queryset=queryset)
        return Response(rows_to_json(rows, fields))


class GridAggregationView(APIView):
    @extend_schema(
        tags=[GRID_TAG],
        operation_id="get_database_table_grid_view_field_aggregation",
        parameters=[OpenApiParameter("type", str, description="The aggregation type.")],
        responses={200: dict, **error_responses(*GRID_GATE, *AGGREGATION_ERRORS)},
    )
    def get(self, request: Request, view_id: int, field_id: int) -> Response:
        value = grid_aggregation(
            user=request.user,
            view_id=view_id,
            field_id=field_id,
            type_name=request.query_params.get("type", ""),
        )
        return Response({"value": value})


class GridAggregationsView(APIView):
    @extend_schema(
        tags=[GRID_TAG],
        operation_id="get_database_table_grid_view_field_aggregations",
        responses={200: dict, **error_responses(*GRID_GATE, *AGGREGATION_ERRORS)},
    )
    def get(self, request: Request, view_id: int) -> Response:
        return Response(grid_aggregations(user=request.user, view_id=view_id))


# Public views.


def _view_token(request: Request) -> str | None:
    """The token of `Baserow-View-Authorization: JWT <token>`, if sent."""
    header = request.META.get("HTTP_BASEROW_VIEW_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.upper() == "JWT" and token.strip() else None


class PublicAPIView(APIView):
    """No user: a public view is reached by its slug (and a view token when it has a password)."""

    authentication_classes: tuple = ()
    permission_classes = (AllowAny,)


class PublicViewInfoView(PublicAPIView):
    @extend_schema(
        tags=[PUBLIC_TAG],
        operation_id="get_public_view_info",
        responses={200: PublicInfoSerializer, **error_responses(*PUBLIC_GATE)},
    )
    def get(self, request: Request, slug: str) -> Response:
        view = public.public_view_for(slug=slug, token=_view_token(request))
        fields = public.public_fields(view)
        return Response(
            {
                "fields": [public_field_json(field) for field in fields],
                "view": public_view_json(view, fields),
            }
        )


class PublicViewAuthView(PublicAPIView):
    @extend_schema(
        tags=[PUBLIC_TAG],
        operation_id="public_view_auth",
        request=PublicAuthSerializer,
        responses={200: PublicAuthResponseSerializer, **error_responses(*PUBLIC_GATE)},
    )
    def post(self, request: Request, slug: str) -> Response:
        password = validated_body(PublicAuthSerializer, request)["password"]
        token = public.public_view_authenticate(slug=slug, password=password)
        return Response({"access_token": token})


class PublicGridRowsView(PublicAPIView):
    @extend_schema(
        tags=[GRID_TAG],
        operation_id="public_list_database_table_grid_view_rows",
        parameters=ROW_PARAMETERS,
        responses={
            200: PageOfRowsSerializer,
            **error_responses(*PUBLIC_GATE, *ROW_QUERY_ERRORS, PageSizeLimit),
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        view = public.public_view_for(slug=slug, token=_view_token(request), type="grid")
        queryset, fields = public.public_grid_rows(view=view, query_params=request.query_params)
        return Response(_grid_rows(request, view, queryset, fields, fields, public=True))


FORM_GATE = (errors.FormViewDoesNotExist, errors.NoAuthorizationToPubliclySharedView)


def public_form_field_json(field, options) -> dict[str, Any]:
    """A form's field as its visitors see it, with the conditions that show it."""
    shown = public_field_json(field)
    if not options.include_all_select_options and "select_options" in shown:
        allowed = set(options.allowed_select_options)
        shown["select_options"] = [o for o in shown["select_options"] if o["id"] in allowed]
    return {
        "name": options.name or field.name,
        "description": options.description,
        "required": options.required,
        "order": options.order,
        "field": shown,
        "show_when_matching_conditions": options.show_when_matching_conditions,
        "condition_type": options.condition_type,
        "conditions": options.conditions,
        "condition_groups": options.condition_groups,
        "groups": options.condition_groups,
        "field_component": options.field_component,
    }


class PublicFormView(PublicAPIView):
    @extend_schema(
        tags=["Database table form view"],
        operation_id="get_meta_database_table_form_view",
        responses={200: dict, **error_responses(*FORM_GATE)},
    )
    def get(self, request: Request, slug: str) -> Response:
        view = public.public_view_for(slug=slug, token=_view_token(request), type="form")
        options = view_types.get(view.type).response_options(view)
        return Response(
            {
                "title": options["title"],
                "description": options["description"],
                "mode": options["mode"],
                "cover_image": options["cover_image"],
                "logo_image": options["logo_image"],
                "submit_text": options["submit_text"],
                "show_logo": view.show_logo,
                "allow_public_export": view.allow_public_export,
                "fields": [
                    public_form_field_json(field, field_options)
                    for field, field_options in public.form_fields(view)
                ],
            }
        )

    @extend_schema(
        tags=["Database table form view"],
        operation_id="submit_database_table_form_view",
        request=dict,
        responses={200: dict, **error_responses(*FORM_GATE)},
    )
    def post(self, request: Request, slug: str) -> Response:
        view = public.public_view_for(slug=slug, token=_view_token(request), type="form")
        values = body_object(request)
        row_id = public.form_submit(view=view, values=values)
        options = view.options
        return Response(
            {
                "row_id": row_id,
                "submit_action": options.get("submit_action", "MESSAGE"),
                "submit_action_message": options.get("submit_action_message", ""),
                "submit_action_redirect_url": options.get("submit_action_redirect_url", ""),
            }
        )


def body_object(request: Request) -> dict:
    if not isinstance(request.data, dict):
        expected = {"error": "Invalid data. Expected a dictionary.", "code": "invalid"}
        raise RequestBodyValidationError({"non_field_errors": [expected]})
    return dict(request.data)
