"""Settings for the test suite: the project's settings with a test database and fast hashing.

`CHIBO_TEST_DATABASE_URL=postgres://…` runs the same suite on PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("CHIBO_DATA_DIR", tempfile.mkdtemp(prefix="chibo-test-"))

from chibo.settings import *  # noqa: E402,F403
from chibo.settings import database_from_url  # noqa: E402

DATABASES = {
    "default": database_from_url(os.environ.get("CHIBO_TEST_DATABASE_URL") or "sqlite://:memory:")
}
# Argon2 is the production hasher (tested in test_accounts); tests hash fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
INSTALLED_APPS = [*INSTALLED_APPS, "tests.sample_domain"]  # noqa: F405  (tests/contract)
ALLOWED_HOSTS = ["*"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise looks there)
# Background tasks run at once, inside the test (`chibo worker` is not running here).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
