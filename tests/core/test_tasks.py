"""The task queue: work deferred in a transaction goes out after its commit, never after
a rollback; a failing task is logged and retried (convergence/tasks.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from convergence import tasks
from convergence.accounts.mail import send_mail
from convergence.extensions import db
from convergence.models import User
from convergence.models.base import utcnow


def outbox(app) -> list:
    return app.extensions.setdefault("convergence.outbox", [])


@pytest.mark.parametrize("setting, url, mode", [
    ("auto", "", tasks.IMMEDIATE),
    ("auto", "redis://127.0.0.1:6379/1", tasks.REDIS),
    ("auto", "postgresql://postgres@127.0.0.1/convergence", tasks.POSTGRESQL),
    ("immediate", "redis://127.0.0.1:6379/1", tasks.IMMEDIATE),
    ("redis", "redis://queue:6379/0", tasks.REDIS),
])
def test_the_queue_follows_the_settings(setting, url, mode):
    assert tasks.resolve_mode(setting, url) == mode


@pytest.mark.parametrize("setting, url", [("rabbit", ""), ("redis", ""), ("auto", "amqp://broker")])
def test_a_wrong_setting_is_refused_at_start(setting, url):
    with pytest.raises(ValueError):
        tasks.resolve_mode(setting, url)


def test_a_mail_goes_out_after_the_commit_not_before(app, make):
    make.user(email="someone@example.org")
    user = db.session.scalar(db.select(User).where(User.email == "someone@example.org"))
    user.display_name = "Renamed"
    send_mail(user.email, "Subject", "Body")
    assert outbox(app) == []
    db.session.commit()
    assert [(m["To"], m["Subject"]) for m in outbox(app)] == [("someone@example.org", "Subject")]


def test_a_rolled_back_transaction_sends_no_mail(app, make):
    make.user(email="someone@example.org")
    user = db.session.scalar(db.select(User).where(User.email == "someone@example.org"))
    user.display_name = "Renamed"
    db.session.flush()
    send_mail(user.email, "Subject", "Body")
    db.session.rollback()
    db.session.commit()  # a later commit does not bring it back
    assert outbox(app) == []
    assert db.session.scalar(db.select(User.display_name).where(User.email == "someone@example.org")) != "Renamed"


def test_an_object_added_then_rolled_back_sends_no_mail(app):
    db.session.add(User(email="new@example.org", display_name="New", locale="fr"))
    send_mail("new@example.org", "Subject", "Body")
    db.session.rollback()
    assert outbox(app) == []


def test_a_request_that_only_read_sends_its_mail_when_it_ends(app, client, make):
    """The reset-password request writes nothing: its mail goes when its session closes."""
    from tests.fixtures import csrf_token

    make.user(email="someone@example.org")
    response = client.post("/compte/mot-de-passe", data={
        "csrf_token": csrf_token(client, "/compte/mot-de-passe"), "email": "someone@example.org"})
    assert response.status_code == 302
    assert [m["To"] for m in outbox(app)] == ["someone@example.org"]


calls: list[str] = []


@tasks.task(retries=1, retry_delay=60)
def flaky(word: str) -> None:
    calls.append(word)
    if len(calls) == 1:
        raise RuntimeError("the mail server is away")


def test_a_failing_task_is_logged_and_retried_later(app, caplog):
    calls.clear()
    with caplog.at_level(logging.WARNING, logger="convergence.tasks"):
        tasks.defer(flaky, "hello")
        db.session.commit()
    assert calls == ["hello"]
    assert "flaky" in caplog.text and "1 retries left" in caplog.text
    tasks.run_scheduled(utcnow() + timedelta(seconds=30))  # not due yet
    assert calls == ["hello"]
    tasks.run_scheduled(utcnow() + timedelta(seconds=61))
    assert calls == ["hello", "hello"]


@tasks.task(retries=1, retry_delay=60)
def always_fails(word: str) -> None:
    calls.append(word)
    raise RuntimeError("the mail server is away")


def test_a_task_that_keeps_failing_is_logged_as_given_up(app, caplog):
    calls.clear()
    with caplog.at_level(logging.WARNING, logger="convergence.tasks"):
        tasks.defer(always_fails, "again")
        db.session.commit()
        tasks.run_scheduled(utcnow() + timedelta(seconds=61))
    assert calls == ["again", "again"]
    errors = [r for r in caplog.records if r.name == "convergence.tasks" and r.levelno == logging.ERROR]
    assert len(errors) == 1 and "always_fails" in errors[0].getMessage()
    assert "failed for good" in errors[0].getMessage()


def test_the_worker_command_needs_a_queue(runner):
    result = runner.invoke(args=["worker"])
    assert result.exit_code != 0 and "TASK_QUEUE_URL" in result.output


def test_the_development_server_closes_votes_on_time_in_process(tmp_path):
    """`make run` needs no worker: the serving process runs Huey's scheduler in a thread.
    In a process of its own, as its threads would outlive the test."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-m", "tests.core.in_process_worker_script", str(tmp_path)], cwd=root, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "TASK_QUEUE": "auto", "TASK_QUEUE_URL": ""})
    assert result.stdout.strip().endswith("CLOSED"), result.stdout + result.stderr[-3000:]
