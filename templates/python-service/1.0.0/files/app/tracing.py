"""W3C Trace Context (https://www.w3.org/TR/trace-context/).

A request continues the caller's trace from its ``traceparent`` header (or starts one), everything it logs
carries the trace id, and every outgoing call made while handling it forwards the trace with this
service's span as the parent.
"""

from __future__ import annotations

import contextvars
import re
import secrets
import urllib.request
from dataclasses import dataclass

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")
_current: contextvars.ContextVar[TraceContext | None] = contextvars.ContextVar("trace", default=None)


@dataclass(frozen=True)
class TraceContext:
    trace_id: str
    """32 lower-case hex digits, shared by every span of the trace."""
    span_id: str
    """16 lower-case hex digits: this service's span."""
    flags: int = 1
    """Bit 0: sampled."""
    parent_span_id: str | None = None
    """The caller's span, when the trace came in with the request."""

    def traceparent(self) -> str:
        """The header value that makes this span the parent of the callee's."""
        return f"00-{self.trace_id}-{self.span_id}-{self.flags:02x}"


def _random_hex(nbytes: int) -> str:
    while True:
        value = secrets.token_hex(nbytes)
        if value.strip("0"):
            return value


def parse_traceparent(header: str | None) -> tuple[str, str, int] | None:
    """(trace id, parent span id, flags) of a traceparent header; None when it is missing or not valid."""
    if not header:
        return None
    m = _TRACEPARENT.match(header.strip())
    if not m:
        return None
    version, trace_id, parent_id, flags, rest = m.groups()
    if version == "ff" or (version == "00" and rest is not None):
        return None
    if not trace_id.strip("0") or not parent_id.strip("0"):
        return None
    return trace_id, parent_id, int(flags, 16)


def continue_trace(header: str | None) -> TraceContext:
    """This service's span in the incoming trace, or the first span of a new, sampled trace."""
    parent = parse_traceparent(header)
    if parent:
        trace_id, parent_id, flags = parent
        return TraceContext(trace_id, _random_hex(8), flags, parent_id)
    return TraceContext(_random_hex(16), _random_hex(8))


def current_trace() -> TraceContext | None:
    """The trace of the request being handled, if any."""
    return _current.get()


def set_current_trace(ctx: TraceContext | None) -> contextvars.Token:
    """Makes ``ctx`` the current trace; give the token to ``reset_current_trace`` when done."""
    return _current.set(ctx)


def reset_current_trace(token: contextvars.Token) -> None:
    _current.reset(token)


def traced_urlopen(request: str | urllib.request.Request, timeout: float = 10.0):
    """``urllib.request.urlopen`` that forwards the current trace in a ``traceparent`` header."""
    req = request if isinstance(request, urllib.request.Request) else urllib.request.Request(request)
    ctx = current_trace()
    if ctx:
        req.add_header("traceparent", ctx.traceparent())
    return urllib.request.urlopen(req, timeout=timeout)  # noqa: S310 - the caller chooses the URL
