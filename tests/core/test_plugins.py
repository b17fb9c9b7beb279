"""The plug-in system: discovery by entry point, enabling by configuration, switching per
assembly as data, hooks — proven with the separate example distribution."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from convergence import hooks, permissions
from convergence.extensions import db
from convergence.models import SpaceFeature, AuditEntry
from convergence.plugin_engine import Plugin
from tests.fixtures import csrf_token, login, make_test_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "example_plugin"


def test_core_never_imports_a_plugin():
    offenders = []
    for path in (ROOT / "convergence").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("import plugins", "from plugins")) or "import_module(\"plugins" in stripped:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_every_hook_is_documented_and_unknown_hooks_are_refused(app):
    assert all(doc.strip() for _args, doc in hooks.HOOKS.values())
    with pytest.raises(KeyError):
        hooks.connect(app, "no-such-hook", lambda: [], "x")


def test_installed_but_not_enabled_plugin_is_not_loaded(test_database_url):
    app = make_test_app(test_database_url, PLUGINS=[])
    assert app.extensions["convergence.plugins"] == {}


def test_enabling_an_unknown_plugin_fails_clearly(test_database_url):
    with pytest.raises(RuntimeError, match="not installed"):
        make_test_app(test_database_url, PLUGINS=["absent"])


def test_pip_install_example_plugin_adds_a_page(tmp_path):
    """`pip install -e tests/example_plugin` then enabling it adds a page, core unchanged."""
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", str(EXAMPLE)],
        capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    # A fresh interpreter sees the new entry point, as a restarted server would.
    script = textwrap.dedent(f"""
        from convergence.testing import Factory, make_test_app, migrate, visible_text
        from convergence.extensions import db
        from convergence.models import SpaceFeature
        # A database of its own, migrated for the example's branch too (its own tests run on
        # both database systems: tests/example_plugin/tests).
        url = {f"sqlite:///{tmp_path / 'example.sqlite'}"!r}
        migrate(url, ["example"])
        app = make_test_app(url, PLUGINS=["example"])
        with app.app_context():
            make = Factory(app)
            assembly = make.assembly(make.commune())
            client = app.test_client()
            page = client.get(f"/assemblees/{{assembly.id}}")
            assert f"/assemblees/{{assembly.id}}/exemple" in page.get_data(as_text=True)
            hello = client.get(f"/assemblees/{{assembly.id}}/exemple")
            assert hello.status_code == 200, hello.status_code
            assert "Bonjour depuis le plug-in d'exemple" in visible_text(hello)
            # Switched off in this assembly (data): the page and the menu entry go away.
            db.session.add(SpaceFeature(space_id=assembly.space_id, plugin_name="example", active=False))
            db.session.commit()
            assert client.get(f"/assemblees/{{assembly.id}}/exemple").status_code == 404
            assert "/exemple" not in client.get(f"/assemblees/{{assembly.id}}").get_data(as_text=True)
            print("EXAMPLE-OK")
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert "EXAMPLE-OK" in run.stdout, run.stdout + run.stderr


class _Recorder(Plugin):
    name = "recorder"
    title = "Recorder"

    def init(self):
        self.connect_hook("assembly-nav", lambda assembly: [("Enregistreur", f"/rec/{assembly.id}")])
        self.connect_hook("agenda-item-kinds", lambda: [("vote_test", "Vote de test")])


def test_admin_switches_plugin_per_assembly_with_audit(test_database_url):
    app = make_test_app(test_database_url, PLUGINS=[])
    # Loaded by hand here: the entry-point path is covered by the example distribution above.
    plugin = _Recorder(app)
    app.extensions["convergence.plugins"]["recorder"] = plugin
    plugin.init()
    with app.app_context():
        from tests.fixtures import Factory, _empty_all_tables

        try:
            make = Factory(app)
            commune = make.commune()
            assembly = make.assembly(commune)
            admin = make.user()
            make.role(admin, "admin", commune=commune)
            client = app.test_client()
            assert "/rec/" in client.get(f"/assemblees/{assembly.id}").get_data(as_text=True)
            login(client, admin)
            agenda = client.get(f"/assemblees/{assembly.id}/ordre-du-jour").get_data(as_text=True)
            assert 'value="vote_test"' in agenda
            url = f"/assemblees/{assembly.id}/outils"
            response = client.post(url, data={"csrf_token": csrf_token(client, url)})  # every box unticked
            assert response.status_code == 302
            row = db.session.get(SpaceFeature, (assembly.space_id, "recorder"))
            assert row.active is False
            assert "/rec/" not in client.get(f"/assemblees/{assembly.id}").get_data(as_text=True)
            entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "plugin.switched"))
            assert entry.details == {"plugin": "recorder", "active": False}
        finally:
            _empty_all_tables(app)


def test_permission_rules_are_registered_once():
    with pytest.raises(ValueError):
        permissions.rule("assembly.view")(lambda user, target: True)
