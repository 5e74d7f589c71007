from django.urls import include, path

from . import views

app_name = "reminders"
urlpatterns = [
    path("nudges/<int:pk>/done/", views.nudge_done, name="nudge_done"),
    path("nudges/<int:pk>/snooze/", views.nudge_snooze, name="nudge_snooze"),
    path("nudges/<int:pk>/dismiss/", views.nudge_dismiss, name="nudge_dismiss"),
    path("", include("reminders.digest_urls")),
]
