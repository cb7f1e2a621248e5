"""The HTTP service: its routes, plus what every golden-path service has: GET /healthz (liveness: the
process answers), GET /readyz (readiness: it should get traffic), GET /metrics (Prometheus), a JSON log
line and metrics for each request, and the caller's trace continued (see tracing.py)."""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Union
from urllib.parse import urlsplit

from .metrics import CONTENT_TYPE, Counter, Gauge, Histogram, Registry
from .tracing import continue_trace, reset_current_trace, set_current_trace


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, body: object) -> Response:
    return Response(status, json.dumps(body).encode())


# A route's handler gets the request handler (method, path, headers, rfile) and returns a Response, or
# a value sent as JSON with status 200.
Handler = Callable[[BaseHTTPRequestHandler], Union[Response, dict, list, None]]

_PROBES = {"/healthz", "/readyz", "/metrics"}


class App:
    def __init__(self, logger: logging.Logger, routes: dict[str, Handler] | None = None) -> None:
        self.logger = logger
        self.registry = Registry()
        self.requests = self.registry.register(Counter("http_requests_total", "HTTP requests handled, by method, route and status code."))
        self.durations = self.registry.register(Histogram("http_request_duration_seconds", "Time to handle an HTTP request, by method and route."))
        start = self.registry.register(Gauge("process_start_time_seconds", "When the process started, in seconds since the Unix epoch."))
        start.set(int(time.time()))
        self._ready = threading.Event()
        self.routes: dict[str, Handler] = {
            "GET /healthz": lambda _req: json_response(200, {"status": "ok"}),
            "GET /readyz": lambda _req: json_response(200, {"status": "ready"}) if self._ready.is_set() else json_response(503, {"status": "not ready"}),
            "GET /metrics": lambda _req: Response(200, self.registry.render().encode(), CONTENT_TYPE),
            **(routes or {}),
        }

    def set_ready(self, ready: bool) -> None:
        """Readiness as /readyz reports it: false until the service can serve, and again while it stops."""
        if ready:
            self._ready.set()
        else:
            self._ready.clear()

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        started = time.perf_counter()
        trace = continue_trace(req.headers.get("traceparent"))
        token = set_current_trace(trace)
        method = req.command
        path = urlsplit(req.path).path
        handler = self.routes.get(f"{method} {path}")
        route = path if handler else "unmatched"
        try:
            if handler is None:
                response = json_response(404, {"error": f"no route {method} {path}"})
            else:
                try:
                    result = handler(req)
                    response = result if isinstance(result, Response) else json_response(200, result if result is not None else {})
                except Exception:
                    self.logger.exception("request failed", extra={"method": method, "path": path})
                    response = json_response(500, {"error": "internal error"})
            # Counted and logged before the answer goes out, so that whoever got it can see both.
            seconds = time.perf_counter() - started
            self.requests.inc({"method": method, "route": route, "status": str(response.status)})
            self.durations.observe(seconds, {"method": method, "route": route})
            fields = {"method": method, "path": path, "status": response.status, "duration_ms": round(seconds * 1000, 3)}
            if path in _PROBES:
                self.logger.debug("request", extra=fields)
            else:
                self.logger.info("request", extra=fields)
            req.send_response(response.status)
            req.send_header("content-type", response.content_type)
            req.send_header("content-length", str(len(response.body)))
            req.send_header("traceresponse", trace.traceparent())
            for name, value in response.headers.items():
                req.send_header(name, value)
            req.end_headers()
            if method != "HEAD":
                req.wfile.write(response.body)
        finally:
            reset_current_trace(token)

    def make_server(self, host: str, port: int) -> ThreadingHTTPServer:
        app = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                app.handle(self)

            do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                """Access logs are the JSON "request" lines; http.server's own stderr lines are off."""

        server = ThreadingHTTPServer((host, port), RequestHandler)
        server.daemon_threads = True
        return server
