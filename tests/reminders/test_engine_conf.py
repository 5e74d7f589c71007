"""Every threshold is a setting: defaults in reminders.engine.conf, overrides in
settings.ADVOCATE."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from reminders.engine.conf import EngineConf, build_conf, get_conf


def test_defaults_come_from_the_brief():
    conf = EngineConf()
    assert (conf.follow_up_days, conf.follow_up_peak_days, conf.keep_warm_days) == (120, 90, 180)
    assert (conf.outreach_quiet_days, conf.focus_min, conf.focus_max) == (30, 3, 5)
    assert conf.influence["program_director"] == 90 and conf.influence["peer"] == 10
    assert conf.untrusted_influence_factor == 0.6


def test_settings_override_the_defaults(settings):
    settings.ADVOCATE = {"follow_up_days": 100, "influence": {"fellow": 50}}
    conf = get_conf()
    assert conf.follow_up_days == 100
    assert conf.influence["fellow"] == 50 and conf.influence["program_director"] == 90


def test_unknown_or_bad_settings_fail_loudly():
    with pytest.raises(ImproperlyConfigured, match="not an engine setting"):
        build_conf({"follow_up_dayz": 100})
    with pytest.raises(ImproperlyConfigured, match="follow_up_days"):
        build_conf({"follow_up_days": "soon"})


def test_the_settings_are_read_once(settings):
    settings.ADVOCATE = {}
    assert get_conf() is get_conf()
