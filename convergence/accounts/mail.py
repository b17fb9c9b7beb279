"""Outgoing mail, sent by the task queue once the request's transaction has committed:
SMTP when configured, the log otherwise (development). The request never waits on the
mail server, and a request that rolls back sends nothing (see ``convergence.tasks``)."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from .. import tasks

log = logging.getLogger("convergence.mail")


def send_mail(to: str, subject: str, body: str) -> None:
    """Send after the commit (in the worker; in-process with ``TASK_QUEUE=immediate``)."""
    tasks.defer(deliver_mail, to, subject, body)


@tasks.task(retries=5, retry_delay=60)
def deliver_mail(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not config.get("MAIL_SERVER"):
        log.info("mail (no MAIL_SERVER set, not sent)\nTo: %s\nSubject: %s\n\n%s", to, subject, body)
        current_app.extensions.setdefault("convergence.outbox", []).append(message)
        _write_to_mail_folder(message)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _write_to_mail_folder(message: EmailMessage) -> None:
    """Without a mail server, MAIL_FOLDER (when set) keeps each mail as an .eml file: what
    a worker process sent can be read from another process (development, tests)."""
    import uuid
    from pathlib import Path

    folder = current_app.config.get("MAIL_FOLDER")
    if not folder:
        return
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    name = path / f"{uuid.uuid4().hex}.eml"
    name.with_suffix(".tmp").write_bytes(message.as_bytes())
    name.with_suffix(".tmp").rename(name)  # a reader never sees half a mail
