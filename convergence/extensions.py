"""Flask extensions, created unbound and initialised by the app factory."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
import flask_sqlalchemy.session
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

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
    """Runs what was queued with :func:`after_commit` once the commit has returned: signals
    announced there may read and write through the session (a new transaction)."""

    def commit(self) -> None:
        super().commit()
        while self.info.get(AFTER_COMMIT):
            self.info[AFTER_COMMIT].pop(0)()


AFTER_COMMIT = "convergence_after_commit"


def after_commit(session, function) -> None:
    """Run ``function()`` once the commit in progress has returned. Called from an
    ``after_commit`` listener (convergence/spaces.py, membership_events.py): what they
    noted during the transaction is announced only if it was committed."""
    session.info.setdefault(AFTER_COMMIT, []).append(function)


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
