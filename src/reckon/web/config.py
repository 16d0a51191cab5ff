"""Django configured in code for one casebook: no settings module, no project files.

Django brings what must not be written by hand: sessions, CSRF protection, password hashing
(Argon2 first), authentication and login-required middleware. Its tables (users, groups,
sessions) live in the casebook file beside reckon's, created by Django's own migrate
(:func:`setup`); SQLite runs in WAL mode with a busy timeout so a ``reckon link`` writing beside
the server makes a request wait, not fail.

One process serves one casebook: Django's settings are process-wide.
"""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path
from typing import Any

from reckon.errors import WebError
from reckon.store import DB_NAME, find_casebook, init_casebook

SECRET_FILE = "web-secret.key"
SECRET_ENV = "RECKON_SECRET_KEY"
BUSY_TIMEOUT_S = 30
DEFAULT_SESSION_HOURS = 8.0
_lock = threading.Lock()
_casebook: Path | None = None


def secret_key(folder: Path) -> str:
    """``$RECKON_SECRET_KEY``, else the casebook's own key file (made once, owner-only)."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env
    file = folder / SECRET_FILE
    if not file.exists():
        key = secrets.token_urlsafe(50)
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(key + "\n")
    return file.read_text(encoding="utf-8").strip()


def _web_settings(folder: Path) -> dict[str, Any]:
    import tomllib

    file = folder / "reckon.toml"
    if not file.exists():
        return {}
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WebError(f"{file}: not valid TOML: {exc}") from exc
    web = data.get("web", {})
    return web if isinstance(web, dict) else {}


def casebook_folder() -> Path:
    """The casebook this process serves (after :func:`configure`)."""
    if _casebook is None:
        raise WebError("the web app is not configured", hint="call reckon.web.setup(DIR) first")
    return _casebook


def configure(
    casebook: str | Path,
    *,
    hosts: tuple[str, ...] = (),
    session_hours: float | None = None,
    debug: bool = False,
) -> Path:
    """Configure Django for ``casebook`` (once per process); returns the casebook folder.

    ``hosts`` are extra host names the server answers to (beside localhost). The casebook's
    ``reckon.toml`` may set ``[web]`` ``allowed_hosts``, ``trusted_origins`` (for a reverse
    proxy on another origin), ``secure_cookies`` (true behind HTTPS) and ``session_hours``.
    """
    global _casebook
    folder = find_casebook(casebook).resolve()
    with _lock:
        from django.conf import settings

        if settings.configured:
            if _casebook != folder:
                raise WebError(
                    f"this process already serves {_casebook}, not {folder}",
                    hint="run one server per casebook",
                )
            return folder
        init_casebook(folder).close()  # applies reckon's migrations (0007 has the web tables)
        web = _web_settings(folder)
        hours = float(session_hours or web.get("session_hours") or DEFAULT_SESSION_HOURS)
        secure = bool(web.get("secure_cookies", False))
        allowed = ["127.0.0.1", "localhost", "[::1]", "testserver", *hosts]
        allowed += [str(h) for h in web.get("allowed_hosts", [])]
        templates = Path(__file__).resolve().parent / "templates"
        settings.configure(
            DEBUG=debug,
            SECRET_KEY=secret_key(folder),
            ALLOWED_HOSTS=allowed,
            CSRF_TRUSTED_ORIGINS=[str(o) for o in web.get("trusted_origins", [])],
            INSTALLED_APPS=[
                "django.contrib.contenttypes",
                "django.contrib.auth",
                "django.contrib.sessions",
            ],
            MIDDLEWARE=[
                "django.middleware.security.SecurityMiddleware",
                "django.contrib.sessions.middleware.SessionMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
                "django.contrib.auth.middleware.AuthenticationMiddleware",
                "django.contrib.auth.middleware.LoginRequiredMiddleware",
                "django.middleware.clickjacking.XFrameOptionsMiddleware",
                "reckon.web.views.headers_middleware",
            ],
            ROOT_URLCONF="reckon.web.urls",
            TEMPLATES=[
                {
                    "BACKEND": "django.template.backends.django.DjangoTemplates",
                    "DIRS": [str(templates)],
                    "OPTIONS": {
                        "context_processors": [
                            "django.template.context_processors.request",
                            "django.contrib.auth.context_processors.auth",
                        ]
                    },
                }
            ],
            DATABASES={
                "default": {
                    "ENGINE": "django.db.backends.sqlite3",
                    "NAME": str(folder / DB_NAME),
                    "OPTIONS": {
                        "timeout": BUSY_TIMEOUT_S,
                        "transaction_mode": "IMMEDIATE",
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                    },
                }
            },
            DEFAULT_AUTO_FIELD="django.db.models.AutoField",
            PASSWORD_HASHERS=[
                "django.contrib.auth.hashers.Argon2PasswordHasher",
                "django.contrib.auth.hashers.PBKDF2PasswordHasher",
            ],
            AUTH_PASSWORD_VALIDATORS=[
                {
                    "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                    "OPTIONS": {"min_length": 10},
                },
                {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
                {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
                {
                    "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
                },
            ],
            LOGIN_URL="/login",
            LOGIN_REDIRECT_URL="/review",
            SESSION_ENGINE="django.contrib.sessions.backends.db",
            SESSION_COOKIE_AGE=int(hours * 3600),
            SESSION_COOKIE_HTTPONLY=True,
            SESSION_COOKIE_SAMESITE="Lax",
            SESSION_COOKIE_SECURE=secure,
            SESSION_COOKIE_NAME="reckon_session",
            CSRF_COOKIE_SECURE=secure,
            CSRF_COOKIE_HTTPONLY=True,
            CSRF_COOKIE_NAME="reckon_csrf",
            CSRF_FAILURE_VIEW="reckon.web.views.csrf_failure",
            SECURE_CONTENT_TYPE_NOSNIFF=True,
            SECURE_REFERRER_POLICY="same-origin",
            SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https") if secure else None,
            X_FRAME_OPTIONS="DENY",
            USE_TZ=True,
            TIME_ZONE="UTC",
            USE_I18N=False,
            DATA_UPLOAD_MAX_MEMORY_SIZE=256 * 1024,
            LOGGING_CONFIG=None,
            RECKON_CASEBOOK=str(folder),
        )
        import django

        django.setup()
        _casebook = folder
        return folder


def setup(casebook: str | Path, **options: Any) -> Path:
    """Configure Django for ``casebook`` and bring its tables up to date (Django's migrate)."""
    folder = configure(casebook, **options)
    migrate_django()
    return folder


def migrate_django() -> None:
    """Create or upgrade Django's tables in the casebook and make the four role groups."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from reckon.web.roles import ROLES

    with _lock:
        call_command("migrate", interactive=False, verbosity=0)
        for role in ROLES:
            Group.objects.get_or_create(name=role)


def is_casebook(path: Path) -> bool:
    return (path / DB_NAME).exists()
