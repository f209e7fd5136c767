"""Sign-in, sign-out, passwords and the account page (unnamespaced: Django's auth views
reverse their own names, e.g. "password_reset_done")."""

from django.contrib.auth import views as auth_views
from django.urls import path

from search.accounts import views

urlpatterns = [
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", views.account_page, name="account"),
    path("tokens/new/", views.api_token_new, name="api-token-new"),
    path("tokens/<int:token_id>/revoke/", views.api_token_delete, name="api-token-revoke"),
    path("feed-token/revoke/", views.feed_token_delete, name="feed-token-revoke"),
]
