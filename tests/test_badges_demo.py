"""The demo province's badges (chibo/badges/demo.py), on the small demo: imported without an
error through the bundle, awarded over the years on the four award days (a few early to ill
members), never short of party age, and the same rows again for the same seed."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from chibo.badges import demo, rules
from chibo.badges.findings import find
from chibo.badges.models import Badge
from chibo.organizations.models import Organization
from chibo.site.demo import build_demo


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo(seed=2025, size="small", stream=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def world(built, db):
    return None


def test_badges_over_the_years_on_the_award_days(world):
    years = Counter(day.year for day in Badge.objects.values_list("awarded_on", flat=True))
    assert set(years) == set(range(demo.FIRST_YEAR, timezone.localdate().year + 1))
    ill = Badge.objects.filter(early_reason="ill")
    assert ill.exists() and ill.count() < Badge.objects.count() / 10
    assert all(rules.is_award_day(day) for day in Badge.objects.values_list("awarded_on",
                                                                            flat=True))


def test_no_badge_is_short_of_its_party_age(world):
    root = Organization.objects.filter(parent__isnull=True).first()
    assert find(root, timezone.localdate(), (rules.PARTY_AGE,)) == []


def test_the_same_seed_plans_the_same_rows(world):
    today = timezone.localdate()
    assert demo.plan(seed=2025, today=today) == demo.plan(seed=2025, today=today)
