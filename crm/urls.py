from django.contrib import admin
from django.urls import include, path

from contacts.views.home import home

from . import advisor_views, views

urlpatterns = [
    path("", home, name="home"),
    path("", include("contacts.urls")),
    path("", include("reminders.urls")),
    path("accounts/", include("crm.account_urls")),
    path("settings/", views.settings_page, name="settings"),
    path("settings/calendar/", views.calendar_update, name="calendar_update"),
    path("", include("crm.advisor_urls")),
    path("map/", advisor_views.my_map, name="my_map"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("admin/", admin.site.urls),
]
