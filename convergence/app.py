"""The application factory: a short, fixed sequence of configuration steps."""

from __future__ import annotations

from flask import Flask

from . import hooks
from .extensions import babel, csrf, db, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    configure_config(app, config)
    configure_logging(app)
    configure_extensions(app)
    configure_inputs(app)
    configure_core_blueprints(app)
    configure_plugins(app)
    configure_web(app)
    hooks.app_created.send(app)
    return app


def configure_config(app: Flask, overrides: dict | None) -> None:
    from .config import from_environment, settle_cookies

    app.config.from_mapping(from_environment(app.instance_path))
    if overrides:
        app.config.update(overrides)
    settle_cookies(app.config)
    app.extensions["convergence.hooks"] = {}


def configure_logging(app: Flask) -> None:
    """What the platform logs at INFO reaches the console: under `make run` (`convergence
    run`) a mail sent without MAIL_SERVER is printed there, with its links, as the README
    says; a service's journal gets the same lines. Python prints nothing below WARNING
    unless told to, so without this a development mail went nowhere. Tests keep pytest's
    own capture (nothing added under TESTING)."""
    import logging
    import sys

    if app.testing:
        return
    logger = logging.getLogger("convergence")
    if not any(getattr(handler, "convergence_console", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.convergence_console = True
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    # Printed here once: a root handler (the worker's logging.basicConfig) would repeat each line.
    logger.propagate = False


def configure_extensions(app: Flask) -> None:
    from .i18n import install_template_gettext, select_locale, select_timezone
    from .migrations_config import configure_alembic

    idle_ping = _take_pre_ping(app)
    db.init_app(app)
    # Session listeners: every commune, assembly and circle gets its space as it is
    # created; membership changes are announced after commit; journal entries are chained
    # as their transaction commits.
    from . import audit, membership_events, spaces, sqlite_keys, text_fold  # noqa: F401
    with app.app_context():
        sqlite_keys.enforce(db.engine)
        text_fold.register(db.engine)  # searches fold accents and capitals as PostgreSQL does
        if idle_ping:
            _ping_idle_connections(db.engine, idle_ping)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    migrate.configure(configure_alembic)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"

    from .accounts.session import load_user, register_session_touch
    from .i18n import LOGIN_MESSAGE, login_message

    login_manager.login_message = LOGIN_MESSAGE
    # The cookies carry the key of a server-side session, not the user id.
    login_manager.id_attribute = "get_session_key"
    login_manager.user_loader(load_user)
    register_session_touch(app)
    login_manager.localize_callback = login_message

    from . import tasks

    tasks.init_app(app)
    from . import phases  # (its tasks are known to the worker)
    from .consent import rounds
    phases.register(app, rounds.TIMED_ROUND)  # consent rounds close at their deadline in the worker
    from . import features  # noqa: F401  (a new space gets the defaults of the plug-ins on by default)
    tasks.register_in_process_worker(app)


def _take_pre_ping(app: Flask) -> float:
    """Replace SQLAlchemy's ping on every checkout (a round trip per request) by a ping of
    connections left idle longer than DB_POOL_PING_IDLE seconds (default 5; 0 pings every
    checkout as before). A connection used a moment ago is alive; one idle across a
    database restart is caught before a request gets it, and a disconnect found during a
    query still makes SQLAlchemy replace the pool's older connections."""
    import os

    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    idle = float(os.environ.get("DB_POOL_PING_IDLE", "5"))
    if not options.get("pool_pre_ping") or idle <= 0:
        return 0.0
    options["pool_pre_ping"] = False
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    return idle


def _ping_idle_connections(engine, idle: float) -> None:
    import time

    from sqlalchemy import event, exc

    @event.listens_for(engine, "checkin")
    def checked_in(_dbapi_connection, record):
        if record is not None:
            record.info["convergence.checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def checked_out(dbapi_connection, record, _proxy):
        since = record.info.pop("convergence.checked_in", None)
        if since is None or time.monotonic() - since < idle:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and checks out another (a new one).
            raise exc.DisconnectionError(f"idle connection found dead: {error}") from error


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent / "migrations"


def configure_inputs(app: Flask) -> None:
    """Before any route exists: the ``int`` converter is bound when a rule is added."""
    from .web.inputs import register_input_rules

    register_input_rules(app)


def configure_core_blueprints(app: Flask) -> None:
    from .accounts.blueprint import bp as accounts
    from .assemblies.blueprint import bp as assemblies
    from .circles.blueprint import bp as circles
    from .communes.blueprint import bp as communes
    from .invitations.blueprint import bp as invitations
    from .live.blueprint import bp as live
    from .open_data.blueprint import bp as open_data
    from .styleguide.blueprint import bp as styleguide
    from .tools.blueprint import bp as tools
    from .web.blueprint import bp as web

    for blueprint in (web, accounts, communes, assemblies, circles, invitations, tools, live, open_data, styleguide):
        app.register_blueprint(blueprint)
    # The first visit: « Pour moi » and the mails a person asks for (issue 14).
    from . import notifications
    from .for_me.views import bp as for_me
    from .notifications.views import bp as notifications_bp

    app.register_blueprint(for_me)
    app.register_blueprint(notifications_bp)
    notifications.init_app(app)
    from .glossary.blueprint import bp as glossary  # the words of the practice; ``explain`` in templates
    app.register_blueprint(glossary)
    from .journal import tell
    app.jinja_env.globals["tell"] = tell  # the journal of decisions, an entry as a sentence

    from .cli import register_commands

    register_commands(app)
    from . import balloting  # noqa: F401  (the core's permission rule for voting)
    from .participation import permissions  # noqa: F401  (registers participation.moderate)


def configure_plugins(app: Flask) -> None:
    from .plugin_engine import load_plugins

    load_plugins(app)


def _admit_in_turn(app: Flask) -> None:
    """Run at most WEB_ACTIVE_REQUESTS requests at once per process, the others queued in
    arrival order (see web/admission.py). Default: the database pool's size; 0: no limit.
    Without a pool (SQLite) there is no limit unless one is set."""
    import os

    pool_size = (app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}).get("pool_size", 0)
    places = int(os.environ.get("WEB_ACTIVE_REQUESTS", "") or pool_size)
    if places > 0:
        from .web.admission import AdmissionMiddleware

        app.wsgi_app = AdmissionMiddleware(app.wsgi_app, places)


def configure_web(app: Flask) -> None:
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    _admit_in_turn(app)
    from .web.errors import register_error_handlers
    from .web.replay import register_replay_guard
    from .web.security import register_security_headers
    from .web.sessions import register_session_interface
    from .web.templating import register_template_helpers

    register_error_handlers(app)
    register_replay_guard(app)
    register_security_headers(app)
    register_session_interface(app)
    register_template_helpers(app)
