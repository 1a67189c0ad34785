"""Schedules as configuration: which portal groups are crawled when (``schedules.toml``).

Plain data, no Prefect here: ``portal-etl serve`` turns every group into a Prefect deployment of the
``crawl-portals`` flow (``portal_flows.deployments``), and ``prefect.yaml`` lists the same groups for users
with a Prefect server and work pools.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from etl.config import Settings

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
MODES = ("incremental", "refresh")

# What a mode means for a run; a group's [schedule.parameters] override these.
#   incremental: the crawler skips what the archive already holds (Settings.incremental) - new news only.
#   refresh:     also refetches (conditionally) the stored articles published in the last `refresh_days`
#                days and updates the changed ones; the day is computed when each run starts.
MODE_DEFAULTS: dict[str, dict[str, Any]] = {
    "incremental": {"incremental": True, "crawl_timeout": 3600.0},
    "refresh": {"incremental": True, "refresh_days": 30, "crawl_timeout": 3 * 3600.0},
}
# Parameters a schedule may set (the archive and registry paths come from the command line).
PARAMETERS = ("max_articles", "crawl_timeout", "lock_timeout", "portal_concurrency", "keep_batches",
              "scrapy_settings", "staging_dir", "incremental", "refresh_days", "refresh_since", "contact_url")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class ScheduleError(ValueError):
    """The schedules file is malformed."""


@dataclass(frozen=True)
class ScheduleGroup:
    name: str
    cron: str
    timezone: str = DEFAULT_TIMEZONE
    portals: tuple[str, ...] | None = None  # None: every portal in the registry
    mode: str = "incremental"
    active: bool = True
    parameters: dict[str, Any] = field(default_factory=dict)
    description: str | None = None

    def settings(self, base: Settings) -> Settings:
        """``base`` (paths from the command line) with the mode's defaults and this group's parameters
        (``refresh_days`` is not a setting: see :meth:`flow_parameters`)."""
        changes = {k: v for k, v in {**MODE_DEFAULTS[self.mode], **self.parameters}.items() if k != "refresh_days"}
        if changes.get("staging_dir"):
            changes["staging_dir"] = Path(changes["staging_dir"])
        if "scrapy_settings" in changes:
            changes["scrapy_settings"] = {str(k): str(v) for k, v in changes["scrapy_settings"].items()}
        return base.with_(**changes)

    @property
    def refresh_days(self) -> int | None:
        days = {**MODE_DEFAULTS[self.mode], **self.parameters}.get("refresh_days")
        return int(days) if days is not None else None

    def flow_parameters(self, base: Settings) -> dict[str, Any]:
        """Parameters of the ``crawl-portals`` flow for runs of this group; ``settings.refresh_days`` is
        turned into ``refresh_since`` by the flow when each run starts."""
        settings = self.settings(base).to_dict()
        if self.refresh_days is not None and not settings.get("refresh_since"):
            settings["refresh_days"] = self.refresh_days
        return {"portal_ids": list(self.portals) if self.portals else None, "settings": settings}


def default_schedules_file() -> Path:
    return Path(str(resources.files("etl") / "schedules.toml"))


def load_schedules(path: str | Path | None = None) -> list[ScheduleGroup]:
    source = Path(path) if path is not None else default_schedules_file()
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScheduleError(f"schedules file {source} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScheduleError(f"cannot read schedules file {source}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleError(f"schedules file {source} is not valid TOML: {exc}") from None
    entries = data.get("schedule")
    if not isinstance(entries, list) or not entries:
        raise ScheduleError(f"schedules file {source} has no [[schedule]] tables")
    groups = [_group(entry, i, source) for i, entry in enumerate(entries, 1)]
    names = [g.name for g in groups]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ScheduleError(f"schedules file {source}: duplicate schedule name(s): {', '.join(duplicates)}")
    return groups


def _group(entry: Any, index: int, source: Path) -> ScheduleGroup:
    where = f"schedules file {source}, schedule #{index}"
    if not isinstance(entry, dict):
        raise ScheduleError(f"{where}: expected a table")
    known = {"name", "cron", "timezone", "portals", "mode", "active", "parameters", "description"}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise ScheduleError(f"{where}: unknown field(s) {', '.join(unknown)}")
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ScheduleError(f"{where}: name must be lower-case letters, digits, - or _ (got {name!r})")
    where = f"schedules file {source}, schedule {name!r}"
    cron = entry.get("cron")
    if not isinstance(cron, str) or len(cron.split()) != 5:
        raise ScheduleError(f"{where}: cron must be a five-field cron expression (got {cron!r})")
    timezone = entry.get("timezone", DEFAULT_TIMEZONE)
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"{where}: unknown timezone {timezone!r}") from None
    portals = entry.get("portals", "all")
    if portals == "all":
        portal_ids = None
    elif isinstance(portals, list) and portals and all(isinstance(p, str) for p in portals):
        portal_ids = tuple(portals)
    else:
        raise ScheduleError(f"{where}: portals must be \"all\" or a list of portal ids")
    mode = entry.get("mode", "incremental")
    if mode not in MODES:
        raise ScheduleError(f"{where}: mode must be one of {', '.join(MODES)} (got {mode!r})")
    active = entry.get("active", True)
    if not isinstance(active, bool):
        raise ScheduleError(f"{where}: active must be true or false")
    parameters = entry.get("parameters", {})
    if not isinstance(parameters, dict):
        raise ScheduleError(f"{where}: parameters must be a table")
    bad = sorted(set(parameters) - set(PARAMETERS))
    if bad:
        raise ScheduleError(f"{where}: unknown parameter(s) {', '.join(bad)} (allowed: {', '.join(PARAMETERS)})")
    days = parameters.get("refresh_days")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 1):
        raise ScheduleError(f"{where}: parameters.refresh_days must be a whole number of days >= 1")
    if "scrapy_settings" in parameters and not isinstance(parameters["scrapy_settings"], dict):
        raise ScheduleError(f"{where}: parameters.scrapy_settings must be a table")
    description = entry.get("description")
    return ScheduleGroup(name, cron, str(timezone), portal_ids, mode, active, dict(parameters),
                         str(description) if description else None)
