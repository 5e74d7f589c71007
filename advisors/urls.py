"""Sharing with advisors, the advisor's pages and the student's own map (included from
crm/urls.py at the root, so the paths and names are the ones they always were)."""

from django.urls import path

from .views import advisor as advisor_views
from .views import sharing as sharing_views

urlpatterns = [
    # The advisor's pages
    path("advisor/", advisor_views.advisor_home, name="advisor_home"),
    path("advisor/cohort/", advisor_views.advisor_cohort, name="advisor_cohort"),
    path("advisor/cohort.csv", advisor_views.advisor_cohort_csv, name="advisor_cohort_csv"),
    path("advisor/cohort.xlsx", advisor_views.advisor_cohort_xlsx, name="advisor_cohort_xlsx"),
    path(
        "advisor/cohort/students/<int:student_id>/addressed/",
        advisor_views.advisor_flag_close,
        name="advisor_flag_close",
    ),
    path(
        "advisor/students/<int:student_id>/",
        advisor_views.advisor_student,
        name="advisor_student",
    ),
    path(
        "advisor/students/<int:student_id>/recommendations/",
        advisor_views.advisor_recommend,
        name="advisor_recommend",
    ),
    path(
        "advisor/students/<int:student_id>/recommendations/<int:pk>/delete/",
        advisor_views.advisor_recommendation_delete,
        name="advisor_recommendation_delete",
    ),
    # The link in the invitation email
    path(
        "advisor/invitations/<str:token>/",
        sharing_views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "advisor/invitations/<str:token>/signup/",
        sharing_views.invitation_signup,
        name="invitation_signup",
    ),
    # The student's sharing controls (a section of the settings page)
    path("settings/sharing/", sharing_views.sharing_page, name="sharing"),
    path("settings/sharing/invite/", sharing_views.sharing_invite, name="sharing_invite"),
    path("settings/sharing/<int:pk>/revoke/", sharing_views.sharing_revoke, name="sharing_revoke"),
    path("settings/sharing/<int:pk>/notes/", sharing_views.sharing_notes, name="sharing_notes"),
    path(
        "settings/sharing/invitations/<int:pk>/cancel/",
        sharing_views.invitation_cancel,
        name="invitation_cancel",
    ),
    # Recommendations, on the student's side
    path(
        "recommendations/<int:pk>/done/",
        sharing_views.recommendation_done,
        name="recommendation_done",
    ),
    # The student's own map
    path("map/", advisor_views.my_map, name="my_map"),
]
