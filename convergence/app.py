"""The application factory: a short, fixed sequence of configuration steps."""

from __future__ import annotations

from flask import Flask

from . import hooks
from .extensions import babel, csrf, db, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    configure_config(app, config)
    configure_extensions(app)
    configure_core_blueprints(app)
    configure_plugins(app)
    configure_web(app)
    hooks.app_created.send(app)
    return app


def configure_config(app: Flask, overrides: dict | None) -> None:
    from .config import from_environment

    app.config.from_mapping(from_environment(app.instance_path))
    if overrides:
        app.config.update(overrides)
    app.extensions["convergence.hooks"] = {}


def configure_extensions(app: Flask) -> None:
    from .i18n import select_locale, select_timezone
    from .migrations_config import configure_alembic

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    migrate.configure(configure_alembic)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"

    from .accounts.session import load_user
    from .i18n import LOGIN_MESSAGE, login_message

    login_manager.login_message = LOGIN_MESSAGE
    login_manager.user_loader(load_user)
    login_manager.localize_callback = login_message


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent / "migrations"


def configure_core_blueprints(app: Flask) -> None:
    from .accounts.blueprint import bp as accounts
    from .assemblies.blueprint import bp as assemblies
    from .circles.blueprint import bp as circles
    from .communes.blueprint import bp as communes
    from .invitations.blueprint import bp as invitations
    from .web.blueprint import bp as web

    for blueprint in (web, accounts, communes, assemblies, circles, invitations):
        app.register_blueprint(blueprint)

    from .cli import register_commands

    register_commands(app)


def configure_plugins(app: Flask) -> None:
    from .plugin_engine import load_plugins

    load_plugins(app)


def configure_web(app: Flask) -> None:
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    from .web.errors import register_error_handlers
    from .web.security import register_security_headers
    from .web.templating import register_template_helpers

    register_error_handlers(app)
    register_security_headers(app)
    register_template_helpers(app)
