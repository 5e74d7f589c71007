"""URLs of the weekly email and the operator's status page (included by reminders.urls)."""

from django.urls import path

from reminders.email import views as digest_views

urlpatterns = [
    path("email/preview/", digest_views.digest_preview, name="digest_preview"),
    path("email/preview/email.html", digest_views.digest_preview_html, name="digest_preview_html"),
    path("email/preview/send/", digest_views.digest_preview_send, name="digest_preview_send"),
    path("email/settings/", digest_views.digest_settings, name="digest_settings"),
    path("email/a/<str:token>/", digest_views.digest_action, name="digest_action"),
    path(
        "email/unsubscribe/<str:token>/",
        digest_views.digest_unsubscribe,
        name="digest_unsubscribe",
    ),
    path("ops/status/", digest_views.ops_status, name="ops_status"),
]
