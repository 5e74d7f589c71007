"""Installable on a phone: the manifest has an id and a "Log someone" shortcut, the home-screen
icon for iOS is opaque, and the service worker is served at the root for the whole site."""

import struct
from pathlib import Path

from django.urls import reverse

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_the_manifest_has_an_id_and_a_log_someone_shortcut(client, db):
    manifest = client.get(reverse("manifest")).json()
    assert manifest["id"] == "/"
    (shortcut,) = manifest["shortcuts"]
    assert (shortcut["name"], shortcut["url"]) == ("Log someone", reverse("contacts:quick_log"))


def test_the_apple_touch_icon_is_180_px_and_has_no_transparency():
    data = (STATIC / "icons" / "apple-touch-icon.png").read_bytes()
    width, height, _depth, colour_type = struct.unpack(">IIBB", data[16:26])
    assert (width, height) == (180, 180)
    assert colour_type == 2  # RGB, no alpha channel: iOS would paint transparent corners black


def test_the_service_worker_is_served_at_the_root_and_never_cached(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert '"/static/css/app.css"' in body and '"/log/"' in body


def test_the_service_worker_version_changes_with_the_static_files(client, db, settings):
    first = client.get("/sw.js").content
    settings.STATIC_URL = "/assets/"
    assert client.get("/sw.js").content != first
