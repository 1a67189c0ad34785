"""Handing memory freed by a finished step back to the operating system.

glibc keeps freed heap memory in per-thread arenas for reuse.  The CLI and flows run portals in threads, and
each thread's last merge or extraction left its peak in its own arena: ``portal-etl crawl`` of four portals
kept about 500 MB it no longer used beside the next portal's merge.  ``release_freed_memory`` is called after
each heavy step (``etl.pipeline``).  A crawler process calls ``trim_heap`` every few seconds
(``portal_crawlers.extensions.ReleaseFreedMemory``): its discovery phase parses listing pages faster than
the scheduler drains them and leaves a 40 MB high-water mark in the heap otherwise.  Extraction workers
trim once a second or so (``trim_heap_now_and_then``): the first worker of a batch otherwise keeps ~40 MB of
freed parse trees for the rest of the batch.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
import time


def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim  # glibc only (musl has none)
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_TRIM = _malloc_trim()


def trim_heap() -> bool:
    """Return free heap pages of every arena to the OS (``malloc_trim``; a few ms).  False where the C library
    has no such call."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True


_last_trim = 0.0


def trim_heap_now_and_then(interval: float = 1.0) -> bool:
    """``trim_heap`` unless this process trimmed less than ``interval`` seconds ago (for loops that free a
    little on every turn: extraction workers call it after each chunk of pages)."""
    global _last_trim
    now = time.monotonic()
    if now - _last_trim < interval:
        return False
    _last_trim = now
    return trim_heap()


def release_freed_memory() -> bool:
    """Collect Python garbage, then ``trim_heap``."""
    gc.collect()
    return trim_heap()
