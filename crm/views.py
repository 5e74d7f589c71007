"""The account's pages: sign-up, login and password reset (throttled), the web app manifest
and the service worker. The settings page composes every app's section, so it lives above
them all, in pages/settings.py."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods

from . import signin_links, throttle
from .forms import EmailLoginForm, SignupForm
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
            timezone=form.cleaned_data["timezone"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Advocate. Start by logging someone you met.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@cache_control(max_age=86400, public=True)
def manifest(request):
    """The web app manifest, so a student can add Advocate to a phone's home screen."""
    return JsonResponse(
        {
            "id": "/",
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
            # A long press on the home-screen icon: straight to the quick-log.
            "shortcuts": [
                {
                    "name": "Log someone",
                    "short_name": "Log",
                    "description": "Log someone you met, emailed or talked to",
                    "url": reverse("contacts:quick_log"),
                    "icons": [
                        {
                            "src": static("icons/icon-192.png"),
                            "sizes": "192x192",
                            "type": "image/png",
                        }
                    ],
                }
            ],
        },
        content_type="application/manifest+json",
    )


# What a phone needs to open Advocate with no connection; the pages are kept as they are seen.
SHELL_STATIC = [
    "vendor/pico.min.css",
    "css/app.css",
    "js/app.js",
    "icons/icon.svg",
    "icons/icon-192.png",
    "django_htmx/htmx-2.min.js",
    "django_htmx/django-htmx.js",
]


@never_cache
def service_worker(request):
    """The service worker, at the root so its scope is the whole site. Its version follows
    the static files' URLs (hashed in production), so a deploy replaces the cached shell."""
    shell_urls = [static(path) for path in SHELL_STATIC]
    offline_pages = [reverse("contacts:quick_log"), reverse("home")]
    version = hashlib.sha256("\n".join(shell_urls + offline_pages).encode()).hexdigest()[:12]
    body = render_to_string(
        "crm/service_worker.js",
        {"version": version, "shell_urls": shell_urls, "offline_pages": offline_pages},
    )
    return HttpResponse(body, content_type="text/javascript; charset=utf-8")


class ThrottledLoginView(auth_views.LoginView):
    """The login page, with a soft limit on failures per client address (crm.throttle's
    address: behind PROXY_COUNT proxies, the client's own). Past LOGIN_FAILURES_PER_ADDRESS
    failures in 15 minutes, nobody from there is refused: a right password emails a one-time
    sign-in link instead of signing in (crm.signin_links), and right or wrong the page says the
    same, so password spraying from there learns nothing and a student sharing that address
    (a campus NAT) still gets in. django-axes still pauses one account from one address after
    AXES_FAILURE_LIMIT failures (from that address only)."""

    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        limit = throttle.login_failures_per_address()
        if throttle.exceeded(limit, throttle.client_address(request)):
            return self.signin_by_link(request, limit)
        return super().post(request, *args, **kwargs)

    def signin_by_link(self, request, limit):
        form = self.get_form()
        if form.is_valid():
            signin_links.send_signin_link(request, form.get_user())
        else:
            throttle.hit(limit, throttle.client_address(request))
        return render(
            request,
            "registration/signin_link_sent.html",
            {"minutes": settings.SIGNIN_LINK_MAX_AGE_MINUTES},
            status=429,  # the same, right password or wrong
        )

    def form_invalid(self, form):
        throttle.hit(throttle.login_failures_per_address(), throttle.client_address(self.request))
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    """Signing out also tells the browser to drop its HTTP cache of this site; the service
    worker's page cache goes with the next page's session mark (crm.middleware)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache"'
        return response


@never_cache
@require_http_methods(["GET", "POST"])
def signin_link(request, token):
    """The emailed sign-in link: GET shows a button (mail scanners fetch every link), the POST
    signs in. Signing in changes the last login, so the link works once."""
    user = signin_links.user_for_token(token)
    if user is None:
        return render(request, "registration/signin_link.html", {"valid": False})
    if request.method == "POST":
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "registration/signin_link.html", {"valid": True, "account": user})


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Password resets, limited per client address and per email typed. The same words
    whether or not the address has an account, so the limit reveals nothing."""

    def form_valid(self, form):
        address = throttle.client_address(self.request)
        email = form.cleaned_data["email"]
        by_address = throttle.password_resets_per_address()
        by_account = throttle.password_resets_per_account()
        if throttle.exceeded(by_address, address) or throttle.exceeded(by_account, email):
            form.add_error(
                None,
                "We have already sent several reset links recently. Please check your inbox "
                "(and the spam folder) for the latest one, or try again in an hour.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        throttle.hit(by_address, address)
        throttle.hit(by_account, email)
        return super().form_valid(form)
