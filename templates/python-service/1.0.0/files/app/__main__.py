"""Starts {{name}}: listens on PORT, turns ready once listening, and on SIGTERM (Kubernetes stopping the
pod) turns not-ready, lets the load balancer notice, finishes the requests in flight and exits."""

from __future__ import annotations

import os
import signal
import threading
import time

from .log import configure_logging
from .server import App

SERVICE = "{{name}}"


def main() -> None:
    port = int(os.environ.get("PORT", "{{port}}"))
    shutdown_delay = float(os.environ.get("SHUTDOWN_DELAY_SECONDS", "5"))
    logger = configure_logging(SERVICE, os.environ.get("LOG_LEVEL", "INFO"))
    app = App(logger, routes={"GET /": lambda _req: {"service": SERVICE, "message": "Hello from {{name}}"}})
    server = app.make_server("0.0.0.0", port)  # noqa: S104 - a container listens on all its interfaces

    def stop(signum: int, _frame: object) -> None:
        def drain() -> None:
            app.set_ready(False)
            logger.info("stopping", extra={"signal": signal.Signals(signum).name, "delay_s": shutdown_delay})
            time.sleep(shutdown_delay)
            server.shutdown()

        threading.Thread(target=drain, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    app.set_ready(True)
    logger.info("listening", extra={"port": port})
    server.serve_forever()
    server.server_close()
    logger.info("stopped")


if __name__ == "__main__":
    main()
