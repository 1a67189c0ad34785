"""Offline sample Party portals (four CMS families) and a local server for tests and demos.

``serve_samples()`` starts them on 127.0.0.1; ``etl.samples.expected`` holds the ground truth.
Names are imported lazily so ``python -m etl.samples.server`` runs without a double import.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "SampleServer": "etl.samples.server",
    "serve_samples": "etl.samples.server",
    "broken_pages": "etl.samples.expected",
    "expected_articles": "etl.samples.expected",
    "must_not_contain": "etl.samples.expected",
    "page_inventory": "etl.samples.expected",
}

__all__ = [
    "SampleServer",
    "broken_pages",
    "expected_articles",
    "must_not_contain",
    "page_inventory",
    "serve_samples",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'etl.samples' has no attribute {name!r}")
