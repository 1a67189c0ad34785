"""One settings object, built at the edges (CLI flags, flow parameters) and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_DB = Path("data/portals.duckdb")


@dataclass(frozen=True)
class Settings:
    db_path: Path = DEFAULT_DB
    staging_dir: Path | None = None  # default: <db folder>/staging
    portals_file: Path | None = None  # None: the registry shipped with the package
    max_articles: int | None = None  # per portal and run
    crawl_timeout: float = 3 * 3600.0  # seconds before a hung crawl is killed
    lock_timeout: float = 30.0  # seconds to wait for the archive lock before leaving batches staged
    portal_concurrency: int = 4  # portals crawled at once
    scrapy_settings: dict[str, str] = field(default_factory=dict)  # extra `-s NAME=VALUE` for the spider
    keep_batches: bool = False
    # Publish the analysts' snapshot after every merge.  A run over many portals turns this off for its
    # per-portal loads and publishes once at the end (each publication copies the archive and rebuilds the
    # full-text index).
    publish: bool = True
    incremental: bool = True  # hand the crawler what the archive holds (etl.store.state): skip known pages
    refresh_since: str | None = None  # YYYY-MM-DD: refetch articles published since then, update changed ones
    contact_url: str | None = None  # contact page named in the crawler's User-Agent
    extract_workers: int | None = None  # extraction processes (etl.parallel); None: $PORTAL_ETL_WORKERS or CPUs
    # None: the DuckDB file ``db_path`` (the default).  "ducklake:postgres:<conninfo>;data=<path>": a DuckLake
    # archive shared by many machines (etl.store.lake); the environment variable PORTAL_ETL_ARCHIVE sets it too.
    archive: str | None = field(default_factory=lambda: os.environ.get("PORTAL_ETL_ARCHIVE") or None)

    @property
    def staging(self) -> Path:
        return self.staging_dir if self.staging_dir is not None else Path(self.db_path).parent / "staging"

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """Plain values, for Prefect flow parameters."""
        return {
            "db_path": str(self.db_path),
            "staging_dir": str(self.staging_dir) if self.staging_dir else None,
            "portals_file": str(self.portals_file) if self.portals_file else None,
            "max_articles": self.max_articles,
            "crawl_timeout": self.crawl_timeout,
            "lock_timeout": self.lock_timeout,
            "portal_concurrency": self.portal_concurrency,
            "scrapy_settings": dict(self.scrapy_settings),
            "keep_batches": self.keep_batches,
            "publish": self.publish,
            "incremental": self.incremental,
            "refresh_since": self.refresh_since,
            "contact_url": self.contact_url,
            "extract_workers": self.extract_workers,
            "archive": self.archive,
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> Settings:
        data = dict(data or {})
        for key in ("db_path", "staging_dir", "portals_file"):
            if data.get(key):
                data[key] = Path(data[key])
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known and v is not None})
