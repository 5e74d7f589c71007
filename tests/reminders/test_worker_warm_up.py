"""A worker is ready before its first batch of emails: the links' URLconf and the emails'
templates are loaded as it starts (crm.celery), not between two emails of its first batch."""

from celery import signals
from django.template import engines
from django.urls import clear_url_caches, get_resolver

from crm import celery
from reminders.email import delivery


def test_a_starting_worker_loads_the_urlconf_and_the_email_templates():
    clear_url_caches()  # as in a fresh process: nothing resolved yet
    loader = engines["django"].engine.template_loaders[0]  # Django's cached loader
    loader.reset()
    assert not get_resolver()._populated
    assert not set(delivery.EMAIL_TEMPLATES) & set(loader.get_template_cache)

    # What the worker sends as it starts (the whole signal would also run Celery's Django
    # set-up, which closes this test's database connection).
    assert celery._warm_up in signals.worker_init._live_receivers(sender=None)
    celery._warm_up(sender=None)

    assert get_resolver()._populated
    assert set(delivery.EMAIL_TEMPLATES) <= set(loader.get_template_cache)
