"""The real worker process (`convergence worker`) against Redis and against PostgreSQL:
a mail deferred by the app is written by the worker, and a vote closes at its deadline
with no page read (deploy/README.md says how production runs it).

Needs PostgreSQL (TEST_DATABASE_URL; the worker and this test share the test database)
and, for the Redis case, Redis (127.0.0.1:6379 or TEST_REDIS_URL): skipped without them,
failed in CI."""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from convergence import tasks
from convergence.extensions import db
from convergence.models.base import utcnow
from tests.fixtures import make_test_app, require_postgres, require_redis, wait_until

ROOT = Path(__file__).resolve().parents[2]
CONVERGENCE = Path(sys.executable).parent / "convergence"

pytestmark = [pytest.mark.server, pytest.mark.postgres]


def _queue_url(queue: str, database_url: str) -> str:
    if queue == "redis":
        return require_redis().rsplit("/", 1)[0] + "/14"  # a Redis database of the tests' own
    return database_url


@contextmanager
def worker_process(env: dict, log_path: Path):
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([str(CONVERGENCE), "worker", "--threads", "2"], env=env, cwd=ROOT,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until(lambda: b"consumer started" in log_path.read_bytes() or proc.poll() is not None,
                   timeout=30, message=lambda: log_path.read_text()[-3000:])
        assert proc.poll() is None, f"the worker exited:\n{log_path.read_text()[-3000:]}"
        yield proc
    finally:
        proc.send_signal(signal.SIGINT)  # graceful: finish the running tasks
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.mark.parametrize("queue", ["redis", "postgresql"])
def test_the_worker_process_sends_mail_and_closes_a_vote_at_its_deadline(app, make, tmp_path, queue):
    from convergence.accounts.mail import send_mail
    from convergence.models import PhaseTransition
    from plugins.mj import api
    from plugins.mj.models import Vote

    database_url = require_postgres()
    queue_url = _queue_url(queue, database_url)
    commune = make.commune()
    assembly_id = make.assembly(commune, status="open").id
    mail_folder = tmp_path / "mail"
    env = dict(os.environ, DATABASE_URL=database_url, TASK_QUEUE_URL=queue_url, MAIL_FOLDER=str(mail_folder),
               SECRET_KEY="tests", PUBLIC_URL="http://localhost")
    env.pop("TASK_QUEUE", None)
    queued = make_test_app(database_url, TASK_QUEUE=queue, TASK_QUEUE_URL=queue_url)
    try:
        with queued.app_context():
            tasks.huey.storage.flush_all()  # nothing left over from an earlier run
            with worker_process(env, tmp_path / "worker.log") as proc:
                def log() -> str:
                    return (tmp_path / "worker.log").read_text()[-3000:]

                send_mail("someone@example.org", "Bonjour", "Un message du worker.")
                db.session.commit()
                mails = wait_until(lambda: list(mail_folder.glob("*.eml")), timeout=20, message=log)
                message = email.message_from_bytes(mails[0].read_bytes())
                assert (message["To"], message["Subject"]) == ("someone@example.org", "Bonjour")

                from convergence.models import Assembly

                vote = api.create_vote(db.session.get(Assembly, assembly_id), "Q ?", ["A", "B"],
                                       opens_at=utcnow() - timedelta(minutes=1),
                                       closes_at=utcnow() + timedelta(seconds=1))
                vote_id = vote.id
                assert vote.announced == "open"

                def closed() -> bool:
                    db.session.rollback()  # read what the worker committed
                    return db.session.get(Vote, vote_id, populate_existing=True).announced == "closed"

                wait_until(closed, timeout=30, message=log)
                assert proc.poll() is None
                assert db.session.get(Vote, vote_id).chain_head is not None
                assert db.session.execute(db.select(PhaseTransition.to_state).where(
                    PhaseTransition.subject_id == vote_id)).scalars().all() == ["closed"]
            tasks.huey.storage.flush_all()
    finally:
        tasks.init_app(app)  # this process's queue back to in-process for the other tests
