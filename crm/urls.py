"""The root URLconf: the composition root, so it names every app."""

from django.contrib import admin
from django.urls import include, path

from pages import home, settings

from . import views

urlpatterns = [
    path("", home.home, name="home"),
    path("", include("contacts.urls")),
    path("", include("reminders.urls")),
    path("accounts/", include("crm.account_urls")),
    path("settings/", settings.settings_menu, name="settings"),
    path("settings/calendar/", settings.calendar_update, name="calendar_update"),
    path("settings/data/import/", settings.data_import, name="data_import"),
    path("settings/<slug:slug>/", settings.settings_section, name="settings_section"),
    path("", include("advisors.urls")),
    path("", include("inbound.urls")),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("admin/", admin.site.urls),
]
