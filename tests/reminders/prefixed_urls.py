"""The whole site under /prefixed/: test_digest_links checks a link's path follows the URL
configuration."""

from django.urls import include, path

urlpatterns = [path("prefixed/", include("crm.urls"))]
