"""The core's pytest fixtures and helpers, shared with every plug-in's tests.

Loaded by the ``pytest11`` entry point of the convergence distribution
(:mod:`convergence.testing.plugin`): a plug-in that installs ``convergence[test]`` gets the
``app``, ``client``, ``runner`` and ``make`` fixtures and imports these helpers from
``convergence.testing``, with no conftest of its own.

The database: SQLite in a temporary file by default; PostgreSQL when TEST_DATABASE_URL is
set, unless TEST_FORCE_SQLITE asks for SQLite anyway. The schema is built once per run by
the Alembic migrations of the core and of every enabled plug-in, and every table is emptied
after each test.
"""

from __future__ import annotations

import contextvars
import os
import re
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Callable

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from convergence.app import create_app
from convergence.extensions import db
from convergence.models import Assembly, Commune, Membership, User
from convergence.models.base import utcnow

PASSWORD = "mot-de-passe-solide"


def in_ci() -> bool:
    """Whether this run is CI's (CI=true), where everything is installed and nothing skips."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


IN_CI = in_ci()


def database_url(tmp_path_factory) -> str:
    """TEST_DATABASE_URL (PostgreSQL) when given, unless TEST_FORCE_SQLITE asks for the
    embedded database (`make test` runs the suite on both)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url and not os.environ.get("TEST_FORCE_SQLITE"):
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def is_postgres(url: str) -> bool:
    return url.startswith("postgres")


def unavailable(message: str) -> None:
    """Something a test needs is missing: skip with the message on a workstation, fail in CI,
    where everything is installed and a skipped test would hide a broken set-up."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing dependency fails)", pytrace=False)
    pytest.skip(message)


def require_postgres() -> str:
    """The PostgreSQL URL for tests that need the real server; fails in CI when missing.
    Such tests carry ``@pytest.mark.postgres`` so the SQLite pass deselects them."""
    url = "" if os.environ.get("TEST_FORCE_SQLITE") else os.environ.get("TEST_DATABASE_URL", "")
    if not is_postgres(url):
        unavailable("needs PostgreSQL: set TEST_DATABASE_URL=postgresql://… (CI does)")
    return url


def wait_until(condition: Callable[[], object], timeout: float = 5.0,
               message: str | Callable[[], str] = "", interval: float = 0.01):
    """Wait for ``condition()`` to be true and return its value; after ``timeout`` seconds,
    fail with ``message`` (or what ``message()`` says then). A test waits for what it needs,
    never for a fixed time: this returns as soon as the condition holds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            said = message() if callable(message) else message
            raise AssertionError(f"still false after {timeout:g} s: {said or condition}")
        time.sleep(interval)


def require_redis() -> str:
    """The Redis URL for tests that need the real server (TEST_REDIS_URL, else the local
    one); skips without it, fails in CI."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        unavailable(f"needs Redis at {url} (CI has it)")
    return url


def pytest_addoption(parser):
    parser.addini("convergence_plugins", "plug-ins the test application enables and the test database is "
                  "migrated for, comma-separated (default: the application's own default, CONVERGENCE_PLUGINS)",
                  default="")


def pytest_configure(config):
    # The suite's markers, declared for every suite using these fixtures (--strict-markers).
    for line in ("postgres: needs the PostgreSQL test database (TEST_DATABASE_URL)",
                 "browser: drives Debian Chromium through Playwright",
                 "server: starts gunicorn"):
        config.addinivalue_line("markers", line)


@pytest.fixture(scope="session")
def convergence_plugins(pytestconfig) -> list[str] | None:
    """The plug-ins of the test application (``None``: the application's default). A plug-in's
    suite names itself with ``convergence_plugins = myplugin`` in its pytest settings, or
    overrides this fixture together with ``test_database_url`` (see :func:`separate_database`)."""
    raw = pytestconfig.getini("convergence_plugins")
    return [name.strip() for name in raw.split(",") if name.strip()] if raw else None


def migrate(url: str, plugins: list[str] | None = None) -> None:
    """Build the schema at ``url`` with the migrations of the core and of ``plugins``."""
    from flask_migrate import upgrade

    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": _normalise(url)}
    if plugins is not None:
        config["PLUGINS"] = plugins
    app = create_app(config)
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()


@pytest.fixture(scope="session")
def test_database_url(tmp_path_factory, convergence_plugins):
    url = database_url(tmp_path_factory)
    if is_postgres(url):
        _reset_postgres(url)
    migrate(url, convergence_plugins)
    return url


@contextmanager
def separate_database(base_url: str, folder, name: str):
    """The URL of an empty database of its own, on the database system of ``base_url``: a
    SQLite file in ``folder``, or on PostgreSQL the schema ``name`` of the same database,
    made empty and dropped at the end. For a test that needs a schema of another shape than
    the suite's (an upgrade from old revisions, another set of plug-ins) in the same run."""
    from pathlib import Path

    if not is_postgres(base_url):
        yield f"sqlite:///{Path(folder) / (name + '.sqlite')}"
        return
    assert re.fullmatch(r"[a-z_][a-z0-9_]*", name), name
    engine = sa.create_engine(_normalise(base_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {name}"))
    separator = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{separator}options=-csearch_path%3D{name}"
    finally:
        with engine.connect() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        engine.dispose()


def _normalise(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(_normalise(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


class IsolatedClient(FlaskClient):
    """Runs each request outside the test's app context, as a real server would: its own
    app context, ``g`` and database session, so nothing leaks between requests."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def make_test_app(test_database_url, **config):
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": _normalise(test_database_url),
        "SERVER_NAME": "localhost",
        "PUBLIC_URL": "http://localhost",  # links in mails name the server the tests talk to
        "LIVE_BACKEND": "memory",
        "TASK_QUEUE": "immediate",  # deferred work runs in-process, right after the commit
        "SECRET_KEY": "tests",
    }
    settings.update(config)
    app = create_app(settings)
    app.test_client_class = IsolatedClient
    return app


def _empty_all_tables(app) -> None:
    db.session.remove()
    with app.app_context():
        with db.engine.begin() as connection:
            # The metadata holds every plug-in imported in this run; the database, those it
            # was migrated for.
            present = set(sa.inspect(connection).get_table_names())
            tables = [t.name for t in reversed(db.metadata.sorted_tables) if t.name in present]
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text(
                    "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(sa.text(f'DELETE FROM "{table}"'))
                connection.execute(sa.text("DELETE FROM sqlite_sequence")) if connection.execute(
                    sa.text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first() else None
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(test_database_url, convergence_plugins):
    app = make_test_app(test_database_url, **({} if convergence_plugins is None else {"PLUGINS": convergence_plugins}))
    with app.app_context():
        try:
            yield app
        finally:
            _empty_all_tables(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Factory:
    """Small builders for the objects tests need, committed at once."""

    def __init__(self, app):
        self.app = app
        self.counter = 0

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def user(self, name: str | None = None, email: str | None = None, *, admin: bool = False,
             locale: str = "fr") -> User:
        n = self._next()
        user = User(email=email or f"personne{n}@example.org", display_name=name or f"Personne {n}",
                    locale=locale, is_admin=admin)
        # A cheap hash keeps the suite fast; the real default (scrypt) is tested in test_accounts.
        from werkzeug.security import generate_password_hash

        user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        db.session.add(user)
        db.session.commit()
        return user

    def commune(self, name: str = "Commune test", **fields) -> Commune:
        n = self._next()
        commune = Commune(slug=fields.pop("slug", f"commune-{n}"), name=name, **fields)
        db.session.add(commune)
        db.session.commit()
        return commune

    def assembly(self, commune: Commune, title: str = "Assemblée", **fields) -> Assembly:
        assembly = Assembly(commune_id=commune.id, title=title, starts_at=fields.pop("starts_at", utcnow()),
                            **fields)
        db.session.add(assembly)
        db.session.commit()
        return assembly

    def role(self, user: User, role: str, *, commune=None, assembly=None, circle=None) -> Membership:
        spaces = [space for space in (commune, assembly, circle) if space is not None]
        if len(spaces) != 1:
            raise TypeError("make.role() takes exactly one of commune=, assembly=, circle=")
        membership = Membership(user_id=user.id, role=role, space_id=spaces[0].space_id)
        db.session.add(membership)
        db.session.commit()
        return membership


@pytest.fixture
def make(app):
    return Factory(app)


def login(client, user: User, password: str = PASSWORD):
    response = client.post("/compte/connexion", data={"email": user.email, "password": password,
                                                      "csrf_token": csrf_token(client, "/compte/connexion")})
    assert response.status_code == 302, response.data[:500]
    return response


CSRF_RE = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    """Read the CSRF token from a page, as a browser would."""
    page = client.get(url)
    match = CSRF_RE.search(page.data)
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return (match.group(1) or match.group(2)).decode()


FORM_TOKEN_RE = re.compile(rb'name="form_token" value="([^"]+)"')


def form_token(client, url: str) -> str:
    """The single-use token of the first creating form of a page (web/replay.py)."""
    page = client.get(url)
    match = FORM_TOKEN_RE.search(page.data)
    assert match, f"no form token on {url} ({page.status_code})"
    return match.group(1).decode()


def journal_acts(client, commune, prefix: str = "") -> list[str]:
    """The sentences of ``commune``'s journal of decisions as a reader reads them (tags out,
    narrow and no-break spaces as plain ones), newest first; ``prefix`` keeps the acts whose
    code starts with it (``"mj."``)."""
    from html import unescape

    page = client.get(f"/communes/{commune.slug}/journal").get_data(as_text=True)
    acts = []
    for action, item in re.findall(r'<li data-action="([^"]+)">(.*?)</li>', page, re.S):
        if action.startswith(prefix):
            item = re.sub(r'<span class="journal-hash[^"]*">.*?</span>', "", item, flags=re.S)  # its place and hash
            text = unescape(re.sub(r"<[^>]+>", "", item)).replace("\u202f", " ").replace("\xa0", " ")
            acts.append(text.split(" — ", 1)[1].strip())
    return acts


def browser_fields(client, url: str) -> dict:
    """What a browser sends with a form of ``url`` besides its fields: the CSRF token and,
    when the page has a creating form, its single-use token."""
    page = client.get(url)
    match = CSRF_RE.search(page.data)
    assert match, f"no CSRF token on {url} ({page.status_code})"
    fields = {"csrf_token": (match.group(1) or match.group(2)).decode()}
    once = FORM_TOKEN_RE.search(page.data)
    if once:
        fields["form_token"] = once.group(1).decode()
    return fields


REPLAYED = "Ce formulaire avait déjà été envoyé\u202f: rien n'a été créé une seconde fois."


def post_twice(client, page: str, url: str, data: dict):
    """Send one rendered form of ``page`` twice, tokens included, as a double press or a
    browser resending it does: (first answer, second answer with its redirect followed)."""
    data = {**data, **browser_fields(client, page)}
    assert "form_token" in data, f"no single-use token in the form of {page}"
    first = client.post(url, data=data)
    return first, client.post(url, data=data, follow_redirects=True)


def says_replayed(response) -> bool:
    """Whether the answer is the page of what the first submission created, saying so."""
    from markupsafe import escape

    return response.status_code == 200 and str(escape(REPLAYED)) in response.get_data(as_text=True)


@contextmanager
def count_queries(app):
    """Count SQL statements issued inside the block."""
    statements: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def pytest_collection_modifyitems(items):
    """A test that calls require_postgres() is a PostgreSQL test even if its author forgot
    the marker: the SQLite pass of `make test` must deselect it, never fail or skip it."""
    import inspect

    for item in items:
        function = getattr(item, "function", None)
        if function is not None and "require_postgres(" in inspect.getsource(function):
            item.add_marker(pytest.mark.postgres)


_UNREAD = ("script", "style", "template")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _UNREAD:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in _UNREAD and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(response) -> str:
    """The text a person reads on the page (no markup, no scripts), whitespace collapsed: what a
    test looks for when the markup around a sentence may change but the sentence may not."""
    parser = _Text()
    parser.feed(response.get_data(as_text=True))
    return " ".join(" ".join(parser.parts).split())
