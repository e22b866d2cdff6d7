"""A real HTTP server on 127.0.0.1 that replays canned responses, errors and slowness.

    with ReplayServer() as server:
        server.route("/w/api.php", json={"query": {...}})
        server.route("/slow", body=b"...", delay=3.0)
        server.route("/limited", status=429, headers={"Retry-After": "30"})
        server.route("/seq", responses=[Reply(status=503), Reply(status=503), Reply(json={})])
        server.url("/w/api.php")  ->  "http://127.0.0.1:PORT/w/api.php"
        server.requests            ->  every request seen: method, path, query, headers, body

Routes match on the path alone; a callable `handler(request) -> Reply` may inspect the query.
"""

from __future__ import annotations

import json as jsonlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    json: object = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    trickle: float = 0.0  # seconds between body bytes (a 1-byte-per-second server)
    content_type: str = ""

    def payload(self) -> tuple[bytes, str]:
        if self.json is not None:
            return jsonlib.dumps(self.json).encode(), self.content_type or "application/json"
        return self.body, self.content_type or "text/plain; charset=utf-8"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float


Handler = Callable[[Seen], Reply]


class ReplayServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        # Another loopback address (127.0.0.2 ...) gives a server a host name of its own, as
        # bench/gather.py does to give each source its own politeness limits.
        self.host = host
        self.routes: dict[str, Handler] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    dict(self.headers.items()),
                    self.rfile.read(length) if length else b"",
                    time.monotonic(),
                )
                with server._lock:
                    server.requests.append(seen)
                    handler = server.routes.get(parts.path)
                reply = handler(seen) if handler else Reply(status=404, body=b"not found")
                if reply.delay:
                    time.sleep(reply.delay)
                body, content_type = reply.payload()
                try:
                    self.send_response(reply.status)
                    headers = {
                        "Content-Type": content_type,
                        "Content-Length": str(len(body)),
                        **reply.headers,
                    }
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if self.command == "HEAD":
                        return
                    if reply.trickle:
                        for i in range(len(body)):
                            self.wfile.write(body[i : i + 1])
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first: that is what some tests want

            do_GET = do_POST = do_HEAD = _serve

        self.httpd = ThreadingHTTPServer((host, 0), RequestHandler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def route(
        self,
        path: str,
        handler: Handler | None = None,
        *,
        responses: list[Reply] | None = None,
        **reply: object,
    ) -> None:
        """Serve `path` with a handler, a sequence of replies (the last repeats), or one reply."""
        if handler is None and responses is not None:
            queue = list(responses)

            def handler(_: Seen) -> Reply:
                return queue.pop(0) if len(queue) > 1 else queue[0]
        elif handler is None:
            fixed = Reply(**reply)  # type: ignore[arg-type]

            def handler(_: Seen) -> Reply:
                return fixed

        self.routes[path] = handler

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def seen(self, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
