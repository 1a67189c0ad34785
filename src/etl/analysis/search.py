"""Vietnamese full-text search over the archive: BM25 through DuckDB's ``fts`` extension, or a plain scan.

Where the extension comes from
    DuckDB normally downloads ``fts`` at run time, which fails offline.  The PyPI package
    ``duckdb-extension-fts`` (same version as ``duckdb``) ships the binary; :func:`load_fts` loads it by path
    and never lets DuckDB try the network.  An extension already installed in ``~/.duckdb`` is used next.

Where the index lives
    The snapshot analysts read is read-only, and the archive should not carry a second copy of every text.
    So the index is built in the snapshot copy just before it is renamed into place
    (``etl.store.snapshot.publish_snapshot`` calls :func:`build_search_index`).  It is rebuilt in full at
    each publication in which some article's text changed (the extension has no incremental update); when
    none did, it is copied from the snapshot being replaced (``search_index_info.signature``).  The input
    tables are dropped once indexed, leaving only the index schemas ``fts_main_search_norm`` and
    ``fts_main_search_fold``.

Two indexes
    ``search_norm``: title and ``text_norm`` (one tone-mark placement, "hoà" → "hòa", "uỷ" → "ủy"), lower case,
    accents kept.  ``search_fold``: the same text with đ/Đ mapped to d/D and every accent stripped, for
    accent-insensitive queries ("phong chong dich" finds "phòng chống dịch").  Tokens are runs of letters
    and digits (``35-CT/TW`` → ``35 ct tw``); no stemming, no stop words (Vietnamese has neither).

Ranking
    Every query syllable must occur (conjunctive BM25: Vietnamese words are several syllables); articles
    that contain the query as an exact phrase come first, then BM25 score.  Without the extension or the
    index (an older snapshot, ``--live`` on the archive) the search falls back to a scan (ILIKE on the same
    normalised text) ranked by phrase match and term frequency, and says so.
"""

from __future__ import annotations

import logging
import os
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from etl.normalise.text import fold_vietnamese, normalise_tone_marks
from etl.store.sqltext import sql_str

log = logging.getLogger(__name__)

INDEXES = {"norm": "search_norm", "fold": "search_fold"}
INFO_TABLE = "search_index_info"
TOKEN_IGNORE = r"[^\p{L}\p{N}]+"  # RE2: everything but letters and digits separates tokens
_TOKEN_SPLIT = re.compile(r"[\W_]+")


# --- the extension ------------------------------------------------------------------------------------

def extension_file() -> Path | None:
    """The fts binary shipped by the ``duckdb-extension-fts`` package for this DuckDB version, if installed."""
    try:
        import duckdb_extension_fts  # type: ignore[import-not-found]
    except ImportError:
        return None
    root = Path(duckdb_extension_fts.__file__).parent / "extensions"
    exact = root / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    if exact.exists():
        return exact
    found = sorted(root.glob("*/fts.duckdb_extension"))
    return found[-1] if found else None


def load_fts(con: duckdb.DuckDBPyConnection) -> str | None:
    """Load the fts extension without touching the network; returns how it was loaded, or None."""
    try:
        con.execute("SET autoinstall_known_extensions = false")
    except duckdb.Error:
        pass
    path = extension_file()
    if path is not None:
        try:
            con.execute(f"LOAD '{path.as_posix()}'")
            return f"duckdb-extension-fts package ({path.parent.name})"
        except duckdb.Error as exc:
            log.warning("cannot load the fts extension from %s: %s", path, str(exc).splitlines()[0])
    try:
        con.execute("LOAD fts")
        return "fts extension installed in DuckDB's extension directory"
    except duckdb.Error:
        return None


# --- building the index (in the snapshot copy, at publication) ----------------------------------------------

@dataclass
class IndexInfo:
    route: str
    articles: int
    seconds: float
    reused: bool = False  # copied from the previous snapshot (no indexed text changed), not rebuilt


def _fts_args(kind: str) -> str:
    strip = 1 if kind == "fold" else 0
    return (f"'article_id', 'title', 'body', stemmer = 'none', stopwords = 'none', ignore = '{TOKEN_IGNORE}',"
            f" strip_accents = {strip}, lower = 1, overwrite = 1")


def _source_tables(con: duckdb.DuckDBPyConnection, limit: str = "") -> None:
    con.execute(
        f"CREATE OR REPLACE TABLE {INDEXES['norm']} AS SELECT article_id, vn_tone(title) AS title,"
        f" coalesce(text_norm, text) AS body FROM articles {limit}"
    )
    con.execute(
        f"CREATE OR REPLACE TABLE {INDEXES['fold']} AS SELECT article_id,"
        " replace(replace(title, 'đ', 'd'), 'Đ', 'D') AS title,"
        " replace(replace(body, 'đ', 'd'), 'Đ', 'D') AS body"
        f" FROM {INDEXES['norm']}"
    )


def indexed_text_signature(con: duckdb.DuckDBPyConnection) -> str:
    """What the index is built from (every article's id, title and texts), hashed, with this code's tokenizer
    settings and DuckDB version: equal signatures make equal indexes."""
    count, total = con.execute(
        "SELECT count(*), coalesce(sum(hash(article_id, title, text_norm, text)), 0) FROM articles"
    ).fetchone()
    return f"{count}:{total}:{duckdb.__version__}:{TOKEN_IGNORE}"


def _reuse_index(con: duckdb.DuckDBPyConnection, previous: Path, signature: str) -> bool:
    """Copy both indexes from the ``previous`` snapshot when it was indexed from the same text (``signature``).

    The index schemas (tables and the extension's macros) are first created over one article, with the same
    settings, then their tables are filled from the previous snapshot's.  False, leaving nothing behind, when
    the previous snapshot cannot serve (none, another signature, other index tables)."""

    try:
        con.execute(f"ATTACH '{sql_str(previous)}' AS previous_snapshot (READ_ONLY)")
    except duckdb.Error:
        return False
    try:
        try:
            row = con.execute(f"SELECT signature FROM previous_snapshot.{INFO_TABLE}").fetchone()
        except duckdb.Error:  # no index there, or one recorded before signatures
            return False
        if not row or row[0] != signature:
            return False
        _source_tables(con, "LIMIT 1")
        for kind, table in INDEXES.items():
            con.execute(f"PRAGMA create_fts_index('{table}', {_fts_args(kind)})")
        con.execute("BEGIN TRANSACTION")
        layout = ("SELECT table_name, list(column_name || ' ' || data_type ORDER BY column_index) "
                  "FROM duckdb_columns() WHERE database_name = ? AND schema_name = ? GROUP BY 1 ORDER BY 1")
        current = con.execute("SELECT current_database()").fetchone()[0]
        for table in INDEXES.values():
            schema = f"fts_main_{table}"
            here = con.execute(layout, [current, schema]).fetchall()
            there = con.execute(layout, ["previous_snapshot", schema]).fetchall()
            if here != there:
                raise _NotReusable(f"{schema} differs from the previous snapshot's")
            for name, _ in here:
                con.execute(f"DELETE FROM {schema}.{name}")
                con.execute(f"INSERT INTO {schema}.{name} SELECT * FROM previous_snapshot.{schema}.{name}")
        con.execute("COMMIT")
        return True
    except (_NotReusable, duckdb.Error) as exc:
        log.info("search index not copied from the previous snapshot (%s); rebuilding it", str(exc).splitlines()[0])
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:  # no transaction open
            pass
        return False
    finally:
        con.execute("DETACH previous_snapshot")


class _NotReusable(Exception):
    pass


def _postings_by_term(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Rewrite the index's ``terms`` table (one row per token occurrence) in term order.

    The extension writes it in document order, so every search scans all of it (18 million rows at 20,000
    articles) for the rows of its few terms.  In term order, DuckDB's zone maps skip the row groups of other
    terms: ``portal-etl search`` took 98-118 ms instead of 160-229 ms on the benchmark's 20,000 articles, with
    the same hits and scores, for about 2.5 s per index at publication (one thread, under INDEX_LIMIT).
    The extension's macros name the table, not its storage, so they read the new one.  A copied index
    (``_reuse_index``) keeps the order of the one it copies."""
    schema = f"fts_main_{table}"
    con.execute(f"CREATE TABLE {schema}.terms_by_term AS SELECT * FROM {schema}.terms ORDER BY termid, docid")
    con.execute(f"DROP TABLE {schema}.terms")
    con.execute(f"ALTER TABLE {schema}.terms_by_term RENAME TO terms")


def build_search_index(con: duckdb.DuckDBPyConnection, previous: Path | None = None) -> IndexInfo | None:
    """(Re)build both full-text indexes over ``articles`` in the database open read-write as ``con``.

    ``previous``: the snapshot being replaced; when its index was built from exactly the same article texts
    (an unchanged re-crawl), the index is copied from it instead of rebuilt.
    Returns None, leaving no index, when the extension cannot be loaded (search then scans)."""
    started = time.perf_counter()
    if os.environ.get("PORTAL_ETL_SEARCH_INDEX", "1").strip().lower() in ("0", "false", "no", "off"):
        log.info("full-text index not built: PORTAL_ETL_SEARCH_INDEX is off; search will scan instead")
        return None
    route = load_fts(con)
    if route is None:
        log.warning("full-text index not built: the fts extension is not available "
                    "(pip install duckdb-extension-fts==%s); search will scan instead", duckdb.__version__)
        return None
    con.create_function("vn_tone", normalise_tone_marks, ["VARCHAR"], "VARCHAR", side_effects=False)
    try:
        signature = indexed_text_signature(con)
        reused = previous is not None and previous.exists() and _reuse_index(con, previous, signature)
        if not reused:
            _source_tables(con)
            for kind, table in INDEXES.items():
                con.execute(f"PRAGMA create_fts_index('{table}', {_fts_args(kind)})")
                _postings_by_term(con, table)
        for table in INDEXES.values():
            con.execute(f"DROP TABLE {table}")  # the index keeps its own tables; the copies are not needed
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        seconds = time.perf_counter() - started
        con.execute(
            f"CREATE OR REPLACE TABLE {INFO_TABLE} AS SELECT ? AS route, now() AS built_at,"
            " ?::BIGINT AS articles, ?::DOUBLE AS seconds, ? AS signature, ? AS reused",
            [route, articles, seconds, signature, reused],
        )
    except Exception:
        try:
            con.execute("ROLLBACK")  # a failed PRAGMA leaves its transaction open
        except duckdb.Error:
            pass
        for table in INDEXES.values():  # leave no half-built index behind
            con.execute(f"DROP SCHEMA IF EXISTS fts_main_{table} CASCADE")
            con.execute(f"DROP TABLE IF EXISTS {table}")
        raise
    finally:
        con.remove_function("vn_tone")
    return IndexInfo(route, int(articles), seconds, reused)


def has_index(con: duckdb.DuckDBPyConnection, kind: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = 'docs'",
        [f"fts_main_{INDEXES[kind]}"],
    ).fetchone()
    return bool(row and row[0])


# --- searching --------------------------------------------------------------------------------------------

@dataclass
class Hit:
    article_id: str
    portal: str
    province: str | None
    published_at: datetime | None
    title: str
    url: str
    score: float
    phrase: bool
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)  # spans of snippet to highlight


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    method: str  # "bm25" or "scan"
    note: str | None  # why the scan was used, when it was
    source: Path | None = None
    snapshot_at: datetime | None = None
    seconds: float = 0.0


def fold_query(text: str) -> str:
    return fold_vietnamese(text, lower=True)


def norm_query(text: str) -> str:
    return normalise_tone_marks(text).lower()


def tokens(text: str) -> list[str]:
    return [t for t in _TOKEN_SPLIT.split(text) if t]


def search_connection(
    con: duckdb.DuckDBPyConnection,
    query: str,
    *,
    portals: list[str] | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    limit: int = 20,
    fold: bool = False,
) -> SearchResult:
    """Search the database open as ``con`` (read-only is fine)."""
    started = time.perf_counter()
    kind = "fold" if fold else "norm"
    q = fold_query(query) if fold else norm_query(query)
    terms = tokens(q)
    if not terms:
        raise ValueError("the query has no letters or digits to search for")

    filters, params = [], []
    if portals:
        filters.append(f"a.portal IN ({', '.join('?' for _ in portals)})")
        params.extend(portals)
    if since is not None:
        filters.append("a.published_at >= ?")
        params.append(since)
    if until is not None:
        filters.append("a.published_at < ?")
        params.append(until)
    where = " AND ".join(filters) or "true"

    # The text the phrase test and the scan look at, in the same space as the query.
    base = "lower(a.title || ' ' || coalesce(a.text_norm, a.text))"
    hay = f"strip_accents(replace({base}, 'đ', 'd'))" if fold else base
    sep = "[^\\p{L}\\p{N}]"
    phrase_re = f"(^|{sep})" + f"{sep}+".join(re.escape(t) for t in terms) + f"($|{sep})"
    term_res = [f"(^|{sep}){re.escape(t)}($|{sep})" for t in terms]
    # Exact-phrase promotion looks only at the best candidates: a regex over every matching text would cost
    # more than the BM25 scoring itself on common syllables.
    candidates = max(limit * 5, 200)

    note = None
    route = load_fts(con)
    method = "bm25" if route and has_index(con, kind) else "scan"
    if method == "bm25":
        index = f"fts_main_{INDEXES[kind]}"
        sql = f"""
            WITH scored AS (
                SELECT name AS article_id, {index}.match_bm25(name, ?, conjunctive := 1) AS score
                FROM {index}.docs
            ), top AS (
                SELECT a.*, s.score FROM scored s JOIN articles a USING (article_id)
                WHERE s.score IS NOT NULL AND {where}
                ORDER BY s.score DESC LIMIT ?
            )
            SELECT article_id, portal, province, published_at, title, url, text, score,
                   regexp_matches({hay}, ?) AS phrase
            FROM top a
            ORDER BY phrase DESC, score DESC, published_at DESC NULLS LAST
            LIMIT ?
        """
        args = [q, *params, candidates, phrase_re, limit]
    else:
        note = ("the fts extension cannot be loaded (pip install duckdb-extension-fts=="
                f"{duckdb.__version__})" if not route else
                "this database has no full-text index (it is built when a snapshot is published)")
        # Substring tests first (cheap), then whole-syllable regexes on what is left.
        term_filters = " AND ".join(
            [f"contains({hay}, ?)" for _ in terms] + [f"regexp_matches({hay}, ?)" for _ in terms])
        tf = " + ".join(
            f"(length({hay}) - length(replace({hay}, ?, ''))) / {max(len(t), 1)}" for t in terms
        )
        sql = f"""
            WITH top AS (
                SELECT a.*, ({tf})::DOUBLE AS score FROM articles a
                WHERE {where} AND {term_filters}
                ORDER BY score DESC LIMIT ?
            )
            SELECT article_id, portal, province, published_at, title, url, text, score,
                   regexp_matches({hay}, ?) AS phrase
            FROM top a
            ORDER BY phrase DESC, score DESC, published_at DESC NULLS LAST
            LIMIT ?
        """
        args = [*terms, *params, *terms, *term_res, candidates, phrase_re, limit]
    try:
        rows = con.execute(sql, args).fetchall()
    except duckdb.Error as exc:
        raise ValueError(f"search failed: {str(exc).splitlines()[0]}") from None
    hits = []
    for article_id, portal, province, published_at, title, url, text, score, is_phrase in rows:
        snippet, spans = make_snippet(text or "", terms, fold=fold)
        hits.append(Hit(article_id, portal, province, published_at, title, url, float(score or 0.0),
                        bool(is_phrase), snippet, spans))
    return SearchResult(query, hits, method, note, seconds=time.perf_counter() - started)


def search(db_path: str | Path, query: str, *, live: bool = False, **kwargs) -> SearchResult:
    """Search the archive's published snapshot (``live=True``: the archive itself, always a scan)."""
    from etl.store.query import open_for_reading

    con, source, snapshot_at = open_for_reading(db_path, live=live)
    try:
        result = search_connection(con, query, **kwargs)
    finally:
        con.close()
    result.source, result.snapshot_at = source, snapshot_at
    return result


# --- snippets ---------------------------------------------------------------------------------------------

def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()
    return base if len(base) == 1 else ch.lower()[:1] or ch


def _search_space(text: str, fold: bool) -> str:
    """``text`` mapped character by character into the query's space (same length, same offsets)."""
    if fold:
        return "".join(_fold_char(ch) for ch in text)
    normed = normalise_tone_marks(text)
    if len(normed) != len(text):
        normed = text
    lowered = normed.lower()
    return lowered if len(lowered) == len(text) else "".join((c.lower()[:1] or c) for c in normed)


def make_snippet(text: str, terms: list[str], *, fold: bool = False, width: int = 240) -> tuple[str, list[tuple[int, int]]]:
    """A window of ``text`` around the first phrase match (else the first term), with highlight spans."""
    text = unicodedata.normalize("NFC", text).replace("\n", " ")
    hay = _search_space(text, fold)
    bounded = [re.compile(rf"(?<!\w){re.escape(t)}(?!\w)") for t in terms]
    phrase = re.compile(r"(?<!\w)" + r"[\W_]+".join(re.escape(t) for t in terms) + r"(?!\w)")
    match = phrase.search(hay)
    if match is None:
        found = [m for m in (p.search(hay) for p in bounded) if m]
        match = min(found, key=lambda m: m.start()) if found else None
    centre = match.start() if match else 0
    start = max(0, centre - width // 3)
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.find(" ", end)
        end = space if 0 <= space and space - end < 30 else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    spans = []
    for pattern in bounded:
        for m in pattern.finditer(hay, start, end):
            spans.append((m.start() - start + len(prefix), m.end() - start + len(prefix)))
    spans.sort()
    return prefix + text[start:end] + suffix, spans
