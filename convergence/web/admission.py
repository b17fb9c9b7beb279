"""At most N requests of a worker process run the application at once; the others wait
their turn, first come first served.

Under a gevent worker every open connection gets a greenlet, and 200 clients mean 200
requests competing for one CPU and for a pool of ~10 database connections. The pool
does not serve its waiters in order (a request arriving while a connection is free
takes it before one that was woken for it), so some requests wait for seconds while
most finish in milliseconds. Letting a few run and queueing the rest in arrival order
keeps every request's wait close to the average, and keeps the pool from opening and
closing overflow connections. Live streams are not counted: they hold no database
connection while they wait for events.
"""

from __future__ import annotations

import threading
from collections import deque


class Gate:
    """A FIFO counting gate: a freed place goes to the oldest waiter, never to a newcomer.
    Cooperative under gevent (its threading primitives are patched)."""

    def __init__(self, places: int):
        if places < 1:
            raise ValueError("a gate needs at least one place")
        self._lock = threading.Lock()
        self._free = places
        self._waiting: deque[threading.Event] = deque()

    def enter(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Event()
            self._waiting.append(turn)
        try:
            self._wait(turn)
        except BaseException:  # killed while waiting: give back the place if one was handed over
            with self._lock:
                try:
                    self._waiting.remove(turn)
                except ValueError:
                    self._leave_locked()
            raise

    @staticmethod
    def _wait(turn: threading.Event) -> None:
        turn.wait()

    def leave(self) -> None:
        with self._lock:
            self._leave_locked()

    def _leave_locked(self) -> None:
        if self._waiting:
            self._waiting.popleft().set()  # the place passes directly to the oldest waiter
        else:
            self._free += 1


class AdmissionMiddleware:
    """WSGI middleware: the wrapped app runs inside the gate. The response body is sent
    after the place is freed (Flask has built it by then, except for streams)."""

    def __init__(self, app, places: int, exempt_suffixes: tuple[str, ...] = ("/direct",)):
        self.app = app
        self.gate = Gate(places)
        self.exempt_suffixes = exempt_suffixes

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").endswith(self.exempt_suffixes):
            return self.app(environ, start_response)
        self.gate.enter()
        try:
            return self.app(environ, start_response)
        finally:
            self.gate.leave()
