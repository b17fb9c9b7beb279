"""Deferred work: run outside the request, in a worker process, through Huey.

Why Huey (``huey>=3.5,<4``): one library covers the three places Convergence runs —
a Redis server (``RedisStorage``), PostgreSQL alone (``PostgresStorage``: its own
``huey_*`` tables, woken by LISTEN/NOTIFY) and the SQLite demo with nothing else running
(``immediate`` mode: a task runs in the process that defers it). It has tasks scheduled
at a given time (a vote's deadline), periodic tasks (the sweep that catches any deadline
a scheduled task missed), retries with a delay, and a consumer started from Python (our
``convergence worker``). procrastinate needs PostgreSQL (its in-memory connector is for
tests) and an asyncio worker; RQ needs Redis, and its periodic ``CronScheduler`` (RQ 2.4)
is still marked beta.

Configuration (``convergence/config.py``): ``TASK_QUEUE`` = ``auto`` (default),
``immediate``, ``redis`` or ``postgresql``; ``TASK_QUEUE_URL`` names the Redis or
PostgreSQL server. ``auto`` follows the URL's scheme, and without a URL runs in-process
(``immediate``): ``make run`` needs nothing else.

**After the commit.** :func:`defer` never enqueues in the middle of a transaction: a
task waits until the transaction it was deferred in has committed, and is dropped if that
transaction rolls back with writes in it (so a refused request sends no mail). A task
deferred while no transaction is open, or in one that only read, goes out when it ends.
Huey's queues live outside the database, so this is the only way to tie them together; the
call waits in the core's after-commit queue (``convergence.extensions.on_commit``).

**Failures.** A task that raises is logged by Huey with its traceback and retried as its
decorator says (``retries``, ``retry_delay``); when it gives up, :data:`log` says so
at ERROR level with the task's name and arguments. Nothing fails silently.

**In-process worker.** In ``immediate`` mode a task scheduled for later (a deadline) is
held in memory; the development server starts Huey's own scheduler and worker threads
in its process on its first request (:func:`start_in_process_worker`), so the demo's
votes close at their deadline too. Tests run due work themselves (:func:`run_scheduled`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab, signals
from huey.storage import MemoryStorage, PostgresStorage, RedisStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("convergence.tasks")

IMMEDIATE, REDIS, POSTGRESQL = "immediate", "redis", "postgresql"
MODES = (IMMEDIATE, REDIS, POSTGRESQL)

# One Huey for the process: tasks register on it when their module is imported. Its
# storage is set from the app's configuration by init_app().
huey = Huey("convergence", immediate=True, results=False, utc=True, storage_class=MemoryStorage)
every_minute = crontab()

_worker_app: Flask | None = None
_PENDING = "convergence.tasks.pending"
_WROTE = "convergence.tasks.wrote"


def resolve_mode(setting: str, url: str) -> str:
    """The queue ``TASK_QUEUE`` and ``TASK_QUEUE_URL`` select (plain logic)."""
    if setting not in ("auto", *MODES):
        raise ValueError(f"TASK_QUEUE must be auto, {', '.join(MODES)}; not {setting!r}")
    if setting != "auto":
        if setting != IMMEDIATE and not url:
            raise ValueError(f"TASK_QUEUE={setting} needs TASK_QUEUE_URL")
        return setting
    if url.startswith(("redis://", "rediss://", "unix://")):
        return REDIS
    if url.startswith(("postgresql://", "postgres://")):
        return POSTGRESQL
    if url:
        raise ValueError(f"TASK_QUEUE_URL {url!r}: expected redis:// or postgresql://")
    return IMMEDIATE


def init_app(app: Flask) -> None:
    """Point the process's Huey at the configured queue."""
    global _worker_app
    mode = resolve_mode(app.config["TASK_QUEUE"], app.config["TASK_QUEUE_URL"])
    app.extensions["convergence.tasks"] = mode
    _worker_app = app
    url = app.config["TASK_QUEUE_URL"]
    if mode == IMMEDIATE:
        if not app.testing and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            log.warning("TASK_QUEUE_URL is not set: mail and deadlines run inside the app processes; "
                        "production runs `convergence worker` (deploy/README.md)")
        huey.storage_class, huey.storage_kwargs = MemoryStorage, {}
        huey.immediate = True
        huey.storage.flush_all()  # nothing held over from another app of this process (tests)
        return
    if mode == REDIS:
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": url}
    else:
        huey.storage_class, huey.storage_kwargs = PostgresStorage, {
            "dsn": url.replace("postgresql+psycopg://", "postgresql://", 1)}
    if huey.immediate:
        huey.immediate = False  # builds the storage
    else:
        huey.storage = huey.create_storage()


# -- declaring tasks ---------------------------------------------------------------------

def _app() -> Flask:
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        raise RuntimeError("no Convergence app: run tasks through `convergence worker`")
    return _worker_app


def task(**options):
    """Declare a task: ``@tasks.task(retries=3, retry_delay=60)``. The function runs in its
    own app context (its own database session), in the worker or, in ``immediate`` mode,
    right after the commit of the request that deferred it. Call it with :func:`defer`."""
    def declare(function):
        def run(*args, **kwargs):
            with _app().app_context():
                return function(*args, **kwargs)

        run.__name__ = run.__qualname__ = function.__name__
        run.__module__, run.__doc__ = function.__module__, function.__doc__
        return huey.task(name=function.__name__, **options)(run)
    return declare


def periodic_task(validate_datetime=every_minute, **options):
    """Declare work the worker runs on a schedule (default: every minute)."""
    def declare(function):
        def run():
            with _app().app_context():
                return function()

        run.__name__ = run.__qualname__ = function.__name__
        run.__module__, run.__doc__ = function.__module__, function.__doc__
        return huey.periodic_task(validate_datetime, name=function.__name__, **options)(run)
    return declare


# -- deferring after the commit ----------------------------------------------------------

@dataclass
class _Call:
    task: Any
    args: tuple
    kwargs: dict
    eta: datetime | None = None
    label: str = field(default="")

    def enqueue(self) -> None:
        try:
            if self.eta is None:
                self.task(*self.args, **self.kwargs)
            else:
                self.task.schedule(args=self.args, kwargs=self.kwargs, eta=_naive_utc(self.eta))
        except Exception:
            # The transaction is committed: the request must not fail now; the log names the work.
            log.exception("could not enqueue %s%r: the queue is unreachable", self.label, self.args)


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def defer(task_function, *args, eta: datetime | None = None, **kwargs) -> None:
    """Run ``task_function(*args, **kwargs)`` in the worker once the current transaction
    has committed (at ``eta``, a UTC time, if given). Arguments must be plain values (ids,
    strings): the task reads what it needs from the database again."""
    from .extensions import db, on_commit

    call = _Call(task_function, args, kwargs, eta, getattr(task_function, "name", repr(task_function)))
    session = db.session()
    if not session.in_transaction():
        call.enqueue()
        return
    if session.new or session.dirty or session.deleted:
        session.info[_WROTE] = True  # changes not flushed yet: the call follows their fate
    # The core's after-commit queue sends it; kept here too for the rule below.
    on_commit(session, call.enqueue)
    session.info.setdefault(_PENDING, []).append(call)


def _take(session: Session) -> list[_Call]:
    session.info.pop(_WROTE, None)
    return session.info.pop(_PENDING, [])


@event.listens_for(Session, "after_attach")
def _added(session, _instance):
    if session.in_transaction():
        session.info[_WROTE] = True


@event.listens_for(Session, "after_flush")
def _wrote(session, _flush_context):
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state):
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _committed(session):
    _take(session)  # sent by the after-commit queue (convergence/extensions.py)


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction):
    """On top of the after-commit queue: a transaction that ends without a commit but
    wrote nothing (a page that only read, the session closed at the end of the request)
    still sends what it deferred; one that wrote and rolled back sends nothing."""
    if transaction.parent is not None:
        return
    wrote = session.info.get(_WROTE) or session.new or session.deleted
    calls = _take(session)
    if wrote:
        for call in calls:
            log.info("not sent, its transaction was rolled back: %s%r", call.label, call.args)
        return
    for call in calls:
        call.enqueue()


# -- failures ------------------------------------------------------------------------------

@huey.signal(signals.SIGNAL_ERROR)
def _failed(signal, task, exc=None):
    if task.retries:
        log.warning("task %s%r failed (%s); %d retries left", task.name, task.args, exc, task.retries)
    else:
        log.error("task %s%r failed for good: %s", task.name, task.args, exc)


# -- running the work ----------------------------------------------------------------------

def run_worker(app: Flask, workers: int = 2) -> None:
    """The ``convergence worker`` process: Huey's consumer, with its scheduler (deadlines,
    periodic sweeps) and ``workers`` threads; stops on SIGINT / SIGTERM."""
    if mode_of(app) == IMMEDIATE:
        raise RuntimeError("TASK_QUEUE is immediate (in-process): set TASK_QUEUE_URL to a Redis "
                           "or PostgreSQL server for a separate worker")
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


def mode_of(app: Flask) -> str:
    return app.extensions["convergence.tasks"]


_in_process_lock = threading.Lock()
_in_process_started = False


def start_in_process_worker(app: Flask) -> bool:
    """In ``immediate`` mode, a serving process runs Huey's scheduler and one worker as
    threads of its own, so deadlines pass without a worker process (the SQLite demo).
    Huey's consumer is built as usual and its threads started without its signal
    handlers, which belong to the main thread of a worker process. Returns whether it
    started them (once per process)."""
    global _in_process_started
    with _in_process_lock:
        if _in_process_started or mode_of(app) != IMMEDIATE:
            return False
        huey.immediate = False  # Huey's consumer refuses immediate mode; the storage stays in memory
        consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=True)
        consumer.scheduler.start()
        for _name, worker in consumer.worker_threads:
            worker.start()
        _in_process_started = True
        return True


def register_in_process_worker(app: Flask) -> None:
    """The development server (``convergence run``, not tests) starts the in-process
    worker on its first request."""
    if app.testing or mode_of(app) != IMMEDIATE:
        return

    @app.before_request
    def _start_worker():
        start_in_process_worker(app)


def run_scheduled(now: datetime | None = None) -> int:
    """Run, here and now, the scheduled tasks due at ``now`` (UTC) and the periodic tasks
    whose time it is: what the worker's scheduler does each second. For tests and the
    ``convergence run-due`` command; returns how many ran."""
    moment = _naive_utc(now) if now is not None else huey._get_timestamp()
    due = list(huey.read_schedule(moment)) + list(huey.read_periodic(moment))
    for queued in due:
        huey.execute(queued, moment)
    return len(due)
