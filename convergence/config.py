"""Configuration read from the environment, with safe development defaults."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# First-party plug-ins enabled when CONVERGENCE_PLUGINS is not set. Installing a plug-in
# does not enable it: only names listed here (or in the variable) are loaded.
DEFAULT_PLUGINS = "mj,needs,proposals,budget,facilitation,cdc"


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.replace(";", ",").split(",") if item.strip()]


def _secret_key(instance_path: Path) -> str:
    """A development key kept in the instance folder so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _flag(value: str | None) -> bool | None:
    return None if value in (None, "") else value == "1"


def _engine_options(database_url: str, env) -> dict:
    if database_url.startswith("sqlite"):
        return {}
    # A gevent worker serves hundreds of requests at once: size the pool from the
    # environment. DB_POOL_PRE_PING=0 saves a round trip per request where the database
    # never restarts under the app.
    return {
        "pool_size": int(env.get("DB_POOL_SIZE", "10")),
        "max_overflow": int(env.get("DB_MAX_OVERFLOW", "20")),
        "pool_timeout": int(env.get("DB_POOL_TIMEOUT", "10")),
        "pool_recycle": int(env.get("DB_POOL_RECYCLE", "1800")),
        "pool_pre_ping": env.get("DB_POOL_PRE_PING", "1") == "1",
    }


def from_environment(instance_path: str) -> dict:
    instance = Path(instance_path)
    env = os.environ
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'convergence.sqlite'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url[len("postgres://"):]
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or _secret_key(instance),
        # Seals the ballots of open votes (convergence.ballot_box); default: SECRET_KEY. Keep it
        # out of the database and its backups; changing it while a vote is open loses nothing
        # only if the old key stays in SECRET_KEY_FALLBACKS until the close.
        "BALLOT_SEAL_KEY": env.get("BALLOT_SEAL_KEY", ""),
        # Former keys, comma-separated: still accepted for signed cookies and still open the
        # ballots they sealed (convergence.ballot_box).
        "SECRET_KEY_FALLBACKS": _list(env.get("SECRET_KEY_FALLBACKS", "")),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url, env),
        "PLUGINS": _list(env.get("CONVERGENCE_PLUGINS", DEFAULT_PLUGINS)),
        # Live channel: "auto" picks PostgreSQL LISTEN/NOTIFY on PostgreSQL, Redis when
        # REDIS_URL is set, and the in-process broker otherwise (SQLite, one process).
        "LIVE_BACKEND": env.get("LIVE_BACKEND", "auto"),
        "REDIS_URL": env.get("REDIS_URL", ""),
        "LIVE_HEARTBEAT_SECONDS": int(env.get("LIVE_HEARTBEAT_SECONDS", "15")),
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": env.get("TIMEZONE", "Europe/Paris"),
        "BABEL_TRANSLATION_DIRECTORIES": env.get(
            "CONVERGENCE_TRANSLATIONS", str(ROOT / "translations")
        ),
        "LANGUAGES": ["fr", "en"],
        "CURRENCY": env.get("CURRENCY", "EUR"),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024))),
        "WTF_CSRF_TIME_LIMIT": None,
        # How long a rendered creating form may wait before it is sent (web/replay.py);
        # consumed tokens are forgotten after that time.
        "FORM_TOKEN_MAX_AGE": int(env.get("FORM_TOKEN_MAX_AGE", str(7 * 24 * 3600))),
        # Every absolute link (mails, invitations, QR codes) is built from this address,
        # never from the request's Host header (see web/links.py).
        "PUBLIC_URL": env.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # None: Secure when PUBLIC_URL is https (settle_cookies); "0"/"1" decide outright.
        "SESSION_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE")),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # A session unused this long is over, and a remember-me cookie lasts as long.
        "SESSION_LIFETIME_DAYS": int(env.get("SESSION_LIFETIME_DAYS", "30")),
        # How stale a session's "last seen" may get before a request writes it again.
        "SESSION_TOUCH_SECONDS": int(env.get("SESSION_TOUCH_SECONDS", "300")),
        # Deferred work (mail, deadlines): see convergence/tasks.py. "auto" follows
        # TASK_QUEUE_URL (redis:// or postgresql://) and runs in-process without it.
        "TASK_QUEUE": env.get("TASK_QUEUE", "auto"),
        "TASK_QUEUE_URL": env.get("TASK_QUEUE_URL", ""),
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        # Without MAIL_SERVER, a folder where each mail is also written as an .eml file.
        "MAIL_FOLDER": env.get("MAIL_FOLDER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "1") == "1",
        "MAIL_SENDER": env.get("MAIL_SENDER", "convergence@localhost"),
        "PASSWORD_RESET_MAX_AGE": int(env.get("PASSWORD_RESET_MAX_AGE", "3600")),
        # Login attempts allowed per account from one client within the window, and per
        # client over all accounts (a shared network: a village hall's Wi-Fi).
        "LOGIN_MAX_FAILURES": int(env.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_MAX_FAILURES_PER_CLIENT": int(env.get("LOGIN_MAX_FAILURES_PER_CLIENT", "100")),
        "LOGIN_WINDOW_SECONDS": int(env.get("LOGIN_WINDOW_SECONDS", "900")),
        # Number of reverse proxies in front (nginx: 1); their X-Forwarded-* headers are trusted.
        "PROXY_COUNT": int(env.get("PROXY_COUNT", "0")),
        "TILE_URL": env.get("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        # The living style guide at /styleguide (convergence/styleguide/): development only,
        # always on with app.debug; `make run` turns it on.
        "STYLEGUIDE": env.get("CONVERGENCE_STYLEGUIDE", "") == "1",
    }


def settle_cookies(config) -> None:
    """Cookie security follows the public address once every override is in: Secure,
    HttpOnly and SameSite=Lax on the session and remember-me cookies when served over
    https, unless SESSION_COOKIE_SECURE says otherwise."""
    from datetime import timedelta

    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = config["PUBLIC_URL"].startswith("https://")
    config.setdefault("REMEMBER_COOKIE_SECURE", config["SESSION_COOKIE_SECURE"])
    config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=config["SESSION_LIFETIME_DAYS"]))
    config["PREFERRED_URL_SCHEME"] = config["PUBLIC_URL"].split("://", 1)[0]
