"""Prometheus metrics in the text exposition format (version 0.0.4), with no dependency: counters,
gauges and histograms with labels, served by GET /metrics. Safe to use from several threads."""

from __future__ import annotations

import math
import threading

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

Labels = dict[str, str]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(labels: Labels) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items()) + "}"


def _value(v: float) -> str:
    if v == math.inf:
        return "+Inf"
    if v == -math.inf:
        return "-Inf"
    return repr(float(v)) if isinstance(v, float) and not v.is_integer() else str(int(v))


def _key(labels: Labels) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(labels.items()))


class _Metric:
    type = ""

    def __init__(self, name: str, help_text: str) -> None:
        self.name = name
        self.help = help_text
        self._lock = threading.Lock()
        self._series: dict[tuple[tuple[str, str], ...], tuple[Labels, object]] = {}

    def render(self) -> str:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} {self.type}"]
        with self._lock:
            for labels, value in self._series.values():
                lines.extend(self._lines(labels, value))
        return "\n".join(lines) + "\n"

    def _lines(self, labels: Labels, value: object) -> list[str]:
        return [f"{self.name}{_labels(labels)} {_value(value)}"]  # type: ignore[arg-type]


class Counter(_Metric):
    type = "counter"

    def inc(self, labels: Labels | None = None, by: float = 1) -> None:
        if by < 0:
            raise ValueError(f"{self.name}: a counter only goes up")
        labels = labels or {}
        with self._lock:
            _, value = self._series.get(_key(labels), (labels, 0))
            self._series[_key(labels)] = (dict(labels), value + by)  # type: ignore[operator]

    def get(self, labels: Labels | None = None) -> float:
        with self._lock:
            return self._series.get(_key(labels or {}), ({}, 0))[1]  # type: ignore[return-value]


class Gauge(_Metric):
    type = "gauge"

    def set(self, value: float, labels: Labels | None = None) -> None:
        labels = labels or {}
        with self._lock:
            self._series[_key(labels)] = (dict(labels), value)


class Histogram(_Metric):
    type = "histogram"
    DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

    def __init__(self, name: str, help_text: str, buckets: tuple[float, ...] = DEFAULT_BUCKETS) -> None:
        super().__init__(name, help_text)
        self.buckets = buckets

    def observe(self, value: float, labels: Labels | None = None) -> None:
        labels = labels or {}
        with self._lock:
            _, state = self._series.get(_key(labels), (labels, {"counts": [0] * len(self.buckets), "sum": 0.0, "count": 0}))
            for i, le in enumerate(self.buckets):
                if value <= le:
                    state["counts"][i] += 1  # type: ignore[index]
            state["sum"] += value  # type: ignore[index]
            state["count"] += 1  # type: ignore[index]
            self._series[_key(labels)] = (dict(labels), state)

    def _lines(self, labels: Labels, value: object) -> list[str]:
        state = value  # type: dict
        out = [f"{self.name}_bucket{_labels({**labels, 'le': _value(le)})} {state['counts'][i]}" for i, le in enumerate(self.buckets)]
        out.append(f"{self.name}_bucket{_labels({**labels, 'le': '+Inf'})} {state['count']}")
        out.append(f"{self.name}_sum{_labels(labels)} {_value(state['sum'])}")
        out.append(f"{self.name}_count{_labels(labels)} {state['count']}")
        return out


class Registry:
    """A set of metrics rendered together."""

    def __init__(self) -> None:
        self._metrics: dict[str, _Metric] = {}

    def register(self, metric: _Metric):
        if metric.name in self._metrics:
            raise ValueError(f"metric {metric.name} is registered twice")
        self._metrics[metric.name] = metric
        return metric

    def render(self) -> str:
        return "".join(m.render() for m in self._metrics.values())
