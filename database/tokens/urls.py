"""Routes under /api/database/tokens/."""

from django.urls import path

from database.tokens import views

app_name = "tokens"

urlpatterns = [
    path("", views.TokensView.as_view(), name="list"),
    path("check/", views.TokenCheckView.as_view(), name="check"),
    path("<int:token_id>/", views.TokenView.as_view(), name="item"),
]
