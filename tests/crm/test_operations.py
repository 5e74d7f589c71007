"""Operations: /healthz, the request id, one log line per request and per task without
personal data, JSON logs, and Sentry off unless configured (and then without personal data)."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError

from crm import healthz, logs

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_answers_200_json_without_session_host_check_or_https_redirect(client, settings):
    settings.ALLOWED_HOSTS = ["advocate.example.edu"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    class Broken:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(healthz, "connection", Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_cache_fails(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(healthz.cache, "set", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}


@pytest.mark.django_db
def test_every_response_names_its_request_id_and_keeps_a_safe_incoming_one(client):
    fresh = client.get("/accounts/login/")["X-Request-ID"]
    assert len(fresh) == 32
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="abc-123.proxy")["X-Request-ID"] == (
        "abc-123.proxy"
    )
    for unsafe in ["<script>", "a b", "x" * 65, "ok\r\nSet-Cookie: a=b", ""]:
        answered = client.get("/accounts/login/", HTTP_X_REQUEST_ID=unsafe)["X-Request-ID"]
        assert answered != unsafe and len(answered) == 32


def test_safe_request_id():
    assert logs.safe_request_id("5f0c1e2a-aaaa-bbbb") == "5f0c1e2a-aaaa-bbbb"
    assert logs.safe_request_id("-starts-with-dash") != "-starts-with-dash"
    assert logs.safe_request_id(None)


def test_one_json_line_per_request_with_the_user_id_and_no_personal_data(
    student_client, student, caplog
):
    with caplog.at_level(logging.INFO, logger="advocate.request"):
        response = student_client.get("/", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 200
    lines = [r for r in caplog.records if r.name == "advocate.request"]
    assert len(lines) == 1
    data = json.loads(logs.JsonFormatter().format(lines[0]))
    assert data["request_id"] == "req-42"
    assert data["user_id"] == str(student.pk)
    assert data["level"] == "INFO" and data["logger"] == "advocate.request"
    assert data["method"] == "GET" and data["status"] == 200 and data["view"] == "home"
    assert {"time", "message", "duration_ms", "route"} <= set(data)
    line = json.dumps(data)
    assert student.email not in line and "Ada" not in line


@pytest.mark.django_db
def test_the_log_line_names_the_route_not_the_path(client, caplog):
    with caplog.at_level(logging.INFO, logger="advocate.request"):
        client.get("/accounts/reset/MQ/some-secret-token/")
    (line,) = [r for r in caplog.records if r.name == "advocate.request"]
    assert "some-secret-token" not in logs.JsonFormatter().format(line)
    assert "some-secret-token" not in logs.TextFormatter().format(line)


def test_every_line_during_a_request_carries_its_ids():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    token = logs.request_id_var.set("rid-1")
    try:
        logs.ContextFilter().filter(record)
    finally:
        logs.request_id_var.reset(token)
    assert record.request_id == "rid-1" and record.user_id == "-"
    assert "[rid-1 user=-] hello" in logs.TextFormatter().format(record)


def test_one_line_per_task_with_the_task_id_as_its_request_id(caplog):
    from crm.celery import app

    seen = {}

    @app.task(name="tests.operations.ping")
    def ping():
        seen["request_id"] = logs.request_id_var.get()
        return "pong"

    with caplog.at_level(logging.INFO, logger="advocate.task"):
        result = ping.apply()
    (line,) = [r for r in caplog.records if r.name == "advocate.task"]
    data = json.loads(logs.JsonFormatter().format(line))
    assert data["task"] == "tests.operations.ping" and data["state"] == "SUCCESS"
    assert data["task_id"] == result.id == seen["request_id"] == data["request_id"]


def _settings_in_subprocess(code: str, **env) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SENTRY_", "LOG_FORMAT"))}
    script = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'crm.settings'; "
        "django.setup(); " + code
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def test_sentry_is_off_by_default_and_sends_no_personal_data_when_on():
    code = (
        "import sentry_sdk; c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options.get('send_default_pii'), "
        "c.options.get('include_local_variables'), c.options.get('max_request_body_size'))"
    )
    assert _settings_in_subprocess(code).startswith("False")
    on = _settings_in_subprocess(code, SENTRY_DSN="https://public@sentry.invalid/1")
    assert on == "True False False never"


def test_log_format_json_writes_json_lines():
    code = (
        "import logging; logging.getLogger('advocate.request').info('hello', extra={'status': 200})"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'crm.settings'; "
            "django.setup(); " + code,
        ],
        cwd=ROOT,
        env={**os.environ, "LOG_FORMAT": "json"},
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stderr.strip().splitlines()[-1])
    assert data["message"] == "hello" and data["status"] == 200 and data["level"] == "INFO"


def test_in_production_the_sender_and_message_ids_carry_the_site_domain():
    code = (
        "from django.conf import settings; from django.core.mail import EmailMessage; "
        "m = EmailMessage('s', 'b', to=['a@b.c']).message(); "
        "print(settings.DEFAULT_FROM_EMAIL, '|', m['Message-ID'])"
    )
    env = {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "SITE_URL": "https://advocate.example.edu",
        "DEFAULT_FROM_EMAIL": "",
    }
    sender, message_id = _settings_in_subprocess(code, **env).split(" | ")
    assert sender == "Advocate <advocate@advocate.example.edu>"
    assert message_id.endswith("@advocate.example.edu>")
