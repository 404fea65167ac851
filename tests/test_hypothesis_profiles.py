"""The hypothesis profiles (tests/hypothesis_profiles.py): one loaded for the whole session,
chosen by HYPOTHESIS_PROFILE, `ci` by default; no test module loads its own."""

import os

from hypothesis import settings

from tests.hypothesis_profiles import CI_EXAMPLES, NIGHTLY_SCALE, examples


def test_the_profile_named_by_the_environment_is_the_one_in_force():
    # Every test module has been imported (collected) by now: one that loaded a profile of its
    # own at import time would show here.
    name = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    chosen, default = settings.get_profile(name), settings.default
    assert (default.max_examples, default.derandomize, default.database, default.deadline) == (
        chosen.max_examples, chosen.derandomize, chosen.database, chosen.deadline)


def test_ci_is_derandomized_without_a_database_and_nightly_explores_more():
    ci, nightly = settings.get_profile("ci"), settings.get_profile("nightly")
    assert (ci.derandomize, ci.database, ci.max_examples) == (True, None, CI_EXAMPLES)
    assert (nightly.derandomize, nightly.database) == (False, None)
    assert nightly.max_examples == CI_EXAMPLES * NIGHTLY_SCALE


def test_a_test_s_own_count_scales_with_the_profile():
    scale = settings.default.max_examples / CI_EXAMPLES
    assert examples(35) == int(35 * scale)
    assert examples(1) >= 1
