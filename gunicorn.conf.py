"""gunicorn's settings, read from the environment (gunicorn loads this file from the working
directory). Defaults suit a small server: 2 workers per core is gunicorn's advice, and the
requests here are short, so a 30 s timeout only ever ends a stuck one."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker restarts after this many requests (with jitter), so a slow leak never grows.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Off by default: the app writes one line per request itself, with its request id and user id
# (crm.logs); GUNICORN_ACCESS_LOG=- adds gunicorn's own (with the client address).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
