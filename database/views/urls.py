"""Routes under /api/database/views/."""

from django.urls import path

from database.views import rows_views, sort_views, views

app_name = "views"

urlpatterns = [
    path("table/<int:table_id>/", views.ViewsView.as_view(), name="list"),
    path("table/<int:table_id>/order/", views.ViewsOrderView.as_view(), name="order"),
    path("<int:view_id>/", views.ViewView.as_view(), name="item"),
    path("<int:view_id>/duplicate/", views.ViewDuplicateView.as_view(), name="duplicate"),
    path("<int:view_id>/rotate-slug/", views.ViewRotateSlugView.as_view(), name="rotate_slug"),
    path("<int:view_id>/field-options/", views.FieldOptionsView.as_view(), name="field_options"),
    path("<int:view_id>/filters/", views.FiltersView.as_view(), name="filters"),
    path("filter/<int:filter_id>/", views.FilterView.as_view(), name="filter"),
    path("<int:view_id>/filter-groups/", views.FilterGroupsView.as_view(), name="filter_groups"),
    path("filter-group/<int:group_id>/", views.FilterGroupView.as_view(), name="filter_group"),
    path("<int:view_id>/sortings/", sort_views.SortsView.as_view(), name="sortings"),
    path("sort/<int:sort_id>/", sort_views.SortView.as_view(), name="sort"),
    path("<int:view_id>/group_bys/", sort_views.GroupBysView.as_view(), name="group_bys"),
    path("group_by/<int:group_by_id>/", sort_views.GroupByView.as_view(), name="group_by"),
    path("grid/<int:view_id>/", rows_views.GridViewRowsView.as_view(), name="grid"),
    path(
        "grid/<int:view_id>/aggregation/<int:field_id>/",
        rows_views.GridAggregationView.as_view(),
        name="grid_aggregation",
    ),
    path(
        "grid/<int:view_id>/aggregations/",
        rows_views.GridAggregationsView.as_view(),
        name="grid_aggregations",
    ),
    path(
        "grid/<slug:slug>/public/rows/",
        rows_views.PublicGridRowsView.as_view(),
        name="public_grid_rows",
    ),
    path("form/<slug:slug>/submit/", rows_views.PublicFormView.as_view(), name="form_submit"),
    path("<slug:slug>/public/info/", rows_views.PublicViewInfoView.as_view(), name="public_info"),
    path("<slug:slug>/public/auth/", rows_views.PublicViewAuthView.as_view(), name="public_auth"),
]
