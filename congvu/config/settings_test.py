"""Test settings: the real settings with only what tests need overridden."""

from congvu.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # An in-memory test database; the file path of the demo database is never touched.
    DATABASES["default"]["NAME"] = ":memory:"  # noqa: F405
    DATABASES["default"]["ENGINE"] = "congvu.config.test_sqlite"  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {}  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
