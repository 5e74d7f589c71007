import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, AdvisorFactory, UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached standings must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_stray_soap_emails(monkeypatch):
    """Recording "did not match" enqueues the SOAP email on commit: in tests nothing reaches
    the broker unless a test runs it (tests/reminders/test_soap_alert.py)."""
    from reminders import tasks

    monkeypatch.setattr(tasks.send_soap_plan, "delay", lambda *args, **kwargs: None)


@pytest.fixture(autouse=True)
def _refresh_worker_inline(request, monkeypatch):
    """A refresh left to a worker (reminders.tasks.refresh_student_soon, and the calendar
    feed's look_ahead_soon) runs at once, in the test's own thread, as a worker would once the
    change commits: pages read as a student reads them a moment later. Tests of the worker's
    own timing mark themselves `refresh_worker_idle` and see what a page shows before it has
    run."""
    from reminders import tasks

    for task in (tasks.refresh_student, tasks.look_ahead):
        if request.node.get_closest_marker("refresh_worker_idle"):
            monkeypatch.setattr(task, "delay", lambda *args, **kwargs: None)
        else:
            monkeypatch.setattr(task, "delay", task)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """A fast hasher: the real one costs ~0.2 s a password, on every factory-made user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def student(db):
    return UserFactory(email="ada@example.edu", name="Ada Student")


@pytest.fixture
def other_student(db):
    return UserFactory(email="grace@example.edu", name="Grace Other")


@pytest.fixture
def advisor(db):
    return AdvisorFactory(email="advisor@example.edu", name="Dr. Advisor")


@pytest.fixture
def student_client(client, student):
    """A test client signed in as `student`."""
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def advisor_client(advisor):
    """A second browser, signed in as the advisor (student_client keeps the student)."""
    from django.test import Client

    client = Client()
    client.force_login(advisor, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def password():
    return PASSWORD


# --- Browser tests (Playwright driving Debian's Chromium) -----------------------------------
import os  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# Django's live_server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Browser tests skip where Chromium is missing, unless CI requires them (REQUIRE_BROWSER=1)."""
    if Path(CHROMIUM).exists() or os.environ.get("REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def phone_page(browser):
    """A page the size of a phone (iPhone 13-ish), touch enabled."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
