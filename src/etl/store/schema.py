"""The archive's tables: a public contract, created and migrated here.

Each migration is a list of SQL statements (or Python steps taking the connection) applied in one transaction and recorded in
``schema_migrations``; an archive written by an older version is brought up to date on open.  Never edit
a released migration: add the next one.
"""

from __future__ import annotations

import duckdb

from etl.analysis.views import migration_statements as _analysis_views

MIGRATIONS: list[tuple[int, str, list]] = [
    (
        1,
        "initial tables: articles, images, pages, crawl_runs, loaded_batches",
        [
            """
            CREATE TABLE IF NOT EXISTS articles (
                article_id    VARCHAR PRIMARY KEY,   -- first 16 hex digits of sha1(url)
                portal        VARCHAR NOT NULL,      -- registry id of the portal
                province      VARCHAR,               -- province of the portal (pre-2025 name)
                url           VARCHAR NOT NULL UNIQUE, -- canonical URL
                title         VARCHAR NOT NULL,
                published_at  TIMESTAMP,             -- Vietnam local time as shown by the page; NULL if none
                date_source   VARCHAR,               -- meta | jsonld | visible | url
                author        VARCHAR,
                category      VARCHAR,
                dateline      VARCHAR,               -- e.g. "(LĐ online)"
                text          VARCHAR NOT NULL,      -- clean body, one paragraph per line, NFC
                text_norm     VARCHAR,               -- text with unified tone-mark placement, for search
                word_count    INTEGER NOT NULL,
                content_hash  VARCHAR NOT NULL,      -- sha1 of title, date, author and text
                first_seen_at TIMESTAMPTZ NOT NULL,
                updated_at    TIMESTAMPTZ NOT NULL
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS images (
                article_id VARCHAR NOT NULL,
                position   INTEGER NOT NULL,
                url        VARCHAR,
                caption    VARCHAR,
                credit     VARCHAR,
                PRIMARY KEY (article_id, position)
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS pages (
                url           VARCHAR PRIMARY KEY,   -- the URL as fetched
                portal        VARCHAR NOT NULL,
                fetched_at    TIMESTAMPTZ NOT NULL,
                status        INTEGER,               -- HTTP status; NULL when no response arrived
                content_type  VARCHAR,
                charset       VARCHAR,
                html          VARCHAR,               -- decoded page, for re-extraction without refetching
                etag          VARCHAR,
                last_modified VARCHAR,
                error         VARCHAR,               -- why the page is not usable; NULL when fine
                kind          VARCHAR NOT NULL,      -- article | listing | other | error
                is_article    BOOLEAN NOT NULL,
                article_id    VARCHAR,               -- the article this page became, if any
                batch_id      VARCHAR NOT NULL,
                source        VARCHAR NOT NULL       -- crawl | warc
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS crawl_runs (
                run_id           VARCHAR PRIMARY KEY, -- the staged batch id
                portal           VARCHAR NOT NULL,
                started_at       TIMESTAMPTZ,
                finished_at      TIMESTAMPTZ,
                loaded_at        TIMESTAMPTZ NOT NULL,
                status           VARCHAR NOT NULL,    -- ok | partial | failed
                pages_fetched    INTEGER NOT NULL,
                articles_found   INTEGER NOT NULL,
                articles_new     INTEGER NOT NULL,
                articles_updated INTEGER NOT NULL,
                errors           INTEGER NOT NULL,
                finish_reason    VARCHAR,
                message          VARCHAR
            )
            """,
        ],
    ),
    (
        2,
        "facts: doc_refs and people extracted from article text, view people_positions (see etl.facts)",
        [
            """
            CREATE TABLE IF NOT EXISTS doc_refs (
                article_id  VARCHAR NOT NULL,   -- the article citing the document
                position    INTEGER NOT NULL,   -- order of the reference in the article, from 0
                kind        VARCHAR NOT NULL,   -- Nghị quyết, Chỉ thị, Kết luận, Kế hoạch, Chương trình, ...
                number      VARCHAR NOT NULL,   -- as written: '35', '03', '245'
                code        VARCHAR,            -- '35-CT/TW', '245/2020/NQ-HĐND'; NULL for a bare 'Chỉ thị 16'
                level       VARCHAR,            -- issuing level: TW, TU, HU, ĐU, HĐND, UBND, CP, TTg, QH, ...
                year        INTEGER,            -- year encoded in the code, else the year of doc_date
                doc_date    DATE,               -- date of the document when the text gives it
                issuer      VARCHAR,            -- 'Bộ Chính trị', 'Ban Thường vụ Tỉnh ủy', ... when named
                span        VARCHAR NOT NULL,   -- the matched text, as written
                char_offset INTEGER NOT NULL    -- where span starts in articles.text
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS people (
                article_id  VARCHAR NOT NULL,   -- the article naming the official
                position    INTEGER NOT NULL,   -- order of the mention in the article, from 0
                name        VARCHAR NOT NULL,   -- 'Bùi Văn Cường' (tone marks unified, like text_norm)
                positions   VARCHAR[] NOT NULL, -- ['Ủy viên Trung ương Đảng', 'Bí thư Tỉnh ủy']
                span        VARCHAR NOT NULL,   -- the mention, as written
                char_offset INTEGER NOT NULL    -- where span starts in articles.text
            )
            """,
            """
            CREATE OR REPLACE VIEW people_positions AS
            SELECT p.name, unnest(p.positions) AS position, a.province, a.portal, a.published_at, p.article_id
            FROM people p JOIN articles a USING (article_id)
            """,
            # Archives that predate the tables: extract the facts of every article already stored.
            lambda con: _refresh_facts(con),
        ],
    ),
    (
        3,
        "analysis: provinces table (2025 merger) and views articles_v, coverage, coverage_portals, crawl_health",
        _analysis_views(),
    ),
    (
        4,
        "duplicates: articles.duplicate_of/duplicate_score, article_fingerprint and article_lsh (see etl.dedupe)",
        [
            "ALTER TABLE articles ADD COLUMN IF NOT EXISTS duplicate_of VARCHAR",  # earliest copy; NULL: unique
            "ALTER TABLE articles ADD COLUMN IF NOT EXISTS duplicate_score DOUBLE",  # similarity to that copy
            """
            CREATE TABLE IF NOT EXISTS article_fingerprint (
                article_id   VARCHAR PRIMARY KEY,
                content_hash VARCHAR NOT NULL,   -- articles.content_hash the fingerprint was computed from
                text_hash    VARCHAR,            -- sha1 of the normalised text; NULL when too short to compare
                shingles     INTEGER NOT NULL    -- distinct 3-syllable shingles
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS article_lsh (
                article_id VARCHAR NOT NULL,
                band       SMALLINT NOT NULL,    -- MinHash LSH band (32 bands of 4 of 128 permutations)
                bucket     BIGINT NOT NULL       -- hash of the band's 4 MinHash values
            )
            """,
        ],
    ),
    (
        5,
        ("duplicates: article_fingerprint.shingle_hashes and minhash (near-duplicates verified without reading "
         "texts); fingerprints are recomputed at the next merge"),
        [
            "ALTER TABLE article_fingerprint ADD COLUMN IF NOT EXISTS shingle_hashes UINTEGER[]",
            "ALTER TABLE article_fingerprint ADD COLUMN IF NOT EXISTS minhash UINTEGER[]",
            # Stale fingerprints (no shingle hashes) are dropped: the next merge finds every article without a
            # fingerprint and recomputes them all from the texts (etl.dedupe.update_duplicates), once.
            "DELETE FROM article_lsh",
            "DELETE FROM article_fingerprint",
        ],
    ),
]
MIGRATIONS.sort(key=lambda m: m[0])


def _refresh_facts(con: duckdb.DuckDBPyConnection) -> None:
    from etl.facts.store import refresh_facts  # imported late: etl.facts.store imports etl.store.staging

    refresh_facts(con, in_transaction=True)


LATEST_VERSION = max(number for number, _, _ in MIGRATIONS)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMPTZ DEFAULT now())"
    )
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the archive to the latest schema; returns the number of migrations applied."""
    applied = 0
    current_version(con)  # creates schema_migrations when missing
    # Skip by the set of applied numbers, not by the highest one: migrations written in parallel may land
    # out of order (an archive at 3 still gets 2 when 2 ships later).
    done = {int(r[0]) for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    for number, description, statements in MIGRATIONS:
        if number in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in statements:
                if callable(statement):  # a Python step (e.g. filling new tables from existing rows)
                    statement(con)
                else:
                    con.execute(statement)
            con.execute(
                "INSERT INTO schema_migrations (version, description) VALUES (?, ?)", [number, description]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied += 1
    return applied
