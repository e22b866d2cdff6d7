"""Brokers the fault tests can break: a throwaway redis-server, a hung one, and a switch
that points this process's Celery app at either.

The shared Redis on 127.0.0.1:6379 is never stopped (other test runs use it); "Redis down"
is always a throwaway `redis-server` that these tests start, stop and restart themselves.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import redis
from django.conf import settings

from config.celery import app as celery_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A real redis-server on a free 127.0.0.1 port, with its data in `directory`.

    Persistence is on (append-only file, fsync on every write) so a restart shows what a
    production Redis with AOF keeps.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
                "--dir", str(self.directory), "--appendonly", "yes",
                "--appendfsync", "always", "--save", "", "--logfile", "redis.log",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        """A clean shutdown, as `systemctl stop redis` does: SIGTERM, then wait."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


class HungServer:
    """A TCP server on 127.0.0.1 that accepts every connection and never sends a byte."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed at the end of the test
            self.accepted.append(conn)  # kept open, never answered

    def __enter__(self) -> HungServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def _reset_pools() -> None:
    # Celery caches a connection pool and a producer pool per app; both are rebuilt lazily
    # from conf.broker_url on next use.
    celery_app._pool = None  # type: ignore[attr-defined]
    celery_app.amqp._producer_pool = None


@contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Point this process's Celery app (what the web request uses to queue work) at `url`,
    with the transport options production uses for Redis, and send tasks for real."""
    conf = celery_app.conf
    names = ("broker_write_url", "broker_read_url", "broker_transport_options")
    saved = {name: conf.get(name) for name in names} | {"task_always_eager": conf.task_always_eager}
    # The write and read URLs, because Celery prefers a CELERY_BROKER_URL environment
    # variable (set in CI) to conf.broker_url, but not to these.
    conf.broker_write_url = conf.broker_read_url = url
    conf.broker_transport_options = settings.REDIS_BROKER_TRANSPORT_OPTIONS
    conf.task_always_eager = False
    _reset_pools()
    try:
        yield
    finally:
        for name, value in saved.items():
            conf[name] = value
        _reset_pools()


def queued_messages(server: redis.Redis, queue: str) -> list[tuple[str, list]]:
    """(task name, args) of every message waiting in a Celery queue on a Redis broker."""
    out = []
    for raw in server.lrange(queue, 0, -1):
        message = json.loads(raw)
        body = json.loads(base64.b64decode(message["body"]))
        out.append((message["headers"]["task"], body[0]))
    return out
