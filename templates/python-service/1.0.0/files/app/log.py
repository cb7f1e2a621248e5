"""Structured logs: one JSON object per line with the time, the level, the service, the message, any
``extra`` fields and, while a request is handled, its trace and span ids."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import IO

from .tracing import current_trace

# The attributes every LogRecord has; anything else was passed with extra=… and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "service": self.service,
            "msg": record.getMessage(),
        }
        trace = current_trace()
        if trace:
            entry["trace_id"] = trace.trace_id
            entry["span_id"] = trace.span_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["error"] = {"name": type(error).__name__, "message": str(error), "stack": self.formatException(record.exc_info)}
        return json.dumps(entry, default=str)


def configure_logging(service: str, level: str = "INFO", stream: IO[str] | None = None) -> logging.Logger:
    """The service's logger, writing JSON lines to ``stream`` (stdout by default)."""
    logger = logging.getLogger(service)
    logger.handlers.clear()
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False
    return logger
