"""Flask extensions, created unbound and initialised by the app factory."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
import flask_sqlalchemy.session
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Session as OrmSession

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Session(flask_sqlalchemy.session.Session):
    """The app's session: what was queued with :func:`on_commit` runs once the commit has
    returned, so that signals announced there may read and write through the session (a
    new transaction); a transaction that ends without committing drops its queue."""

    def commit(self) -> None:
        super().commit()
        ready = self.info.get(_READY)
        while ready:
            ready.pop(0)()


_QUEUED = "convergence_on_commit"
_READY = "convergence_on_commit_ready"


def on_commit(session, function) -> None:
    """Run ``function()`` once the transaction in progress has committed, and never if it
    rolls back (or ends without a commit). The one after-commit queue: new spaces
    (convergence/spaces.py), membership changes (membership_events.py) and deferred tasks
    (tasks.py) announce through it."""
    session.info.setdefault(_QUEUED, []).append(function)


@event.listens_for(OrmSession, "after_commit")
def _committed(session) -> None:
    # SQL may not run inside the ``after_commit`` event: the queue runs once commit() returns.
    queued = session.info.pop(_QUEUED, None)
    if queued:
        session.info.setdefault(_READY, []).extend(queued)


@event.listens_for(OrmSession, "after_transaction_end")
def _ended(session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction: rolled back, or closed unused
        session.info.pop(_QUEUED, None)


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
