from django.urls import path

from . import views, webhooks

app_name = "inbound"
urlpatterns = [
    path("inbound/<str:provider>/", webhooks.provider_webhook, name="webhook"),
    path("settings/log-by-bcc/new/", views.address_regenerate, name="address_regenerate"),
    path("settings/log-by-bcc/senders/", views.sender_add, name="sender_add"),
    path("settings/log-by-bcc/senders/<int:pk>/remove/", views.sender_remove, name="sender_remove"),
    path("settings/log-by-bcc/confirm/<str:token>/", views.sender_confirm, name="sender_confirm"),
    path("emailed/<int:pk>/add/", views.stranger_add, name="stranger_add"),
    path("emailed/<int:pk>/ignore/", views.stranger_ignore, name="stranger_ignore"),
]
