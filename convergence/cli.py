"""The ``convergence`` command: the Flask CLI of the app, with the core's commands."""

from __future__ import annotations

import getpass
import json

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo, pass_script_info, with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext


def _create_app():
    from .app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main():
    """Convergence: communal convergence assemblies."""


def register_commands(app: Flask) -> None:
    for command in (db_upgrade, create_admin, load_demo, live_publish, check_plugins, worker, advance_phases,
                    journal_verify, serve):
        app.cli.add_command(command)


@click.command("db-upgrade")
@with_appcontext
def db_upgrade():
    """Build or upgrade the schema (core and every enabled plug-in's branch)."""
    from flask_migrate import upgrade

    upgrade(revision="heads")
    click.echo(_("Database up to date."))


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
            raise click.BadParameter(_("at least 10 characters"), param_hint="password")
        user = User(email=email, display_name=display_name, locale="fr")
        user.set_password(password)
        db.session.add(user)
    user.is_admin = True
    db.session.commit()
    click.echo(_("Site administrator: %(email)s", email=email))


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
        raise click.BadParameter(_("not JSON: %(error)s", error=error), param_hint="DATA") from error
    kind, _sep, number = space.rpartition(":")
    kind = kind or "assembly"
    if not (number.isascii() and number.isdigit()):
        raise click.BadParameter(_("not KIND:ID: %(space)r", space=space), param_hint="SPACE")
    if kind == "space":
        target = db.session.get(Space, int(number))
    elif kind in space_kinds():
        target = db.session.get(space_kinds()[kind].model, int(number))
    else:
        raise click.BadParameter(_("unknown kind %(kind)r", kind=kind), param_hint="SPACE")
    if target is None:
        raise click.BadParameter(_("no %(kind)s %(number)s", kind=kind, number=number), param_hint="SPACE")
    publish(target, event, payload)
    click.echo(_("Published."))


@click.command("plugins")
@with_appcontext
def check_plugins():
    """List installed plug-ins and which are enabled."""
    from .plugin_engine import discover, enabled_plugins

    enabled = enabled_plugins()
    for name in sorted(discover()):
        state = _("enabled") if name in enabled else _("installed, not enabled")
        click.echo(f"{name}\t{state}")


@click.command("worker")
@click.option("--threads", default=2, show_default=True, help="Tasks run at once.")
@with_appcontext
def worker(threads: int):
    """Run deferred work (mail, votes closing at their time): Huey's consumer on the queue
    TASK_QUEUE_URL names. Stops on SIGINT (after the running tasks) or SIGTERM."""
    import logging

    from flask import current_app

    from . import tasks

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        tasks.run_worker(current_app._get_current_object(), workers=threads)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error


@click.command("advance-phases")
@with_appcontext
def advance_phases():
    """Record every timed transition whose time has passed (what the worker does each
    minute; for a site run without a worker, e.g. from cron)."""
    from .phases import advance_due

    done = advance_due.call_local()
    click.echo(ngettext("%(num)d transition recorded", "%(num)d transitions recorded", done))


@click.command("journal-verify")
@click.option("--commune", "slug", default=None, help="Only this commune's journal (its slug).")
@with_appcontext
def journal_verify(slug: str | None):
    """Recompute the hash chain of the journal of decisions: every commune's and the one of
    the acts without a commune, or one commune's. Exit status 1 at the first broken entry
    (its number in its chain on stderr)."""
    from . import audit
    from .extensions import db
    from .models import Commune

    query = db.select(Commune.id, Commune.slug).order_by(Commune.id)
    communes = db.session.execute(query.where(Commune.slug == slug) if slug else query).all()
    if slug and not communes:
        raise click.ClickException(_("No commune « %(slug)s ».", slug=slug))
    chains = [(commune_id, commune_slug) for commune_id, commune_slug in communes]
    if not slug:
        chains.append((None, None))
    broken = False
    for commune_id, commune_slug in chains:
        verdict = audit.verify(commune_id)
        name = commune_slug or _("acts without a commune")
        if verdict.intact:
            click.echo(ngettext("%(name)s: %(num)d act, chain intact", "%(name)s: %(num)d acts, chain intact",
                                verdict.count, name=name))
        else:
            broken = True
            click.echo(_("%(name)s: chain broken at entry no. %(place)d (%(reason)s)", name=name,
                         place=verdict.broken, reason=audit.REASONS.get(verdict.reason, verdict.reason)), err=True)
    if broken:
        raise SystemExit(1)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@pass_script_info
def serve(info: ScriptInfo, host: str, port: int):
    """Serve the site to try it (what `make run` does): the development server, one
    process, its messages in the platform's language. In production: deploy/README.md."""
    from werkzeug.serving import make_server

    app = info.load_app()
    with app.app_context():
        # Werkzeug answers a port in use in English and exits: asked first, to say it here.
        if not _can_listen(host, port):
            click.echo(_("Cannot serve on %(host)s:%(port)d: is another server running there? Stop it, or "
                         "choose another port: make run PORT=5001", host=host, port=port), err=True)
            raise SystemExit(1)
        server = make_server(host, port, app, threaded=True)  # threads: the live pages stay open
        address = f"http://{host}:{port}"
        click.echo(_("Convergence is served on %(address)s: open it in a browser. Ctrl+C stops it.",
                     address=address))
        click.echo(_("(A development server, to try the platform; for a site in production, see "
                     "deploy/README.md.)"))
        stopped = _("Stopped.")
    try:
        server.serve_forever()  # returns on Ctrl+C (Werkzeug takes the KeyboardInterrupt)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    click.echo(stopped)


def _can_listen(host: str, port: int) -> bool:
    import socket

    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            probe.bind(address)
    except OSError:
        return False
    return True


if __name__ == "__main__":
    main()
