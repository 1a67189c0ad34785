"""The optional DuckLake archive: catalog in PostgreSQL, data as Parquet files on a shared path.

Selected by an archive string (``Settings.archive``, ``--archive``, env ``PORTAL_ETL_ARCHIVE``)::

    ducklake:postgres:<libpq conninfo or URL>;data=<path>
    ducklake:postgres:host=db.lan port=5432 dbname=portal_lake user=etl;data=/srv/lake/data/
    ducklake:postgres:postgresql://etl@db.lan:5432/portal_lake;data=s3://bucket/lake/

``;data=`` is needed only when the lake is created (DuckLake stores it in the catalog); readers may omit it.
Passwords belong in ``~/.pgpass`` or ``PGPASSWORD`` (libpq reads both), not in the string.  Any catalog
DuckLake accepts after ``ducklake:`` works (``ducklake:/path/meta.ducklake`` for a one-machine trial), but
only a PostgreSQL catalog takes writers on several machines.

The lake has the same tables and columns as the single-file archive (the DDL of ``etl.store.schema`` with
PRIMARY KEY / UNIQUE removed, which DuckLake does not support), plus one bookkeeping table,
``lake_writer(version, batch_id, committed_at)``.  A batch is merged in one lake transaction that mirrors
``etl.store.loader.merge_batch`` (``MERGE INTO`` instead of ``ON CONFLICT``), so loading stays idempotent.

Concurrency: DuckLake commits optimistically.  Two writers that insert into the same table both commit, so
two merges could each miss the other's articles (duplicate detection, "already merged?" checks).  Every
merge therefore also updates the single row of ``lake_writer``: of two overlapping merges DuckLake lets one
commit and fails the other with a conflict, which we roll back and run again against the new snapshot
(``with_retries``) — merges are serialisable while crawls stay fully parallel.  Catalog-level conflicts
(``ducklake_snapshot_pkey``, concurrent ``CREATE TABLE IF NOT EXISTS``) are retried the same way.

Extensions are loaded by path from the registry packages ``duckdb-extension-ducklake`` and
``duckdb-extension-postgres`` (no download at run time); DuckDB 1.5.5 loads the postgres one only under the
file name ``postgres_scanner.duckdb_extension``, so it is copied once into a cache folder under that name.
"""

from __future__ import annotations

import logging
import os
import random
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

from etl.store.loader import (
    ArchiveError,
    ArchiveLocked,
    LoadResult,
    merge_each,
    merge_staged,
    ready_batches,
    record_run,
)
from etl.store.schema import MIGRATIONS
from etl.store.sqltext import sql_literal
from etl.store.staging import Batch

log = logging.getLogger(__name__)

PREFIX = "ducklake:"
ALIAS = "lake"
WRITER_TABLE = "lake_writer"  # one row; every merge updates it so overlapping merges conflict (see above)
LAKE_ONLY_TABLES = (WRITER_TABLE, "schema_migrations")
# Tables that hold archived data: a migration target must not hold rows in any of them yet.
DATA_TABLES = ("articles", "images", "pages", "crawl_runs", "doc_refs", "people")
MAX_ATTEMPTS = 60
T = TypeVar("T")


class LakeError(ArchiveError):
    """The lake cannot be used as configured (bad archive string, extensions missing, bad catalog)."""


class LakeUnavailable(ArchiveLocked):
    """The lake's catalog cannot be reached now; batches stay staged and are merged by a later run."""


@dataclass(frozen=True)
class LakeSpec:
    catalog: str  # what follows "ducklake:": "postgres:<conninfo>" or a DuckLake catalog file
    data_path: str | None = None

    @property
    def target(self) -> str:
        return PREFIX + self.catalog

    @property
    def is_postgres(self) -> bool:
        return self.catalog.startswith("postgres:")

    def describe(self) -> str:
        """The archive string without any password."""
        text = re.sub(r"(password\s*=\s*)\S+", r"\1***", self.target)
        text = re.sub(r"(://[^:/@]+:)[^@]+@", r"\1***@", text)
        return text + (f";data={self.data_path}" if self.data_path else "")


def is_lake(archive: str | None) -> bool:
    return bool(archive) and str(archive).startswith(PREFIX)


def parse_archive(archive: str) -> LakeSpec:
    """``ducklake:<catalog>[;data=<path>]`` -> LakeSpec."""
    text = (archive or "").strip()
    if not text.startswith(PREFIX):
        raise LakeError(f"not a lake archive string (expected ducklake:postgres:...;data=PATH): {text!r}")
    body, data_path = text[len(PREFIX):], None
    match = re.search(r";\s*data\s*=", body)
    if match:
        body, data_path = body[:match.start()], body[match.end():].strip() or None
    body = body.strip()
    if not body or body == "postgres:":
        raise LakeError("the lake archive string names no catalog (ducklake:postgres:<conninfo>;data=PATH)")
    return LakeSpec(body, data_path)


# --- extensions ---------------------------------------------------------------------------------------------


def extension_cache_dir() -> Path:
    root = os.environ.get("PORTAL_ETL_EXTENSION_DIR")
    base = Path(root) if root else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "portal-etl"
    return base / "duckdb-extensions" / f"v{duckdb.__version__}"


def _packaged(module: str, filename: str) -> Path | None:
    try:
        package = __import__(module)
    except ImportError:
        return None
    root = Path(package.__file__).parent / "extensions"
    exact = root / f"v{duckdb.__version__}" / filename
    if exact.exists():
        return exact
    found = sorted(root.glob(f"*/{filename}"))
    return found[-1] if found else None


def extension_paths() -> dict[str, Path | None]:
    """Files to LOAD: ducklake as shipped, postgres copied to ``postgres_scanner.duckdb_extension``."""
    ducklake = _packaged("duckdb_extension_ducklake", "ducklake.duckdb_extension")
    postgres = _packaged("duckdb_extension_postgres", "postgres.duckdb_extension")
    if postgres is not None:
        target = extension_cache_dir() / "postgres_scanner.duckdb_extension"
        if not target.exists() or target.stat().st_size != postgres.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            shutil.copyfile(postgres, tmp)
            os.replace(tmp, target)  # atomic: concurrent workers never load a half-copied file
        postgres = target
    return {"ducklake": ducklake, "postgres_scanner": postgres}


def load_extensions(con: duckdb.DuckDBPyConnection, postgres: bool = True) -> None:
    paths = extension_paths()
    wanted = ["ducklake"] + (["postgres_scanner"] if postgres else [])
    for name in wanted:
        path = paths[name]
        try:
            con.execute(f"LOAD '{path.as_posix()}'" if path is not None else f"LOAD {name}")
        except duckdb.Error as exc:
            package = "duckdb-extension-ducklake" if name == "ducklake" else "duckdb-extension-postgres"
            raise LakeError(
                f"cannot load DuckDB's {name} extension ({str(exc).splitlines()[0]}); "
                f"install {package}=={duckdb.__version__} (pip)"
            ) from None


# --- attaching ----------------------------------------------------------------------------------------------


def attach(con: duckdb.DuckDBPyConnection, spec: LakeSpec, *, read_only: bool = False, alias: str = ALIAS) -> None:
    """Attach the lake as ``alias`` and make it the default catalog (``USE``)."""
    load_extensions(con, postgres=spec.is_postgres)
    options = []
    if spec.data_path:
        if not read_only and "://" not in spec.data_path:
            Path(spec.data_path).mkdir(parents=True, exist_ok=True)
        options.append(f"DATA_PATH {sql_literal(spec.data_path)}")
    if read_only:
        options.append("READ_ONLY")
    clause = f" ({', '.join(options)})" if options else ""
    try:
        # Writers creating a new lake at the same moment race on its catalog tables: attach again.
        for attempt in range(1, 21):
            try:
                con.execute(f"ATTACH {sql_literal(spec.target)} AS {alias}{clause}")
                break
            except duckdb.Error as exc:
                if attempt == 20 or not is_conflict(exc):
                    raise
                time.sleep(0.1 * attempt * (0.5 + random.random()))
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        if any(s in message.lower() for s in ("connection refused", "could not connect", "timeout", "no route")):
            raise LakeUnavailable(
                f"the lake catalog {spec.describe()} is unreachable ({message}); "
                "staged batches stay in place and will be merged on the next run"
            ) from None
        raise LakeError(f"cannot attach the lake {spec.describe()}: {message}") from None
    con.execute(f"USE {alias}")
    try:  # DuckLake's own commit retries (ours wrap them; see with_retries)
        con.execute("SET ducklake_max_retry_count = 100")
    except duckdb.Error:
        pass


def connect_lake(spec: LakeSpec | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the lake attached as ``lake`` (and in use)."""
    spec = parse_archive(spec) if isinstance(spec, str) else spec
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
        attach(con, spec, read_only=read_only)
    except BaseException:
        con.close()
        raise
    return con


def open_lake(spec: LakeSpec | str) -> duckdb.DuckDBPyConnection:
    """A writer's connection: attached and migrated to the latest schema."""
    con = connect_lake(spec)
    try:
        migrate_lake(con)
    except BaseException:
        con.close()
        raise
    return con


def open_lake_readonly(spec: LakeSpec | str) -> duckdb.DuckDBPyConnection:
    """For analysts: the lake attached READ_ONLY (any number of readers, never blocking a writer)."""
    return connect_lake(spec, read_only=True)


# --- retries ------------------------------------------------------------------------------------------------

_CONFLICT_MARKERS = (
    "conflict", "ducklake_snapshot_pkey", "duplicate key value", "could not serialize", "deadlock",
    "already exists", "catalog write-write", "has been altered",
)


def is_conflict(exc: BaseException) -> bool:
    if isinstance(exc, duckdb.TransactionException):
        return True
    message = str(exc).lower()
    return isinstance(exc, duckdb.Error) and any(m in message for m in _CONFLICT_MARKERS)


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # a failed COMMIT already ended the transaction


def with_retries(con: duckdb.DuckDBPyConnection, work: Callable[[], T], what: str, attempts: int = MAX_ATTEMPTS) -> T:
    """Run ``work`` (one transaction: BEGIN ... COMMIT) again after a commit conflict, with jittered backoff."""
    delay = 0.05
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except Exception as exc:
            _rollback(con)
            if not is_conflict(exc) or attempt == attempts:
                raise
            log.info("%s: lake commit conflict (attempt %d), retrying: %s", what, attempt,
                     str(exc).splitlines()[-1][:200])
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 1.7, 2.0)
    raise AssertionError("unreachable")


# --- schema -------------------------------------------------------------------------------------------------

_PK_CLAUSE = re.compile(r",\s*PRIMARY\s+KEY\s*\([^)]*\)", re.IGNORECASE)
_INLINE_KEY = re.compile(r"\s+(PRIMARY\s+KEY|UNIQUE)\b", re.IGNORECASE)
_INSERT_OR_REPLACE = re.compile(r"^\s*INSERT\s+OR\s+REPLACE\s+INTO\s+(\w+)", re.IGNORECASE)


def lake_statements(statement: str) -> list[str]:
    """One statement of ``etl.store.schema`` rewritten for DuckLake (no key constraints, no upsert)."""
    text = statement.strip()
    if re.match(r"CREATE\s+TABLE", text, re.IGNORECASE):
        lines = [line.split("--", 1)[0] for line in text.splitlines()]  # comments may mention "unique"
        text = _INLINE_KEY.sub("", _PK_CLAUSE.sub("", "\n".join(lines)))
        return [text]
    match = _INSERT_OR_REPLACE.match(text)
    if match:  # only used to (re)fill a whole reference table (provinces): replace its rows
        table = match.group(1)
        return [f"DELETE FROM {table}", _INSERT_OR_REPLACE.sub(f"INSERT INTO {table}", text, count=1)]
    return [text]


def _bootstrap(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("BEGIN TRANSACTION")
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL, description VARCHAR, "
                "applied_at TIMESTAMPTZ)")
    con.execute(f"CREATE TABLE IF NOT EXISTS {WRITER_TABLE} (version BIGINT NOT NULL, batch_id VARCHAR, "
                "committed_at TIMESTAMPTZ)")
    con.execute(f"INSERT INTO {WRITER_TABLE} SELECT 0, NULL, now() WHERE NOT EXISTS (SELECT 1 FROM {WRITER_TABLE})")
    con.execute("COMMIT")


def _applied(con: duckdb.DuckDBPyConnection) -> set[int]:
    return {int(r[0]) for r in con.execute("SELECT version FROM schema_migrations").fetchall()}


def _claim(con: duckdb.DuckDBPyConnection, batch_id: str | None) -> None:
    """Touch the writer row: overlapping transactions that both do this cannot both commit."""
    con.execute(f"UPDATE {WRITER_TABLE} SET version = version + 1, batch_id = ?, committed_at = now()", [batch_id])


def migrate_lake(con: duckdb.DuckDBPyConnection) -> int:
    """Create or bring the lake's tables up to date (safe with several writers starting at once)."""
    with_retries(con, lambda: _bootstrap(con), "lake bootstrap")
    applied = 0
    for number, description, statements in MIGRATIONS:
        if number in _applied(con):
            continue

        def apply(number=number, description=description, statements=statements) -> bool:
            con.execute("BEGIN TRANSACTION")
            if number in _applied(con):  # another writer got there first
                con.execute("ROLLBACK")
                return False
            _claim(con, f"migration {number}")
            for statement in statements:
                if callable(statement):
                    statement(con)
                else:
                    for sql in lake_statements(statement):
                        con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [number, description])
            con.execute("COMMIT")
            return True

        applied += bool(with_retries(con, apply, f"lake migration {number}"))
    return applied


# --- merging a batch ----------------------------------------------------------------------------------------


def merge_batch(con: duckdb.DuckDBPyConnection, batch: Batch) -> LoadResult:
    """Merge one READY batch in one lake transaction, retried on commit conflicts; idempotent."""
    return with_retries(con, lambda: _merge_once(con, batch), f"merge of {batch.id}")


def _merge_once(con: duckdb.DuckDBPyConnection, batch: Batch) -> LoadResult:
    manifest = batch.manifest()
    crawl = manifest.get("crawl") or {}
    portal = manifest.get("portal") or crawl.get("portal") or ""

    con.execute("BEGIN TRANSACTION")
    already = con.execute("SELECT status FROM crawl_runs WHERE run_id = ?", [batch.id]).fetchone()
    if already:
        con.execute("ROLLBACK")
        return LoadResult(batch.id, portal, already[0], 0, 0, 0, 0, 0, skipped=True)
    _claim(con, batch.id)
    found, new, updated = merge_staged(con, batch, manifest)
    result = record_run(con, batch, portal, manifest, found, new, updated)
    con.execute("COMMIT")
    return result


def load_ready_batches(
    archive: str | LakeSpec,
    staging_root: str | Path,
    *,
    batch_ids: list[str] | None = None,
    keep_batches: bool = False,
) -> list[LoadResult]:
    """Merge every READY batch (or just ``batch_ids``) into the lake, oldest first; the lake counterpart of
    ``etl.store.loader.load_ready_batches`` (no snapshot to publish: readers attach the lake read-only)."""
    batches = ready_batches(staging_root, batch_ids)
    if not batches:
        return []
    con = open_lake(archive)
    try:
        return merge_each(con, batches, merge_batch, keep_batches, into=" into the lake")
    finally:
        con.close()


def flush_inlined(archive: str | LakeSpec) -> None:
    """Write rows DuckLake keeps inlined in the catalog (commits of <= 10 rows) to Parquet files, so tools
    reading the Parquet files directly see them too (DuckDB readers see them either way)."""
    con = connect_lake(archive)
    try:
        with_retries(con, lambda: con.execute(f"CALL ducklake_flush_inlined_data('{ALIAS}')"), "flush")
    finally:
        con.close()


# --- moving an archive between a DuckDB file and a lake ------------------------------------------------------


@dataclass
class MigrationReport:
    tables: dict[str, int]  # rows copied per table

    @property
    def total(self) -> int:
        return sum(self.tables.values())


def _base_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? AND table_schema = 'main' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name", [catalog]
    ).fetchall()
    return [r[0] for r in rows]


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog = ? AND table_schema = 'main' "
        "AND table_name = ? ORDER BY ordinal_position", [catalog, table]
    ).fetchall()
    return [r[0] for r in rows]


def _copy_tables(con: duckdb.DuckDBPyConnection, src: str, dst: str) -> dict[str, int]:
    """Copy every base table of ``src`` into ``dst`` (inside the caller's transaction); refuses to mix."""
    skip = set(LAKE_ONLY_TABLES) | {"snapshot_info"}
    tables = [t for t in _base_tables(con, src) if t not in skip]
    existing = set(_base_tables(con, dst))
    for table in DATA_TABLES:
        if table in existing:
            count = con.execute(f'SELECT count(*) FROM {dst}.main."{table}"').fetchone()[0]
            if count:
                raise ArchiveError(
                    f"the target archive already holds {count} row(s) in {table}; migrate into an empty one"
                )
    copied: dict[str, int] = {}
    for table in tables:
        cols = _columns(con, src, table)
        if table not in existing:  # a table this version does not know: keep it anyway, nothing is lost
            con.execute(f'CREATE TABLE {dst}.main."{table}" AS SELECT * FROM {src}.main."{table}" LIMIT 0')
        else:
            missing = set(cols) - set(_columns(con, dst, table))
            if missing:
                raise ArchiveError(f"target table {table} lacks column(s) {', '.join(sorted(missing))}")
            con.execute(f'DELETE FROM {dst}.main."{table}"')  # reference tables (provinces) are replaced
        names = ", ".join(f'"{c}"' for c in cols)
        con.execute(f'INSERT INTO {dst}.main."{table}" ({names}) SELECT {names} FROM {src}.main."{table}"')
        copied[table] = con.execute(f'SELECT count(*) FROM {src}.main."{table}"').fetchone()[0]
    return copied


def _verify(con: duckdb.DuckDBPyConnection, src: str, dst: str, copied: dict[str, int]) -> None:
    for table, count in copied.items():
        landed = con.execute(f'SELECT count(*) FROM {dst}.main."{table}"').fetchone()[0]
        if landed != count:
            raise ArchiveError(f"migration check failed: {table} has {landed} rows in the target, {count} in the source")


def migrate_file_to_lake(db_path: str | Path, archive: str | LakeSpec) -> MigrationReport:
    """Copy a DuckDB archive file into an empty lake, in one lake transaction, and check the row counts."""
    from etl.store.loader import open_archive

    db = Path(db_path)
    if not db.exists():
        raise ArchiveError(f"no archive at {db}")
    open_archive(db).close()  # bring the file to the latest schema first (needs the write lock briefly)
    con = open_lake(archive)
    try:
        con.execute(f"ATTACH {sql_literal(str(db))} AS src (READ_ONLY)")

        def copy() -> dict[str, int]:
            con.execute("BEGIN TRANSACTION")
            _claim(con, f"migrate-archive from {db.name}")
            copied = _copy_tables(con, "src", ALIAS)
            con.execute("COMMIT")
            return copied

        copied = with_retries(con, copy, "migrate-archive")
        _verify(con, "src", ALIAS, copied)
    finally:
        con.close()
    return MigrationReport(copied)


def migrate_lake_to_file(archive: str | LakeSpec, db_path: str | Path, publish: bool = True) -> MigrationReport:
    """Copy a lake into a new (or empty) DuckDB archive file, in one transaction, and check the row counts."""
    from etl.store.loader import open_archive
    from etl.store.snapshot import publish_snapshot

    spec = parse_archive(archive) if isinstance(archive, str) else archive
    db = Path(db_path)
    con = open_archive(db)
    try:
        con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
        load_extensions(con, postgres=spec.is_postgres)
        options = " (READ_ONLY" + (f", DATA_PATH {sql_literal(spec.data_path)}" if spec.data_path else "") + ")"
        try:
            con.execute(f"ATTACH {sql_literal(spec.target)} AS {ALIAS}{options}")
        except duckdb.Error as exc:
            raise LakeError(f"cannot attach the lake {spec.describe()}: {str(exc).splitlines()[0]}") from None
        file_catalog = con.execute("SELECT current_database()").fetchone()[0]
        con.execute("BEGIN TRANSACTION")
        try:
            copied = _copy_tables(con, ALIAS, file_catalog)
            con.execute("COMMIT")
        except Exception:
            _rollback(con)
            raise
        _verify(con, ALIAS, file_catalog, copied)
        con.execute(f"DETACH {ALIAS}")
        if publish:
            publish_snapshot(con, db)
    finally:
        con.close()
    return MigrationReport(copied)
