"""The hypothesis profiles of the suite, registered and loaded once (tests/conftest.py imports
this module before any test module).

- `ci` (the default): derandomized, so that a run on SQLite and one on PostgreSQL, or two runs
  of the same commit, try the same examples; no example database (it would write a .hypothesis
  directory into the source tree, and a derandomized run has nothing to replay); no deadline (a
  test database on a busy 2-core machine is slow now and then, which is not a failure).
- `nightly`: randomized, `NIGHTLY_SCALE` times the examples of `ci`, for a manual or scheduled
  run: `HYPOTHESIS_PROFILE=nightly uv run pytest -m "not browser" tests/...`. A failure prints
  the `@reproduce_failure` blob that replays it.

- `mutation`: derandomized like `ci`, a fifth of its examples: bench/mutation.py runs the tests
  of a unit once per mutant, and one property test at `ci`'s count took 29 s of the 30 that
  meeting-metrics' tests take. The property tests still reach each rule; a survivor they would
  have killed with more examples is found again when the unit's survivors are retried.

A test that wants a number of examples other than the profile's asks `examples(n)`: n under
`ci`, scaled like the profile under `nightly`. A test must never load a profile itself: loading
one changes the settings of every test collected after it.
"""

import os

from hypothesis import settings

CI_EXAMPLES = 100  # hypothesis's own default, which the tests without a number of their own use
NIGHTLY_SCALE = 10

settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          max_examples=CI_EXAMPLES, print_blob=False)
settings.register_profile("nightly", derandomize=False, database=None, deadline=None,
                          max_examples=CI_EXAMPLES * NIGHTLY_SCALE, print_blob=True)
settings.register_profile("mutation", derandomize=True, database=None, deadline=None,
                          max_examples=CI_EXAMPLES // 5, print_blob=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(ci: int) -> int:
    """The number of examples for a test that runs `ci` of them under the `ci` profile, scaled
    by the loaded profile's (so `nightly` runs NIGHTLY_SCALE times as many)."""
    return max(1, ci * settings.default.max_examples // CI_EXAMPLES)
