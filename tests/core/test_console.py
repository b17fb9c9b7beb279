"""What `make run` and the `convergence` command print speaks French (the platform's
language; a command has no visitor to ask)."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_commands_answer_in_french(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["advance-phases"])
    assert result.exit_code == 0 and result.output.strip() == "0 passage d'étape enregistré"
    result = runner.invoke(args=["plugins"])
    assert "mj\tactivé" in result.output and "example\tinstallé, non activé" in result.output
    result = runner.invoke(args=["live-publish", "salle:3", "ping"])
    assert result.exit_code != 0
    assert "type inconnu\u202f: 'salle'" in result.output


def test_serving_on_a_port_in_use_says_so_in_french(app):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = app.test_cli_runner().invoke(args=["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"Impossible de servir sur 127.0.0.1:{port}\u202f: un autre serveur y tourne-t-il\u202f?" in result.output
    assert "in use" not in result.output  # Werkzeug's own English message is not reached


def test_make_run_serves_with_the_french_command_and_echoes_french():
    # `make -n` prints the recipe without running it: what `make run` will do and say.
    recipe = subprocess.run(["make", "-n", "-B", "run"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "convergence serve --host 127.0.0.1 --port 5000" in recipe
    assert "Traductions compilées" in recipe and "Installation de Convergence" in recipe
    assert "convergence run " not in recipe
