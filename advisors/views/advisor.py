"""The advisor's pages (their students, one student's map, recommendations) and the student's
own map. Every advisor page finds its student through student_for_advisor, which checks for
live access on each request: revoking takes effect at once."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crm.roles import advisor_required, student_required

from .. import exports, services
from ..forms import ClassFilterForm, FlagCloseForm, RecommendationForm, StudentSearchForm
from ..map import initials
from ..selectors import (
    advisor_students,
    class_reason,
    class_view,
    recommendation_for_advisor,
    recommendations_for_student,
    shared_red_flags,
    soap_for_advisor,
    student_for_advisor,
    student_review,
)


@advisor_required
@require_GET
def advisor_home(request):
    search_form = StudentSearchForm(request.GET)
    search = search_form.search()
    summaries = advisor_students(request.user, request.user.local_today(), search=search)
    context = {
        "summaries": summaries,
        "search": search,
        "search_form": search_form,
        "attention_count": sum(summary.needs_attention for summary in summaries),
    }
    return render(request, "advisors/advisor_home.html", context)


def _student_page(request, student, form, status=200):
    today = student.local_today()
    review = student_review(
        student,
        today,
        show_notes=student.shares_notes,
        centre_label=initials(student.get_full_name()),
    )
    context = {
        "student": student,
        "review": review,
        "soap": soap_for_advisor(student, today),
        # Only what the student shared with their advisor; never in an email, nor elsewhere.
        "red_flags": shared_red_flags(student),
        "form": form,
    }
    return render(request, "advisors/advisor_student.html", context, status=status)


@advisor_required
@require_GET
def advisor_student(request, student_id):
    student = student_for_advisor(request.user, student_id)
    return _student_page(request, student, RecommendationForm())


@advisor_required
@require_POST
def advisor_recommend(request, student_id):
    student = student_for_advisor(request.user, student_id)
    form = RecommendationForm(request.POST)
    if not form.is_valid():
        return _student_page(request, student, form, status=400)
    services.recommendation_create(
        student=student, advisor=request.user, text=form.cleaned_data["text"]
    )
    messages.success(request, f"Recommendation saved. {student} will see it this week.")
    return redirect(reverse("advisor_student", args=[student.pk]) + "#recommendations")


@advisor_required
@require_POST
def advisor_recommendation_delete(request, student_id, pk):
    student = student_for_advisor(request.user, student_id)
    recommendation = recommendation_for_advisor(request.user, student, pk)
    services.recommendation_delete(recommendation=recommendation)
    messages.success(request, "Recommendation withdrawn.")
    return redirect(reverse("advisor_student", args=[student.pk]) + "#recommendations")


def _class(request):
    return class_view(
        request.user, request.user.local_today(), **ClassFilterForm(request.GET).filters()
    )


@advisor_required
@require_GET
def advisor_cohort(request):
    view = _class(request)
    # Two URL prefixes reversed once, not once per student (a class of 300 has 300 rows).
    context = {
        "view": view,
        "query": request.GET.urlencode(),
        "student_prefix": reverse("advisor_student", args=[0]).removesuffix("0/"),
        "close_prefix": reverse("advisor_flag_close", args=[0]).removesuffix("0/addressed/"),
    }
    return render(request, "advisors/advisor_cohort.html", context)


def _download(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@advisor_required
@require_GET
def advisor_cohort_csv(request):
    view = _class(request)
    return _download(exports.as_csv(view), "text/csv; charset=utf-8", f"class-{view.year}.csv")


@advisor_required
@require_GET
def advisor_cohort_xlsx(request):
    view = _class(request)
    return _download(
        exports.as_xlsx(view),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"class-{view.year}.xlsx",
    )


@advisor_required
@require_POST
def advisor_flag_close(request, student_id):
    student = student_for_advisor(request.user, student_id)
    form = FlagCloseForm(request.POST)
    back = reverse("advisor_cohort") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if not form.is_valid():
        messages.error(request, "Write one line on what you did, then mark it addressed.")
        return redirect(back)
    reason = class_reason(student, request.user.local_today(), form.cleaned_data["reason"])
    if reason is None:
        raise Http404("That reason no longer applies")
    services.flag_close(
        student=student,
        advisor=request.user,
        reason=reason.code,
        cause=reason.cause,
        note=form.cleaned_data["note"],
    )
    messages.success(request, f"Marked addressed. {student} will see your note.")
    return redirect(back)


@student_required
@require_GET
def my_map(request):
    review = student_review(request.user, request.user.local_today(), show_notes=True)
    context = {
        "review": review,
        "recommendations": recommendations_for_student(request.user),
    }
    return render(request, "advisors/map_mine.html", context)
