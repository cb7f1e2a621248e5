"""The golden-path behaviour of {{name}}: probes, metrics, JSON logs and trace context, over real HTTP."""

from __future__ import annotations

import io
import json
import re
import threading
import unittest
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from app.log import configure_logging
from app.server import App
from app.tracing import parse_traceparent, traced_urlopen

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"
INCOMING = f"00-{TRACE_ID}-{PARENT_ID}-01"


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class Downstream(BaseHTTPRequestHandler):
    seen: list[str | None] = []

    def do_GET(self) -> None:  # noqa: N802
        Downstream.seen.append(self.headers.get("traceparent"))
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(server: ThreadingHTTPServer) -> str:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


class ServiceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.downstream = ThreadingHTTPServer(("127.0.0.1", 0), Downstream)
        cls.downstream_url = serve(cls.downstream)
        cls.logs = io.StringIO()
        logger = configure_logging("{{name}}", "DEBUG", cls.logs)

        def calls_downstream(_req: BaseHTTPRequestHandler) -> dict:
            with traced_urlopen(cls.downstream_url, timeout=5) as r:
                return {"downstream": r.status}

        def fails(_req: BaseHTTPRequestHandler) -> dict:
            raise RuntimeError("boom")

        cls.app = App(logger, routes={"GET /hello": lambda _req: {"hello": "world"}, "GET /calls-downstream": calls_downstream, "GET /fails": fails})
        cls.server = cls.app.make_server("127.0.0.1", 0)
        cls.url = serve(cls.server)

    @classmethod
    def tearDownClass(cls) -> None:
        for server in (cls.server, cls.downstream):
            server.shutdown()
            server.server_close()

    def log_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.logs.getvalue().splitlines()]

    def last_log(self, msg: str, path: str | None = None) -> dict:
        found = [entry for entry in self.log_lines() if entry["msg"] == msg and (path is None or entry.get("path") == path)]
        self.assertTrue(found, f"a {msg!r} log line for {path}")
        return found[-1]

    def test_liveness_probe(self) -> None:
        status, _, body = get(f"{self.url}/healthz")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"status": "ok"})

    def test_readiness_probe_follows_the_state(self) -> None:
        self.app.set_ready(False)
        self.assertEqual(get(f"{self.url}/readyz")[0], 503)
        self.app.set_ready(True)
        self.assertEqual(get(f"{self.url}/readyz")[0], 200)

    def test_prometheus_metrics_of_the_requests(self) -> None:
        before = self.app.requests.get({"method": "GET", "route": "/hello", "status": "200"})
        get(f"{self.url}/hello")
        get(f"{self.url}/nowhere")
        status, headers, body = get(f"{self.url}/metrics")
        text = body.decode()
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain; version=0.0.4"))
        self.assertRegex(text, r"(?m)^# TYPE http_requests_total counter$")
        self.assertIn('http_requests_total{method="GET",route="/hello",status="200"} ' + str(int(before) + 1) + "\n", text)
        self.assertRegex(text, r'(?m)^http_requests_total\{method="GET",route="unmatched",status="404"\} \d+$')
        self.assertRegex(text, r"(?m)^# TYPE http_request_duration_seconds histogram$")
        self.assertRegex(text, r'(?m)^http_request_duration_seconds_bucket\{method="GET",route="/hello",le="\+Inf"\} \d+$')
        self.assertRegex(text, r'(?m)^http_request_duration_seconds_count\{method="GET",route="/hello"\} \d+$')
        self.assertRegex(text, r"(?m)^process_start_time_seconds \d+$")

    def test_json_log_line_with_the_incoming_trace(self) -> None:
        status, headers, _ = get(f"{self.url}/hello", {"traceparent": INCOMING})
        self.assertEqual(status, 200)
        entry = self.last_log("request", "/hello")
        self.assertEqual(entry["level"], "info")
        self.assertEqual(entry["service"], "{{name}}")
        self.assertEqual(entry["status"], 200)
        self.assertEqual(entry["trace_id"], TRACE_ID)
        self.assertRegex(entry["span_id"], r"^[0-9a-f]{16}$")
        self.assertNotEqual(entry["span_id"], PARENT_ID)
        self.assertEqual(headers["traceresponse"], f"00-{TRACE_ID}-{entry['span_id']}-01")

    def test_trace_forwarded_to_the_services_it_calls(self) -> None:
        status, _, body = get(f"{self.url}/calls-downstream", {"traceparent": INCOMING})
        self.assertEqual((status, json.loads(body)), (200, {"downstream": 200}))
        forwarded = parse_traceparent(Downstream.seen[-1])
        self.assertIsNotNone(forwarded, f"a valid traceparent reached the downstream service: {Downstream.seen[-1]}")
        trace_id, parent_id, _ = forwarded
        self.assertEqual(trace_id, TRACE_ID)
        self.assertEqual(parent_id, self.last_log("request", "/calls-downstream")["span_id"])

    def test_new_trace_when_the_incoming_one_is_missing_or_not_valid(self) -> None:
        for headers in ({}, {"traceparent": f"00-{'0' * 32}-{PARENT_ID}-01"}, {"traceparent": "not a trace"}):
            get(f"{self.url}/hello", headers)
            trace_id = self.last_log("request", "/hello")["trace_id"]
            self.assertTrue(re.fullmatch(r"[0-9a-f]{32}", trace_id))
            self.assertNotIn(trace_id, (TRACE_ID, "0" * 32))

    def test_error_answered_500_and_logged_with_its_trace(self) -> None:
        status, _, _ = get(f"{self.url}/fails", {"traceparent": INCOMING})
        self.assertEqual(status, 500)
        entry = self.last_log("request failed")
        self.assertEqual(entry["level"], "error")
        self.assertEqual(entry["trace_id"], TRACE_ID)
        self.assertEqual(entry["error"]["message"], "boom")


if __name__ == "__main__":
    unittest.main()
