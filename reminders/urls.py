from django.urls import include, path

from reminders.calendar import views as calendar_views
from reminders.match_week import views as match_week_views
from reminders.nudges import views

app_name = "reminders"
urlpatterns = [
    path("nudges/<int:pk>/done/", views.nudge_done, name="nudge_done"),
    path("nudges/<int:pk>/snooze/", views.nudge_snooze, name="nudge_snooze"),
    path("nudges/<int:pk>/dismiss/", views.nudge_dismiss, name="nudge_dismiss"),
    path("match-week/", match_week_views.match_week, name="match_week"),
    path("match-week/story/", match_week_views.match_week_story, name="match_week_story"),
    path("match-week/callers/", match_week_views.match_week_callers, name="match_week_callers"),
    path("match-week/outcome/", match_week_views.match_week_outcome, name="match_week_outcome"),
    path("match-week/note/", match_week_views.match_week_note, name="match_week_note"),
    path("match-week/matched/", match_week_views.match_week_matched, name="match_week_matched"),
    path(
        "match-week/contacted/",
        match_week_views.match_week_contacted,
        name="match_week_contacted",
    ),
    path("", include("reminders.email.urls")),
    # The private calendar feed: the token is the credential (no session, read only).
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path(
        "settings/calendar-feed/regenerate/",
        calendar_views.calendar_feed_regenerate,
        name="calendar_feed_regenerate",
    ),
]
