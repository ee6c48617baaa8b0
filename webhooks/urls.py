from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("table/<int:table_id>/", views.TableWebhooksView.as_view(), name="list"),
    path("table/<int:table_id>/test-call/", views.WebhookTestCallView.as_view(), name="test_call"),
    path("<int:webhook_id>/", views.WebhookView.as_view(), name="item"),
]
