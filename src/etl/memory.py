"""Handing memory freed by a finished step back to the operating system.

glibc keeps freed heap memory in per-thread arenas for reuse.  The CLI and flows run portals in threads, and
each thread's last merge or extraction left its peak in its own arena: ``portal-etl crawl`` of four portals
kept about 500 MB it no longer used beside the next portal's merge.  ``release_freed_memory`` is called after
each heavy step (``etl.pipeline``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys


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


def release_freed_memory() -> bool:
    """Collect Python garbage and return free heap pages of every arena to the OS (``malloc_trim``; a few ms).
    False where the C library has no such call."""
    gc.collect()
    if _TRIM is None:
        return False
    _TRIM(0)
    return True
