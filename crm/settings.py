"""Settings for Advocate, read from the environment (see .env.example).

With nothing set, Advocate runs on an embedded default: SQLite and Celery's filesystem broker
under ./var. DEBUG=false switches on production hardening and requires a real SECRET_KEY.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-" + "x" * 40)
else:
    # No default in production: failing loudly beats running with a guessable key.
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Unset, links in emails follow the port `make run` serves (ADVOCATE_PORT, from PORT).
SITE_URL = (
    env.str("SITE_URL", default="") or f"http://127.0.0.1:{env.int('ADVOCATE_PORT', default=8000)}"
).rstrip("/")
# The contacts import preview posts two choices per row for up to 5,000 rows
# (contacts.importers.MAX_ROWS); Django's default of 1,000 fields would refuse it.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2 * 5_000 + 100

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's own widget templates, for FORM_RENDERER
    "django_htmx",
    "axes",
    "crm",
    "contacts",
    "reminders",
    "advisors",
]

MIDDLEWARE = [
    # Operations (crm.logs, crm.healthz): a request id and one log line per request; /healthz
    # answered before any session, host check or HTTPS redirect.
    "crm.logs.RequestLogMiddleware",
    "crm.healthz.HealthzMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Private pages are never stored by a browser or proxy (crm.middleware says why).
    "crm.middleware.PrivatePagesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crm.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Advisors see students through the advisor pages only: never a student's own workspace.
    "crm.middleware.AdvisorAreaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"

# Every form field renders through templates/forms/field.html: Django's ids for the help text
# (`id_x_helptext`) and errors (`id_x_error`), which the input's aria-describedby names.
FORM_RENDERER = "crm.forms.FieldGroupRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # Staff see a warning on every page when the scheduler has stopped ticking.
                "reminders.email.health.scheduler_warning",
            ],
            # The one date style, `{{ value|day }}`, on every page without a {% load %}.
            "builtins": ["crm.templatetags.advocate_dates"],
        },
    },
]

# An empty variable (as copied from .env.example) means "use the embedded default".
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'advocate.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Production reuses each process's connection for a minute (a new connection per request
# doubled the load test's p95), checking it is alive before each request that reuses it.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "crm.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out client is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Login rate limit: 5 failures per email and client lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False
# The login form posts the email as "username"; lower-case it so "ADA@" and "ada@" share a count.
AXES_USERNAME_CALLABLE = "crm.security.login_attempt_username"
# Password spraying (one address trying many accounts) and reset-email floods (crm.throttle):
# failed logins per client address in 15 minutes; reset requests per address and per account
# (email typed, whether or not it has an account) in an hour.
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)
PASSWORD_RESETS_PER_ADDRESS = env.int("PASSWORD_RESETS_PER_ADDRESS", default=10)
PASSWORD_RESETS_PER_ACCOUNT = env.int("PASSWORD_RESETS_PER_ACCOUNT", default=3)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CACHES = {"default": env.cache_url_config(env.str("CACHE_URL", default="") or "locmemcache://")}

# Email: console in development, SMTP in production via EMAIL_URL (smtp+tls://user:pw@host:587).
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND",
        default="django.core.mail.backends.filebased.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend",
    )
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Advocate <advocate@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set, otherwise the filesystem broker under var/.
REDIS_URL = env.str("REDIS_URL", default="")
# The filesystem broker's folders (without REDIS_URL); `make bench` gives its workers their own.
CELERY_DATA_DIR = Path(env.str("CELERY_DATA_DIR", default=str(VAR_DIR / "celery")))
# A task is acknowledged only when it has finished (acks_late), so a worker killed mid-task
# (an OOM kill, a lost machine) leaves it unacknowledged in Redis; Redis hands it to another
# worker once the visibility timeout has passed. Kombu's default is an hour, with a sweep for
# such tasks about every 100 s: here 5 minutes and a sweep every 30 s, so a killed worker's
# chunk is redone within minutes. The timeout must exceed the longest task (a refresh chunk
# takes about a second; a digest chunk's claims keep a redelivered send from sending twice).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=300)
CELERY_RESTORE_INTERVAL = env.int("CELERY_RESTORE_INTERVAL", default=30)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "unacked_restore_interval": CELERY_RESTORE_INTERVAL,
        "unacked_restore_throttle": 1,  # every sweep scans (the default scans every 10th)
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        # Broadcasts (the worker's remote control): under var/ too, not ./control.
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
# A pool child that dies mid-task gives its task back at once (rather than marking it failed).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One task at a time per process: a killed worker strands one chunk, not a prefetched pile.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_DATA_DIR / "beat-schedule")

# Advisors (advisors.services, advisors.selectors): how long an invitation link works, and when a
# student needs the advisor's attention (a letter due this soon, no activity for this long).
ADVISOR_INVITATION_MAX_AGE_DAYS = env.int("ADVISOR_INVITATION_MAX_AGE_DAYS", default=14)
ADVISOR_LETTER_RISK_DAYS = env.int("ADVISOR_LETTER_RISK_DAYS", default=14)
ADVISOR_QUIET_DAYS = env.int("ADVISOR_QUIET_DAYS", default=30)

# The weekly email (reminders.email.delivery, reminders.email.links, reminders.email.health): how
# long its
# one-click links work, when a claimed-but-unsent email is retried (keep it far above the SMTP
# timeout), how many tries a week gets, and how long the scheduler may be silent.
DIGEST_LINK_MAX_AGE_DAYS = env.int("DIGEST_LINK_MAX_AGE_DAYS", default=14)
DIGEST_STALE_CLAIM_MINUTES = env.int("DIGEST_STALE_CLAIM_MINUTES", default=30)
DIGEST_MAX_ATTEMPTS = env.int("DIGEST_MAX_ATTEMPTS", default=3)
DIGEST_SMTP_TIMEOUT_SECONDS = env.int("DIGEST_SMTP_TIMEOUT_SECONDS", default=60)
DIGEST_LETTER_DAYS = env.int("DIGEST_LETTER_DAYS", default=30)
# A week's email is started up to this long after the chosen hour (a scheduler outage, a new
# account, the first deploy); later, that week is left out.
DIGEST_CATCH_UP_HOURS = env.int("DIGEST_CATCH_UP_HOURS", default=24)
DIGEST_CHUNK_SIZE = env.int("DIGEST_CHUNK_SIZE", default=100)
# A worker holding claimed emails stamps them every DIGEST_CLAIM_HEARTBEAT_SECONDS; when its
# task is redelivered (the worker died: CELERY_VISIBILITY_TIMEOUT), the redelivered task takes
# over the rows its own id claimed once their stamp is older than DIGEST_CLAIM_EXPIRY_SECONDS.
# The expiry must exceed one SMTP exchange plus a heartbeat, or a live worker could lose them.
DIGEST_CLAIM_HEARTBEAT_SECONDS = env.int("DIGEST_CLAIM_HEARTBEAT_SECONDS", default=20)
DIGEST_CLAIM_EXPIRY_SECONDS = env.int("DIGEST_CLAIM_EXPIRY_SECONDS", default=120)
HEALTH_TICK_MAX_AGE_MINUTES = env.int("HEALTH_TICK_MAX_AGE_MINUTES", default=120)
if DIGEST_STALE_CLAIM_MINUTES * 60 <= 2 * DIGEST_SMTP_TIMEOUT_SECONDS:
    raise environ.ImproperlyConfigured(
        "DIGEST_STALE_CLAIM_MINUTES must be well above DIGEST_SMTP_TIMEOUT_SECONDS: a claim must "
        "not go stale while its worker is still talking to the mail server."
    )
if DIGEST_CLAIM_EXPIRY_SECONDS <= DIGEST_SMTP_TIMEOUT_SECONDS + DIGEST_CLAIM_HEARTBEAT_SECONDS:
    raise environ.ImproperlyConfigured(
        "DIGEST_CLAIM_EXPIRY_SECONDS must exceed DIGEST_SMTP_TIMEOUT_SECONDS plus "
        "DIGEST_CLAIM_HEARTBEAT_SECONDS: a live worker's claim must not expire mid-send."
    )

# Product rules live in reminders.engine.conf; these overrides let an operator tune them.
ADVOCATE = env.json("ADVOCATE_SETTINGS", default={})

# Lines from the apps above the engine that the weekly email carries (reminders.email.notes):
# the advisors' open recommendations. Named here, where every app is known, so the engine never
# imports the apps above it.
ADVOCATE_NOTE_SOURCES = ["advisors.selectors.open_recommendation_notes"]

# --- Log by BCC (issue 22: inbound/) --------------------------------------------------------
# Each student's private address is log-<token>@INBOUND_DOMAIN. Mail reaches it through the
# SMTP server (`manage.py inbound_smtp`, self-hosting: MX record to this host) or through a
# hosted provider's inbound webhook at /inbound/<provider>/ (django-anymail; ANYMAIL holds its
# webhook secrets). Bodies and attachments are read in memory and never stored.
INSTALLED_APPS += ["anymail", "inbound"]
INBOUND_DOMAIN = env.str("INBOUND_DOMAIN", default="localhost").lower()
INBOUND_SMTP_PORT = env.int("INBOUND_SMTP_PORT", default=2525)
# Messages read at once (one database connection each).
INBOUND_SMTP_THREADS = env.int("INBOUND_SMTP_THREADS", default=4)
# Refused at MAIL FROM (the SIZE the client declares) before any of the body is read.
INBOUND_MAX_MESSAGE_BYTES = env.int("INBOUND_MAX_MESSAGE_BYTES", default=10 * 1024 * 1024)
# The SMTP path verifies the sender's DKIM signature itself; the webhooks trust the provider's.
INBOUND_REQUIRE_DKIM = env.bool("INBOUND_REQUIRE_DKIM", default=False)
# STARTTLS is offered when both are set (a certificate for the MX host name).
INBOUND_TLS_CERT = env.str("INBOUND_TLS_CERT", default="")
INBOUND_TLS_KEY = env.str("INBOUND_TLS_KEY", default="")
# Messages per hour to one student's address, and from one sender address (451 beyond them:
# the sending server retries later).
INBOUND_MESSAGES_PER_TOKEN_PER_HOUR = env.int("INBOUND_MESSAGES_PER_TOKEN_PER_HOUR", default=120)
INBOUND_MESSAGES_PER_SENDER_PER_HOUR = env.int("INBOUND_MESSAGES_PER_SENDER_PER_HOUR", default=120)
# Hours a link confirming another sender address works.
INBOUND_SENDER_CONFIRM_HOURS = env.int("INBOUND_SENDER_CONFIRM_HOURS", default=48)
ANYMAIL = {
    # "user:password" the provider sends with every webhook call (basic auth over HTTPS).
    "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default="") or None,
    "MAILGUN_WEBHOOK_SIGNING_KEY": env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default="") or None,
}
ANYMAIL = {name: value for name, value in ANYMAIL.items() if value}
# --- end of Log by BCC ------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Off only for a plain-http loopback run (make loadtest); never behind a real address.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)

# --- Operations: logs and error reporting (issue 20) -------------------------------------------
# One line per request and per task, each with its request id and user id (crm.logs); JSON with
# LOG_FORMAT=json. Errors go to Sentry when SENTRY_DSN is set, without personal data: no user
# details, cookies, request bodies or local variables (which may hold names and notes).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise environ.ImproperlyConfigured("LOG_FORMAT must be text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "crm.logs.ContextFilter"}},
    "formatters": {
        "text": {"()": "crm.logs.TextFormatter"},
        "json": {"()": "crm.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "crm.logs.StderrHandler",
            "filters": ["context"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # aiosmtpd (the inbound server, and the tests' SMTP sinks) says a line per connection
        # event at INFO: an operator needs its warnings, not its chatter.
        "mail.log": {"level": "WARNING"},
    },
}

SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Email identity: in production the sender and every Message-ID carry the public domain (from
# SITE_URL, or EMAIL_DOMAIN), the one SPF, DKIM and DMARC are set up for (README), never the
# container's host name. DEFAULT_FROM_EMAIL, when set, still wins.
EMAIL_DOMAIN = env.str("EMAIL_DOMAIN", default="") or (
    __import__("urllib.parse").parse.urlsplit(SITE_URL).hostname or "localhost"
)
if not DEBUG and not env.str("DEFAULT_FROM_EMAIL", default=""):
    DEFAULT_FROM_EMAIL = SERVER_EMAIL = f"Advocate <advocate@{EMAIL_DOMAIN}>"
# --- end of operations ---------------------------------------------------------------------------

# --- Resilience (issue 21): parts that are down, proxies, uploads ------------------------------
# Kept in one block. What a request does when Redis, the broker or a database connection is
# down is in crm/resilience.py; the client address behind proxies in crm/throttle.py.

# How many reverse proxies stand in front of the web processes (the TLS proxy the production
# section requires is one). 0: X-Forwarded-For is ignored and REMOTE_ADDR is the client; N: the
# client is the Nth address from the right of X-Forwarded-For. Both the login throttles and
# django-axes count by it. Set it to exactly the number of proxies that append to the header:
# one too many lets a client choose its own address.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "crm.throttle.axes_client_address"

# A Redis cache that does not answer must not hold a request for long: fail in a second and
# answer without it (crm.resilience). Sessions stay in the database (Django's default engine),
# and django-axes keeps its failures in the database (its default handler): neither uses the
# cache, so signing in works with Redis down.
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"].setdefault("OPTIONS", {})
    CACHES["default"]["OPTIONS"].setdefault("socket_connect_timeout", 1)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 1)
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# The broker: a request that publishes (crm.resilience.enqueue) must learn quickly that the
# broker is down (then the write stands and a beat sweep sends what was not enqueued).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS.setdefault("socket_connect_timeout", 2)
    CELERY_BROKER_TRANSPORT_OPTIONS.setdefault("socket_timeout", 5)
# The embedded filesystem broker's folders are made here, not only by `make`: a fresh checkout
# (or a deleted var/) would otherwise fail every publish until someone ran make.
if CELERY_BROKER_URL == "filesystem://":
    for _folder in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        Path(CELERY_BROKER_TRANSPORT_OPTIONS[_folder]).mkdir(parents=True, exist_ok=True)
# A task's retry waits at most this long (well inside the visibility timeout, or Redis would
# hand the waiting retry to a second worker); a longer wait is left to the task's beat sweep.
CELERY_MAX_RETRY_COUNTDOWN = CELERY_VISIBILITY_TIMEOUT // 3

# Contact-file uploads held between preview and confirm (contacts.importers.uploads): uploads
# per student in 10 minutes, and the bytes one student may hold (older uploads give way).
# Expired uploads are purged hourly by beat.
IMPORT_UPLOADS_PER_STUDENT = env.int("IMPORT_UPLOADS_PER_STUDENT", default=20)
IMPORT_UPLOAD_BYTES_PER_STUDENT = env.int(
    "IMPORT_UPLOAD_BYTES_PER_STUDENT", default=12 * 1024 * 1024
)

# When the failed logins from one address pass LOGIN_FAILURES_PER_ADDRESS, that address is not
# refused: a right password from there sends a one-time sign-in link to the account's email
# instead of signing in (crm.signin_links), for this many minutes.
SIGNIN_LINK_MAX_AGE_MINUTES = env.int("SIGNIN_LINK_MAX_AGE_MINUTES", default=15)
