from django.urls import path

from actions.views import RedoView, UndoView
from users import views
from workspaces.views import DashboardView

app_name = "user"

urlpatterns = [
    path("", views.SignupView.as_view(), name="index"),
    path("token-auth/", views.TokenAuthView.as_view(), name="token_auth"),
    path("token-refresh/", views.TokenRefreshView.as_view(), name="token_refresh"),
    path("token-verify/", views.TokenVerifyView.as_view(), name="token_verify"),
    path("token-blacklist/", views.TokenBlacklistView.as_view(), name="token_blacklist"),
    path("account/", views.AccountView.as_view(), name="account"),
    path("change-password/", views.ChangePasswordView.as_view(), name="change_password"),
    path(
        "send-reset-password-email/",
        views.SendResetPasswordEmailView.as_view(),
        name="send_reset_password_email",
    ),
    path("reset-password/", views.ResetPasswordView.as_view(), name="reset_password"),
    path("undo/", UndoView.as_view(), name="undo"),
    path("redo/", RedoView.as_view(), name="redo"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path(
        "schedule-account-deletion/",
        views.ScheduleAccountDeletionView.as_view(),
        name="schedule_account_deletion",
    ),
]
