"""The one settings file. Every knob is an environment variable listed in README.md.

Defaults suit a laptop: SQLite in ./var, DEBUG on, e-mail to the console, jobs in the
database queue. Production switches on explicit variables (DB_ENGINE=postgres, DEBUG=false).
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from congvu.config.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("CONGVU_HOME", str(Path.cwd())))
VAR_DIR = Path(env_str("CONGVU_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "congvu.apps.calendars",
    "congvu.apps.organisations",
    "congvu.apps.accounts",
    "congvu.apps.web",
    "congvu.apps.api",
    "congvu.apps.procedures",
    "congvu.apps.ledger",
    "congvu.apps.dossiers",
    "congvu.apps.supervision",
    "congvu.apps.alerts",
    "congvu.apps.jobs",
    "congvu.apps.dashboards",
    "congvu.apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "congvu.config.urls"
WSGI_APPLICATION = "congvu.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DB_ENGINE = env_str("DB_ENGINE", "sqlite")
if DB_ENGINE == "sqlite":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("DB_NAME", str(VAR_DIR / "congvu.sqlite3")),
            "OPTIONS": {
                # WAL lets the web process read while a job writes; IMMEDIATE avoids the
                # "database is locked" upgrade deadlock between two writers.
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
elif DB_ENGINE == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env_str("DB_NAME", "congvu"),
            "USER": env_str("DB_USER", "postgres"),
            "PASSWORD": env_str("DB_PASSWORD", ""),
            "HOST": env_str("DB_HOST", "127.0.0.1"),
            "PORT": env_str("DB_PORT", "5432"),
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        }
    }
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"DB_ENGINE={DB_ENGINE!r}: expected 'sqlite' or 'postgres'.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Uploaded documents (justifications of findings). Never served from a public URL: each is
# sent by a view that checks who may see it (supervision.views.justification_document).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "congvu@localhost")

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Redis workers instead of the database queue (the `redis` extra; docs/operations.md):
# TASKS_BACKEND=django_tasks_rq.RQBackend and REDIS_URL; `congvu rqworker --job-class
# django_tasks_rq.Job` then runs the same tasks. django_rq is installed only then: it is not
# importable without the extra.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    if not REDIS_URL:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("TASKS_BACKEND=django_tasks_rq.RQBackend needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq"]

# The national calendar every unit works on unless it names its own (see docs/domain/calendar.md).
CONGVU_DEFAULT_CALENDAR = env_str("CONGVU_DEFAULT_CALENDAR", "VN")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)

# The covering indexes (INCLUDE) serve PostgreSQL's index-only scans; SQLite builds them
# without the included columns, which is all it can use. Its warning is noise on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Ledger (docs/domain/ledger.md) ---------------------------------------------------------
# The dossier code printed on the slip: agency code, receipt day, daily number.
CONGVU_DOSSIER_CODE = env_str("CONGVU_DOSSIER_CODE", "{agency}-{date:%y%m%d}-{number:04d}")
# An event whose seq leaves a gap: "hold" it until the gap is filled, or "reject" it.
CONGVU_LEDGER_GAPS = env_str("CONGVU_LEDGER_GAPS", "hold")
if CONGVU_LEDGER_GAPS not in {"hold", "reject"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"CONGVU_LEDGER_GAPS={CONGVU_LEDGER_GAPS!r}: 'hold' or 'reject'.")
# `congvu events import`: processes a file import is shared among, by item (PostgreSQL only;
# 0: one per core, at most 4).
CONGVU_IMPORT_WORKERS = env_int("CONGVU_IMPORT_WORKERS", 0)
if CONGVU_IMPORT_WORKERS < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CONGVU_IMPORT_WORKERS: expected an integer ≥ 0 (0: one per core).")
# The site's public address (https://dichvucong.example.gov.vn), printed on appointment slips
# so the applicant can find the lookup page; empty prints the path only.
CONGVU_PUBLIC_URL = env_str("CONGVU_PUBLIC_URL", "")

# --- Alerts and periodic jobs (docs/alerts.md, docs/operations.md) -------------------------
# New findings are notified one by one only if their moment is this recent (days); older ones
# (a history loaded in bulk) appear in the digests and lists only.
CONGVU_ALERT_FRESH_DAYS = env_int("CONGVU_ALERT_FRESH_DAYS", 7)
# `congvu scheduler`: the time-driven findings pass and the reminders every N minutes, the
# daily digest of each unit from HH:MM (Vietnam time) on its working days.
CONGVU_SWEEP_EVERY = env_int("CONGVU_SWEEP_EVERY", 15)
CONGVU_REMIND_EVERY = env_int("CONGVU_REMIND_EVERY", 5)
try:
    import datetime as _dt

    CONGVU_DIGEST_AT = _dt.time.fromisoformat(env_str("CONGVU_DIGEST_AT", "07:30"))
except ValueError:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CONGVU_DIGEST_AT: expected a time as HH:MM (e.g. 07:30).") from None
if min(CONGVU_ALERT_FRESH_DAYS, CONGVU_SWEEP_EVERY, CONGVU_REMIND_EVERY) < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "CONGVU_ALERT_FRESH_DAYS, CONGVU_SWEEP_EVERY, CONGVU_REMIND_EVERY: expected integers ≥ 1."
    )

# --- Dashboards and league table (docs/dashboards.md) ---------------------------------------
# Judged items a unit needs to be ranked; below it the unit is listed, not ranked.
CONGVU_LEAGUE_MIN_SAMPLE = env_int("CONGVU_LEAGUE_MIN_SAMPLE", 30)
# What a finding with an accepted justification weighs in "findings per 1,000 items" (0 … 1).
try:
    CONGVU_JUSTIFIED_WEIGHT = float(env_str("CONGVU_JUSTIFIED_WEIGHT", "0.5"))
except ValueError:
    CONGVU_JUSTIFIED_WEIGHT = -1.0
if not 0 <= CONGVU_JUSTIFIED_WEIGHT <= 1 or CONGVU_LEAGUE_MIN_SAMPLE < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "CONGVU_JUSTIFIED_WEIGHT: expected a number between 0 and 1; "
        "CONGVU_LEAGUE_MIN_SAMPLE: expected an integer of at least 1."
    )
