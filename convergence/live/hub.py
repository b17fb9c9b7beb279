"""Fan-out inside one process: each open stream has a queue; a message goes to all
queues of its channel. Under gevent workers the queues and lock are cooperative."""

from __future__ import annotations

import queue
import threading


class Subscription:
    def __init__(self, hub: "Hub", channel: str):
        self.hub = hub
        self.channel = channel
        # Bounded: a stalled client loses old events rather than growing memory.
        self.queue: queue.Queue = queue.Queue(maxsize=256)

    def get(self, timeout: float) -> dict | None:
        try:
            return self.queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        self.hub.remove(self)

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()


class Hub:
    def __init__(self):
        self._lock = threading.Lock()
        self._channels: dict[str, set[Subscription]] = {}

    def add(self, channel: str) -> Subscription:
        sub = Subscription(self, channel)
        with self._lock:
            self._channels.setdefault(channel, set()).add(sub)
        return sub

    def remove(self, sub: Subscription) -> None:
        with self._lock:
            subs = self._channels.get(sub.channel)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._channels[sub.channel]

    def deliver(self, channel: str, message: dict) -> None:
        with self._lock:
            targets = list(self._channels.get(channel, ()))
        for sub in targets:
            try:
                sub.queue.put_nowait(message)
            except queue.Full:
                pass

    def listener_count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._channels.values())
