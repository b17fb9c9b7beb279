"""The ``convergence`` command: the Flask CLI of the app, with the core's commands."""

from __future__ import annotations

import getpass
import json

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext


def _create_app():
    from .app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main():
    """Convergence: communal convergence assemblies."""


def register_commands(app: Flask) -> None:
    for command in (db_upgrade, create_admin, load_demo, live_publish, check_plugins):
        app.cli.add_command(command)


@click.command("db-upgrade")
@with_appcontext
def db_upgrade():
    """Build or upgrade the schema (core and every enabled plug-in's branch)."""
    from flask_migrate import upgrade

    upgrade(revision="heads")
    click.echo("database up to date")


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt="Name")
@click.option("--password", default=None, help="Read from a prompt when not given.")
@with_appcontext
def create_admin(email: str, display_name: str, password: str | None):
    """Create a site administrator (or make an existing account one)."""
    from .extensions import db
    from .models import User

    email = email.strip().lower()
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        password = password or getpass.getpass("Password: ")
        if len(password) < 10:
            raise click.BadParameter("at least 10 characters", param_hint="password")
        user = User(email=email, display_name=display_name, locale="fr")
        user.set_password(password)
        db.session.add(user)
    user.is_admin = True
    db.session.commit()
    click.echo(f"administrator: {email}")


@click.command("load-demo")
@click.option("--password", default="convergence-demo", show_default=True,
              help="Password of every demo account.")
@with_appcontext
def load_demo(password: str):
    """Load the French demo (idempotent: does nothing when it is already there)."""
    from .demo import load

    for line in load(password):
        click.echo(line)


@click.command("live-publish")
@click.argument("space")
@click.argument("event")
@click.argument("data", default="{}")
@with_appcontext
def live_publish(space: str, event: str, data: str):
    """Publish EVENT with JSON DATA on a space's live channel (operations, tests). SPACE:
    KIND:ID (``assembly:3``, ``circle:2``, ``commune:1``, or ``space:12`` for the space's own
    id), or a bare number: an assembly."""
    from .extensions import db
    from .live import publish
    from .models import Space
    from .spaces import space_kinds

    try:
        payload = json.loads(data)
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"not JSON: {error}", param_hint="DATA") from error
    kind, _sep, number = space.rpartition(":")
    kind = kind or "assembly"
    if not (number.isascii() and number.isdigit()):
        raise click.BadParameter(f"not KIND:ID: {space!r}", param_hint="SPACE")
    if kind == "space":
        target = db.session.get(Space, int(number))
    elif kind in space_kinds():
        target = db.session.get(space_kinds()[kind].model, int(number))
    else:
        raise click.BadParameter(f"unknown kind {kind!r}", param_hint="SPACE")
    if target is None:
        raise click.BadParameter(f"no {kind} {number}", param_hint="SPACE")
    publish(target, event, payload)
    click.echo("published")


@click.command("plugins")
@with_appcontext
def check_plugins():
    """List installed plug-ins and which are enabled."""
    from .plugin_engine import discover, enabled_plugins

    enabled = enabled_plugins()
    for name in sorted(discover()):
        click.echo(f"{name}\t{'enabled' if name in enabled else 'installed, not enabled'}")


if __name__ == "__main__":
    main()
