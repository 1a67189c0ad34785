"""Suite-wide safety: no telemetry, an isolated Prefect home, loopback only."""

from __future__ import annotations

import os
import tempfile

# Set before anything imports Prefect (test modules import flows lazily).
_PREFECT_HOME = tempfile.mkdtemp(prefix="portal-etl-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_SERVER_UI_ENABLED"] = "false"
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
