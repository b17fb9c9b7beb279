"""Server time of a registration POST when the mail server is slow: the confirmation mail
sent inside the request (no queue: TASK_QUEUE=immediate, as every mail was sent before
the task queue) against the mail deferred to the worker's queue (Redis).

    .venv/bin/python bench/registration_mail.py [--runs 30] [--smtp-delay 0.3]

A local SMTP sink on 127.0.0.1 answers every command at once and waits ``--smtp-delay``
seconds before accepting a message's data (a remote provider over TLS often takes that
long). Each run posts one registration through the Flask test client (server time only)
on a fresh SQLite database, and prints p50/p95 for each mode. With the queue, the mail is
then delivered by the worker (not started here: only the request is timed; the queue is
emptied at the end).
"""

from __future__ import annotations

import argparse
import socketserver
import statistics
import tempfile
import threading
import time


class SlowSmtp(socketserver.StreamRequestHandler):
    delay = 0.3

    def handle(self):
        self.wfile.write(b"220 bench ESMTP\r\n")
        in_data = False
        for line in self.rfile:
            if in_data:
                if line in (b".\r\n", b".\n"):
                    in_data = False
                    time.sleep(self.delay)  # the provider's answer, not synchronisation
                    self.wfile.write(b"250 queued\r\n")
                continue
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 bench\r\n")
            elif verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def time_registrations(config: dict, runs: int) -> list[float]:
    from flask_migrate import upgrade

    from convergence.app import create_app

    folder = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite", "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "TESTING": True, **config})
    with app.app_context():
        upgrade(revision="heads")
    client = app.test_client()
    client.get("/compte/inscription")  # warm up: templates, first connection
    timings = []
    for n in range(runs):
        data = {"display_name": f"Personne {n}", "email": f"personne{n}@example.org",
                "password": "un mot de passe assez long", "confirm": "un mot de passe assez long", "locale": "fr"}
        start = time.perf_counter()
        response = client.post("/compte/inscription", data=data)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 302, response.data[:500]
    return timings


def summary(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--smtp-delay", type=float, default=0.3)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    SlowSmtp.delay = args.smtp_delay
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SlowSmtp)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    mail = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": server.server_address[1], "MAIL_USE_TLS": False}
    inline = time_registrations({**mail, "TASK_QUEUE": "immediate"}, args.runs)
    queued = time_registrations({**mail, "TASK_QUEUE": "redis", "TASK_QUEUE_URL": args.redis_url}, args.runs)
    from convergence import tasks

    tasks.huey.storage.flush_all()
    server.shutdown()
    print(f"SMTP answers after {args.smtp_delay:g} s; {args.runs} registrations each")
    print(f"mail inside the request (no queue): {summary(inline)}")
    print(f"mail deferred to the worker (Redis): {summary(queued)}")


if __name__ == "__main__":
    main()
