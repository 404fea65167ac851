"""Django settings for chibo.

Everything comes from environment variables (see docs/configuration.md) with defaults that make the
embedded set-up (SQLite in ./var) work with nothing set.
"""

import os
import secrets
from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("CHIBO_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The secret key from the environment, else one generated once into the data dir.

    O_EXCL makes the first of several starting processes win; the others read its key.
    """
    if key := os.environ.get("CHIBO_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("CHIBO_DEBUG")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("CHIBO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]
# Behind HTTPS (CHIBO_HTTPS=1) cookies are marked secure and plain HTTP is redirected.
HTTPS = env_bool("CHIBO_HTTPS")
# The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed
# (chibo.core.addresses); from any other peer the header is ignored. A typo fails at start.
TRUSTED_PROXIES = [
    str(ip_network(entry.strip(), strict=False))
    for entry in os.environ.get("CHIBO_TRUSTED_PROXIES", "").split(",")
    if entry.strip()
]
# A refused import lists its errors up to this many lines, then the count of the rest (spec
# BUNDLE.md): a bundle with an error on every row would otherwise print a line per row.
IMPORT_ERROR_LIMIT = max(1, int(os.environ.get("CHIBO_IMPORT_ERROR_LIMIT") or 1000))
# What one bundle may hold (docs/bundle.md, "Limits"): more is refused before it is parsed, so
# that no upload can take the server's memory or minutes of its time. A province of 140,000
# members fits with room; a larger import raises them.
IMPORT_MAX_ROWS = max(1, int(os.environ.get("CHIBO_IMPORT_MAX_ROWS") or 1_000_000))  # per file
IMPORT_MAX_FIELD = max(1024, int(os.environ.get("CHIBO_IMPORT_MAX_FIELD") or 65_536))  # chars
IMPORT_MAX_FILES = max(1, int(os.environ.get("CHIBO_IMPORT_MAX_FILES") or 50))
IMPORT_MAX_UNPACKED = max(1, int(os.environ.get("CHIBO_IMPORT_MAX_UNPACKED_MB") or 1024)) << 20
IMPORT_MAX_RATIO = max(10, int(os.environ.get("CHIBO_IMPORT_MAX_RATIO") or 100))
# The province's self-examination catalogue (the 27 manifestations of 04-NQ/TW and its finer
# signs; docs/handbook.md): a JSON file, checked by `chibo manifestations check` and at start-up.
# Empty: chibo's own file (the 27, no signs).
MANIFESTATIONS_FILE = os.environ.get("CHIBO_MANIFESTATIONS_FILE", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "django_tasks_db",
    "chibo.core",
    "chibo.accounts",
    "chibo.audit",
    "chibo.findings",
    "chibo.lists",
    "chibo.organizations",
    "chibo.members",
    "chibo.meetings",
    "chibo.admission",
    "chibo.courses",
    "chibo.inspection",
    "chibo.ratings",
    "chibo.removal",
    "chibo.badges",
    "chibo.dues",
    "chibo.liaison",
    "chibo.interchange",
    "chibo.stats",
    "chibo.documents",
    "chibo.handbook",
    "chibo.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chibo.core.middleware.RequestIdMiddleware",
    "chibo.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chibo.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chibo.core.middleware.NoStoreWhenSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "chibo.accounts.middleware.SecondFactorMiddleware",
    "chibo.core.middleware.PagesRequireLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chibo.urls"
WSGI_APPLICATION = "chibo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chibo.site.context_processors.navigation",
            ],
            "builtins": ["chibo.core.templatetags.chibo", "chibo.audit.templatetags.audit"],
        },
    }
]

# Databases ---------------------------------------------------------------------------------

SQLITE_OPTIONS = {
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN so
    # that two writers queue instead of failing with "database is locked" half-way through.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database_from_url(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
        config["CONN_MAX_AGE"] = 0
    elif "postgresql" in config["ENGINE"]:
        # JIT compiling costs 50–120 ms on statistics queries that run in tens of ms
        # (docs/performance.md); a URL's own ?options= wins.
        config.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return config


DATABASES = {
    "default": database_from_url(
        os.environ.get("CHIBO_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'chibo.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An index's INCLUDE columns are for PostgreSQL: SQLite's indexes hold the row id already.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Cache and sessions: Redis when configured (several app processes), else per-process memory,
# which only ever holds things that can be recomputed.
REDIS_URL = os.environ.get("CHIBO_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Accounts and security ---------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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

# Lockout (docs/security.md): 5 failed sign-ins for one account from one address lock that
# account at that address for 15 minutes: a colleague's mistakes at the same commune office (one
# address behind its router, or everyone behind the proxy) lock no one else. The account alone,
# from any address, is locked after ACCOUNT_FAILURE_LIMIT failures (chibo.accounts.lockout).
AXES_FAILURE_LIMIT = 5
ACCOUNT_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "chibo.accounts.lockout.AccountAtAddressHandler"
AXES_CLIENT_IP_CALLABLE = "chibo.core.addresses.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "chibo.accounts.views.locked_out"
AXES_VERBOSE = False

# Second factor (TOTP, django-otp): who must use one — "none", "admins" (system administrators
# and holders of the admin role) or "officers" (those and committee staff: organizers,
# inspectors, clerks). Anyone may enrol from the account menu.
REQUIRE_2FA = os.environ.get("CHIBO_REQUIRE_2FA", "none").strip().lower()
if REQUIRE_2FA not in {"none", "admins", "officers"}:
    raise ValueError("CHIBO_REQUIRE_2FA must be none, admins or officers")
OTP_TOTP_ISSUER = "chibo"
# API tokens last this many days unless created with another --days.
API_TOKEN_DAYS = int(os.environ.get("CHIBO_API_TOKEN_DAYS") or 90)

SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day; sign in again the next morning
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Language, time, formats --------------------------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["chibo.formats"]

# Static files: vendored under chibo/static, served by WhiteNoise (no CDN, no separate server).
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

# Audit trail: records are keyed (HMAC) with a key the database does not hold, and the chain's
# head is anchored outside it (docs/security.md). The key: CHIBO_AUDIT_KEY, else the file
# CHIBO_AUDIT_KEY_FILE, else $CHIBO_DATA_DIR/audit.key generated once; old keys in the keyring.
AUDIT_KEY = os.environ.get("CHIBO_AUDIT_KEY", "")
AUDIT_KEY_FILE = os.environ.get("CHIBO_AUDIT_KEY_FILE", "")
AUDIT_KEYRING_DIR = Path(os.environ.get("CHIBO_AUDIT_KEYRING_DIR") or DATA_DIR / "audit-keys")
# Where `chibo audit anchor` writes the signed head: "file", "syslog" or both ("file,syslog").
AUDIT_ANCHOR = os.environ.get("CHIBO_AUDIT_ANCHOR", "file")
AUDIT_ANCHOR_FILE = Path(os.environ.get("CHIBO_AUDIT_ANCHOR_FILE")
                         or DATA_DIR / "audit-anchors.log")
AUDIT_SYSLOG_ADDRESS = os.environ.get("CHIBO_AUDIT_SYSLOG_ADDRESS", "/dev/log")

# Background tasks -----------------------------------------------------------------------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
