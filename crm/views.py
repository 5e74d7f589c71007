import copy

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from reminders.selectors import student_calendar

from . import services
from .forms import CycleCalendarForm, ProfileForm, SignupForm
from .models import User


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.create_user(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            name=form.cleaned_data["name"],
            match_year=form.cleaned_data["match_year"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Advocate. Start by logging someone you met.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    # A copy, so a refused form leaves request.user (the header, the other sections) as it was.
    form = ProfileForm(request.POST or None, instance=copy.copy(request.user))
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Profile saved.")
        return redirect("settings")
    return render(request, "crm/settings.html", {"form": form})


@login_required
@require_POST
def calendar_update(request):
    """The student's own dates for this Match year (the defaults where left alone)."""
    if not request.user.match_year:
        messages.error(request, "Set your Match year first.")
        return redirect("settings")
    form = CycleCalendarForm(request.POST, calendar=student_calendar(request.user))
    if form.is_valid():
        services.cycle_dates_update(user=request.user, dates=form.cleaned_data)
        messages.success(request, "Calendar saved. Your nudges follow these dates from now on.")
        return redirect("settings")
    context = {"form": ProfileForm(instance=request.user), "calendar_form": form}
    return render(request, "crm/settings.html", context, status=400)


@cache_control(max_age=86400, public=True)
def manifest(request):
    """The web app manifest, so a student can add Advocate to a phone's home screen."""
    return JsonResponse(
        {
            "name": "Advocate",
            "short_name": "Advocate",
            "description": "Keep the few people who know your work close.",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1f5f8b",
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
                {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        },
        content_type="application/manifest+json",
    )
