"""Gunicorn settings for Convergence.

Use:  gunicorn -c deploy/gunicorn.conf.py convergence.wsgi:app

Every setting can be tuned through an environment variable (see deploy/env.example),
so the same file serves systemd, Docker and several app servers.
"""

import ipaddress
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# --- Workers -------------------------------------------------------------------------
# gevent: each worker serves many requests concurrently as greenlets. This matters
# because every open page keeps a server-sent-events stream (/assemblees/<id>/direct)
# open for minutes; with sync workers one stream would occupy a whole process.
# psycopg >= 3.1.14 detects gevent's monkey-patching and waits cooperatively, so
# database calls do not block the other greenlets of the worker.
worker_class = "gevent"

# One gevent worker per core is enough (concurrency comes from greenlets, not from
# processes); 2*cores+1 is advice for sync workers. Each worker keeps one LISTEN
# connection to PostgreSQL (or one Redis subscription) for live events, plus its own
# SQLAlchemy pool: mind PostgreSQL's max_connections on many-core hosts.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count())

# Simultaneous connections per worker: SSE streams + normal requests + idle keep-alives.
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 1000)

# Do NOT preload: the gevent worker monkey-patches socket/ssl/threading right after the
# fork, and the app must be imported after that. Preloading would import Flask,
# SQLAlchemy and psycopg in the master with unpatched modules (blocking I/O, real
# locks and threads) and share the master's database pool between workers.
preload_app = False

# --- Network -------------------------------------------------------------------------
# Behind nginx on the same host keep the default (loopback only). In Docker, or for an
# app server reached by a remote nginx, set BIND=0.0.0.0:8000 (and firewall it).
bind = [os.environ.get("BIND", "127.0.0.1:8000")]

# Proxies allowed to set X-Forwarded-Proto (and, below, X-Forwarded-For): the nginx
# host(s). Comma-separated IPs or networks; "*" trusts everyone (only when the port is
# unreachable except through the proxy).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Idle keep-alive connections from nginx (upstream "keepalive"). Kept longer than
# nginx's upstream keepalive_timeout (60s by default) so gunicorn never closes a
# connection that nginx is about to reuse.
keepalive = _int("GUNICORN_KEEPALIVE", 75)

# --- Timeouts ------------------------------------------------------------------------
# With gevent, "timeout" is NOT a per-request limit: a separate greenlet tells the
# master "alive" every second, so a stream open for an hour is fine. The worker is only
# killed if its event loop is blocked for 60s (CPU-bound code or a non-cooperative
# blocking call), which is exactly the case worth killing.
timeout = _int("GUNICORN_TIMEOUT", 60)

# On stop/reload and max_requests recycling, a worker stops accepting and gets this
# long to finish. Open SSE streams never finish on their own, so in practice every
# stop takes this long and then cuts them; browsers reconnect by themselves ("retry:
# 3000" in the stream). Short, since normal requests take well under a second.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 10)

# Recycle workers now and then (guards against slow leaks). The jitter keeps workers
# from restarting all at once, which would make every live page reconnect together.
# Set GUNICORN_MAX_REQUESTS=0 to disable.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max(max_requests // 10, 0))

# Heartbeat files on tmpfs: a disk-backed /tmp (Docker overlayfs) can stall the
# heartbeat and get healthy workers killed.
if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
    worker_tmp_dir = "/dev/shm"

# gunicorn >= 25 opens a control socket for `gunicornc` under $HOME by default, which a
# hardened service cannot write (and two instances would fight over). Off unless a path
# is given. Older gunicorn ignores these names.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# --- Logging -------------------------------------------------------------------------
# Both to stdout/stderr: journald (systemd) or `docker compose logs` collect them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
proc_name = "convergence"

# The client's address behind nginx comes from X-Forwarded-For through the app's
# ProxyFix, switched on by PROXY_COUNT (number of trusted proxies in front).
