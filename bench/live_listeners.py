#!/usr/bin/env python
"""Benchmark of the live channel: many server-sent-events listeners, one publisher.

Target: 500 concurrent live listeners spread over 2 gunicorn (gevent) workers receive an
event published from another process within 1 s at the 95th percentile.

What it does, for each backend (PostgreSQL LISTEN/NOTIFY, then Redis pub/sub):

1. starts gunicorn on a free 127.0.0.1 port with 2 gevent workers;
2. opens N (500) SSE connections to /assemblees/1/direct from one asyncio client and
   waits until every stream has sent its first ``: connected`` comment;
3. counts which worker holds each connection (server-side sockets found in /proc);
4. runs ``convergence live-publish`` once (the operations CLI: latency includes starting
   Python and the app, reported apart) and checks that every listener receives it;
5. starts ONE publisher process (the app's ``convergence.live.publish``, the function the
   CLI calls) that publishes E events, one every I seconds, each carrying the wall-clock
   time taken just before the publish call; every listener records arrival time minus
   that time;
6. prints p50/p95/p99/max latency, missed deliveries and a SUMMARY line, then stops
   gunicorn.

All traffic goes to 127.0.0.1. Bounded in time: each phase has a timeout and the whole
run is abandoned after --budget seconds.

    .venv/bin/python bench/live_listeners.py                 # both backends, 500 listeners
    .venv/bin/python bench/live_listeners.py --backend redis --listeners 200 --events 10

The database (default postgresql://postgres@127.0.0.1:5432/convergence_live_bench, or
$BENCH_DATABASE_URL) is created when missing, upgraded and given the demo data.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/convergence_live_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
EVENT = "bench.event"
CLI_EVENT = "bench.cli"


# --- helpers ---------------------------------------------------------------------------

def tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        sys.exit(f"cannot find {name!r} next to {sys.executable} or on PATH")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil
    return ordered[int(rank) - 1]


def raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = hard if hard == resource.RLIM_INFINITY else min(hard, max(needed, soft))
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def prepare_database(url: str) -> None:
    """Create the database when missing, build the schema and load the demo (assembly 1)."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = target.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (target.database,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.database)))
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench")
    for command in (["db-upgrade"], ["load-demo"]):
        subprocess.run([tool("convergence"), *command], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, timeout=120)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name (field 2) may contain spaces: split after its closing ")".
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return sorted(found)


def server_sockets(port: int) -> dict[str, int]:
    """ESTABLISHED sockets whose LOCAL port is ``port`` (the server side): inode -> the
    client's port."""
    sockets = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    local, remote, state, inode = parts[1], parts[2], parts[3], parts[9]
                    if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                        sockets[inode] = int(remote.rsplit(":", 1)[1], 16)
        except OSError:
            continue
    return sockets


def worker_of_client_port(master_pid: int, port: int) -> tuple[dict[int, int], list[int]]:
    """Which gunicorn worker holds each connection: {client port: worker pid}, workers."""
    sockets = server_sockets(port)
    owner = {}
    workers = children_of(master_pid)
    for pid in workers:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:[") and link[8:-1] in sockets:
                owner[sockets[link[8:-1]]] = pid
    return owner, workers


# --- gunicorn --------------------------------------------------------------------------

class Server:
    def __init__(self, backend: str, args, log_dir: Path):
        self.backend = backend
        self.port = free_port()
        self.log_path = log_dir / f"gunicorn-{backend}.log"
        self.env = dict(os.environ, DATABASE_URL=args.database_url, SECRET_KEY="bench",
                        LIVE_BACKEND=backend, WEB_CONCURRENCY=str(args.workers),
                        GUNICORN_MAX_REQUESTS="0")
        if backend == "redis":
            self.env["REDIS_URL"] = args.redis_url
        else:
            self.env.pop("REDIS_URL", None)
        command = [tool("gunicorn")]
        if CONFIG.exists() and not args.no_config:
            command += ["-c", str(CONFIG)]
        command += ["-k", "gevent", "-w", str(args.workers), "--worker-connections", "1000",
                    "-b", f"127.0.0.1:{self.port}", "--max-requests", "0",
                    "--graceful-timeout", "3", "convergence.wsgi:app"]
        self.command = command
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command, env=self.env, cwd=ROOT, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}): see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                    s.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if s.recv(64).split(b"\r\n")[0].endswith(b" 200 OK"):
                        # Both workers should be up too (they boot in parallel).
                        if len(children_of(self.proc.pid)) >= int(self.env["WEB_CONCURRENCY"]):
                            return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not healthy after {timeout}s: see {self.log_path}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        # Quick shutdown (SIGINT): open streams never end, a graceful stop would only
        # wait for its timeout and then cut them anyway.
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=8)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # our own session: gunicorn + workers
            self.proc.wait(timeout=5)
        self.log.close()


# --- the SSE client --------------------------------------------------------------------

class Listener:
    """One SSE connection: reads the (chunked) body and parses events."""

    def __init__(self, index: int, stats: "Stats"):
        self.index = index
        self.stats = stats
        self.writer: asyncio.StreamWriter | None = None
        self.buffer = ""
        self.client_port: int | None = None

    async def run(self, port: int, path: str) -> None:
        reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        self.client_port = self.writer.get_extra_info("sockname")[1]
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n"
            f"Cache-Control: no-cache\r\n\r\n".encode())
        await self.writer.drain()
        status = await reader.readline()
        if not status.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"listener {self.index}: {status!r}")
        chunked = False
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        while True:
            if chunked:
                size_line = await reader.readline()
                if not size_line:
                    return
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    return
                data = await reader.readexactly(size + 2)
                self.feed(data[:-2].decode())
            else:
                data = await reader.read(65536)
                if not data:
                    return
                self.feed(data.decode())

    def feed(self, text: str) -> None:
        self.buffer += text.replace("\r\n", "\n")
        while "\n\n" in self.buffer:
            block, self.buffer = self.buffer.split("\n\n", 1)
            event, data = "message", []
            for line in block.split("\n"):
                if line.startswith(": connected"):
                    self.stats.connected(self.index)
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip())
            if data:
                self.stats.received(self.index, event, "\n".join(data), time.time())

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class Stats:
    def __init__(self, listeners: int):
        self.listeners = listeners
        self.connected_set: set[int] = set()
        self.all_connected = asyncio.Event()
        self.latencies: dict[tuple[int, int], float] = {}  # (listener, seq) -> seconds
        self.cli: dict[int, float] = {}  # listener -> arrival time of the CLI event
        self.other = 0

    def connected(self, index: int) -> None:
        self.connected_set.add(index)
        if len(self.connected_set) == self.listeners:
            self.all_connected.set()

    def received(self, index: int, event: str, data: str, now: float) -> None:
        if event == EVENT:
            message = json.loads(data)
            self.latencies.setdefault((index, message["seq"]), now - message["t"])
        elif event == CLI_EVENT:
            self.cli.setdefault(index, now)
        else:
            self.other += 1


# --- one measurement -------------------------------------------------------------------

def publisher_main(args) -> None:
    """Child process: publish ``--events`` events with the app's own publish function."""
    os.chdir(ROOT)
    from convergence.app import create_app
    from convergence.live import publish

    app = create_app()
    with app.app_context():
        publish(0, "bench.warmup", {})  # opens the publishing connection, as in a live server
        start = time.monotonic()
        for seq in range(args.events):
            # Pace on a fixed schedule so a slow publish does not shift the next one.
            delay = start + seq * args.interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            before = time.time()
            publish(args.assembly, EVENT, {"seq": seq, "t": before})
            after = time.time()
            print(f"{seq} {before:.6f} {after:.6f}", flush=True)


async def measure(server: Server, args) -> dict:
    path = f"/assemblees/{args.assembly}/direct"
    stats = Stats(args.listeners)
    listeners = [Listener(i, stats) for i in range(args.listeners)]
    tasks = []
    t0 = time.monotonic()
    # Open connections in waves so the accept queue never overflows.
    for start in range(0, args.listeners, 100):
        tasks += [asyncio.ensure_future(l.run(server.port, path))
                  for l in listeners[start:start + 100]]
        await asyncio.sleep(0.05)
    result: dict = {"backend": server.backend, "listeners": args.listeners}
    try:
        try:
            await asyncio.wait_for(stats.all_connected.wait(), args.connect_timeout)
        except asyncio.TimeoutError:
            failed = [t for t in tasks if t.done() and t.exception()]
            detail = repr(failed[0].exception()) if failed else ""
            raise RuntimeError(f"only {len(stats.connected_set)}/{args.listeners} listeners "
                               f"connected after {args.connect_timeout}s {detail}")
        result["connect_seconds"] = time.monotonic() - t0
        await asyncio.sleep(0.5)  # let the last accepted sockets settle before counting
        owner, workers = worker_of_client_port(server.proc.pid, server.port)
        worker_of = {l.index: owner.get(l.client_port) for l in listeners}
        result["distribution"] = {pid: sum(1 for w in worker_of.values() if w == pid)
                                  for pid in workers}
        unknown = sum(1 for w in worker_of.values() if w is None)
        if unknown:
            result["distribution"]["unknown"] = unknown
        print(f"[{server.backend}] {args.listeners} listeners connected in "
              f"{result['connect_seconds']:.1f}s; per worker pid: {result['distribution']}",
              flush=True)

        # The operations CLI, once: a fresh Python process and app for one event.
        env = dict(server.env)
        spawn = time.time()
        cli = await asyncio.create_subprocess_exec(
            tool("convergence"), "live-publish", str(args.assembly), CLI_EVENT, '{"via": "cli"}',
            env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL)
        await asyncio.wait_for(cli.wait(), 30)
        deadline = time.monotonic() + 5
        while len(stats.cli) < args.listeners and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        cli_lat = [t - spawn for t in stats.cli.values()]
        result["cli_received"] = len(stats.cli)
        result["cli_latency_max"] = max(cli_lat) if cli_lat else None
        print(f"[{server.backend}] CLI live-publish: received by {len(stats.cli)}/"
              f"{args.listeners}; spawn-to-arrival max {result['cli_latency_max'] or 0:.2f}s "
              f"(includes starting Python and the app)", flush=True)

        # The timed events, from one separate publisher process.
        pub = await asyncio.create_subprocess_exec(
            sys.executable, str(Path(__file__).resolve()), "--publisher",
            "--events", str(args.events), "--interval", str(args.interval),
            "--assembly", str(args.assembly), env=env, cwd=ROOT,
            stdout=asyncio.subprocess.PIPE)
        out, _ = await asyncio.wait_for(pub.communicate(),
                                        args.events * args.interval + 30)
        if pub.returncode != 0:
            raise RuntimeError(f"publisher failed ({pub.returncode})")
        calls = [line.split() for line in out.decode().splitlines() if line.strip()]
        result["publish_call_ms"] = [1000 * (float(a) - float(b)) for _, b, a in calls]
        expected = args.listeners * args.events
        deadline = time.monotonic() + args.grace
        while len(stats.latencies) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    finally:
        for l in listeners:
            l.close()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    lat = list(stats.latencies.values())
    result.update(
        events=args.events,
        expected=expected,
        delivered=len(lat),
        missed=expected - len(lat),
        late=sum(1 for x in lat if x > 1.0),
        p50=percentile(lat, 50) if lat else None,
        p95=percentile(lat, 95) if lat else None,
        p99=percentile(lat, 99) if lat else None,
        max=max(lat) if lat else None,
        mean=statistics.fmean(lat) if lat else None,
    )
    # Per worker: does one of them lag behind?
    result["per_worker"] = {}
    for pid in result["distribution"]:
        mine = [v for (i, _), v in stats.latencies.items() if worker_of.get(i) == pid]
        if mine:
            result["per_worker"][pid] = (percentile(mine, 50), percentile(mine, 95), max(mine))
    # Per event: the slowest listener (how long the fan-out of one event takes).
    per_event = {}
    for (_, seq), value in stats.latencies.items():
        per_event[seq] = max(per_event.get(seq, 0.0), value)
    result["per_event_max"] = [per_event.get(s) for s in range(args.events)]
    return result


def report(r: dict) -> str:
    ms = lambda v: "n/a" if v is None else f"{1000 * v:.1f}ms"  # noqa: E731
    dist = "/".join(str(v) for v in r["distribution"].values())
    ok = r["p95"] is not None and r["p95"] < 1.0 and r["missed"] == 0
    calls = r["publish_call_ms"]
    print(f"[{r['backend']}] deliveries {r['delivered']}/{r['expected']} "
          f"(missed {r['missed']}, later than 1 s {r['late']})")
    print(f"[{r['backend']}] latency p50 {ms(r['p50'])}  p95 {ms(r['p95'])}  "
          f"p99 {ms(r['p99'])}  max {ms(r['max'])}  mean {ms(r['mean'])}")
    if calls:
        print(f"[{r['backend']}] publish call: median {statistics.median(calls):.1f}ms, "
              f"max {max(calls):.1f}ms")
    for pid, (p50, p95, top) in r["per_worker"].items():
        print(f"[{r['backend']}] worker {pid} ({r['distribution'][pid]} listeners): "
              f"p50 {ms(p50)}  p95 {ms(p95)}  max {ms(top)}")
    print(f"[{r['backend']}] slowest listener per event: "
          + " ".join(ms(v) for v in r["per_event_max"]))
    return (f"SUMMARY backend={r['backend']} listeners={r['listeners']} workers={dist} "
            f"events={r['events']} delivered={r['delivered']}/{r['expected']} "
            f"missed={r['missed']} p50={ms(r['p50'])} p95={ms(r['p95'])} "
            f"p99={ms(r['p99'])} max={ms(r['max'])} cli={r['cli_received']}/{r['listeners']} "
            f"target(p95<1s, none missed)={'PASS' if ok else 'FAIL'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["postgres", "redis", "both"], default="both")
    parser.add_argument("--listeners", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--assembly", type=int, default=1)
    parser.add_argument("--grace", type=float, default=5.0,
                        help="seconds to wait for late deliveries after the last publish")
    parser.add_argument("--connect-timeout", type=float, default=30.0)
    parser.add_argument("--budget", type=float, default=55.0,
                        help="hard limit in seconds for the measurement of one backend")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--no-config", action="store_true",
                        help="ignore deploy/gunicorn.conf.py (command-line flags only)")
    parser.add_argument("--skip-setup", action="store_true")
    parser.add_argument("--publisher", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.publisher:
        publisher_main(args)
        return 0

    for url in (args.database_url, args.redis_url):
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            sys.exit(f"refusing a non-local service (traffic stays on 127.0.0.1): {url}")

    raise_fd_limit(args.listeners * 2 + 256)
    if not args.skip_setup:
        prepare_database(args.database_url)
    backends = ["postgres", "redis"] if args.backend == "both" else [args.backend]
    summaries = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="live-bench-") as tmp:
        for backend in backends:
            server = Server(backend, args, Path(tmp))
            print(f"[{backend}] {' '.join(server.command)}", flush=True)
            try:
                server.start()
                result = asyncio.run(asyncio.wait_for(measure(server, args), args.budget))
                summaries.append(report(result))
                failed |= "FAIL" in summaries[-1]
            except Exception as error:  # report and go on to the next backend
                failed = True
                summaries.append(f"SUMMARY backend={backend} ERROR {error!r}")
                print(server.log_path.read_text()[-1500:] if server.log_path.exists() else "",
                      file=sys.stderr)
            finally:
                server.stop()
    print(f"machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    for line in summaries:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
