"""Under `make run` (the development server on SQLite, no MAIL_SERVER), a mail is printed to
the console, where the README says it goes: the reset link and an invitation link can be
copied from there. Before issue 14 item 8 the mail was logged at INFO, which Python drops
unless told otherwise: the console showed nothing.

The real thing: `convergence db-upgrade`, `create-admin` and `convergence run` as
subprocesses, the reset asked through HTTP with the form's CSRF token."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.fixtures import wait_until

ROOT = Path(__file__).resolve().parents[2]
CONVERGENCE = Path(sys.executable).parent / "convergence"
HIDDEN = re.compile(r'<input(?=[^>]*type="hidden")[^>]*>')
NAME, VALUE = re.compile(r'name="([^"]+)"'), re.compile(r'value="([^"]*)"')

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(tmp_path: Path, port: int) -> dict:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("MAIL_", "TASK_QUEUE", "TEST_", "DATABASE_URL"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'dev.db'}", SECRET_KEY="dev-mail-test",
               PUBLIC_URL=f"http://127.0.0.1:{port}", LIVE_BACKEND="memory")
    return env


def _form_post(session: requests.Session, url: str, action: str | None = None, **fields) -> requests.Response:
    """Fill the form of the page at ``url`` as a browser would: its hidden fields (the CSRF
    token, the single-use form token …) and ``fields``, sent to ``action`` (default: ``url``)."""
    page = session.get(url, timeout=10).text
    hidden = {}
    for tag in HIDDEN.findall(page):
        name, value = NAME.search(tag), VALUE.search(tag)
        if name and name.group(1) not in ("lang", "next"):  # the language switch's own fields
            hidden[name.group(1)] = value.group(1) if value else ""
    return session.post(action or url, data={**hidden, **fields}, timeout=10, allow_redirects=False)


def test_a_reset_mail_and_an_invitation_are_printed_on_the_console_of_make_run(tmp_path):
    port = _free_port()
    env = _environment(tmp_path, port)
    for args in (["db-upgrade"], ["create-admin", "--email", "alice@example.org", "--name", "Alice",
                                  "--password", "un-secret-solide"]):
        done = subprocess.run([str(CONVERGENCE), *args], env=env, cwd=ROOT, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
    log_path = tmp_path / "console.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([str(CONVERGENCE), "run", "--port", str(port)], env=env, cwd=ROOT,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def console() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")

    try:
        def answers() -> bool:
            try:
                return requests.get(f"{base}/healthz", timeout=2).ok
            except requests.ConnectionError:
                return server.poll() is not None  # stop waiting if it died; asserted below
        wait_until(answers, timeout=60, message=console)
        assert server.poll() is None, console()

        visitor = requests.Session()
        assert _form_post(visitor, f"{base}/compte/mot-de-passe", email="alice@example.org").status_code == 302
        link = wait_until(lambda: re.search(rf"{re.escape(base)}/compte/mot-de-passe/\S+", console()),
                          timeout=20, message=console)
        assert "To: alice@example.org" in console()
        # The printed link is the real one: it opens the page where a new password is chosen.
        assert visitor.get(link.group(0), timeout=10).status_code == 200

        # A facilitator's invitation, printed the same way.
        admin = requests.Session()
        assert _form_post(admin, f"{base}/compte/connexion", email="alice@example.org",
                          password="un-secret-solide").status_code == 302
        created = _form_post(admin, f"{base}/communes/nouvelle", name="Essai", kind="commune", slug="essai",
                             description="")
        assert created.status_code == 302, created.text[-2000:]
        invited = _form_post(admin, f"{base}/communes/essai/membres", f"{base}/communes/essai/membres/roles",
                             email="bob@example.org", role="facilitator")
        assert invited.status_code in (200, 302), invited.text[-2000:]
        wait_until(lambda: "To: bob@example.org" in console(), timeout=20, message=console)
        assert re.search(rf"{re.escape(base)}/\S+", console().split("To: bob@example.org", 1)[1])
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
