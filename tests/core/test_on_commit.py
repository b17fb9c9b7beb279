"""The one after-commit queue (convergence/extensions.py): what a transaction queued runs
once its commit has returned — and may then use the session — and never when it rolls
back or ends without a commit."""

from __future__ import annotations

from convergence.extensions import db, on_commit
from convergence.models import Commune


def test_queued_work_runs_after_the_commit_only(app):
    ran = []
    with app.app_context():
        db.session.add(Commune(slug="queue", name="File", kind="commune"))
        on_commit(db.session, lambda: ran.append(db.session.scalar(db.select(Commune.name))))
        assert ran == []
        db.session.commit()
        assert ran == ["File"]  # after the commit, with the session usable
        db.session.commit()
        assert ran == ["File"]  # once

        db.session.add(Commune(slug="perdue", name="Perdue", kind="commune"))
        on_commit(db.session, lambda: ran.append("rolled back"))
        db.session.rollback()
        db.session.commit()
        assert ran == ["File"]

        db.session.scalar(db.select(Commune.id))
        on_commit(db.session, lambda: ran.append("closed"))
        db.session.close()  # the transaction ends without a commit (end of a request)
        db.session.add(Commune(slug="apres", name="Après", kind="commune"))
        db.session.commit()
        assert ran == ["File"]


def test_a_space_is_announced_after_its_commit_and_not_after_a_rollback(app):
    from convergence import hooks

    seen = []

    def created(space):
        seen.append(space.kind)

    hooks.space_created.connect(created)
    try:
        with app.app_context():
            db.session.add(Commune(slug="annulee", name="Annulée", kind="commune"))
            db.session.flush()
            db.session.rollback()
            assert seen == []
            db.session.add(Commune(slug="gardee", name="Gardée", kind="commune"))
            db.session.flush()
            assert seen == []
            db.session.commit()
            assert seen == ["commune"]
    finally:
        hooks.space_created.disconnect(created)
