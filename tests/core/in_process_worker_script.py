"""Run by test_tasks.py in a process of its own: the development server's in-process worker
(TASK_QUEUE unset, SQLite) closes a vote at its deadline with no page read. Prints CLOSED."""

from __future__ import annotations

import sys
from datetime import timedelta

from flask_migrate import upgrade

from convergence import tasks
from convergence.app import create_app
from convergence.extensions import db
from convergence.models import Assembly, Commune
from convergence.models.base import utcnow
from tests.fixtures import wait_until


def main(folder: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/dev.sqlite", "SECRET_KEY": "dev"})
    assert not app.testing and app.extensions["convergence.tasks"] == tasks.IMMEDIATE
    with app.app_context():
        upgrade(revision="heads")
        commune = Commune(slug="c", name="C")
        db.session.add(commune)
        db.session.flush()
        assembly = Assembly(commune_id=commune.id, title="A", starts_at=utcnow(), status="open")
        db.session.add(assembly)
        db.session.commit()
        app.test_client().get("/")  # the first request starts the worker's threads
        from plugins.mj import api
        from plugins.mj.models import Vote

        vote = api.create_vote(assembly, "Q ?", ["A", "B"], opens_at=utcnow() - timedelta(minutes=1),
                               closes_at=utcnow() + timedelta(seconds=1))

        def closed() -> bool:
            db.session.rollback()  # read what the worker's thread committed
            return db.session.get(Vote, vote.id, populate_existing=True).announced == "closed"

        wait_until(closed, timeout=20, message="the in-process worker did not close the vote")
        print("CLOSED")


if __name__ == "__main__":
    main(sys.argv[1])
