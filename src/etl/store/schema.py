"""The archive's tables: a public contract, created and migrated here.

Each migration is a list of SQL statements applied in one transaction and recorded in
``schema_migrations``; an archive written by an older version is brought up to date on open.  Never edit
a released migration: add the next one.
"""

from __future__ import annotations

import duckdb

MIGRATIONS: list[tuple[int, str, list[str]]] = [
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
]

LATEST_VERSION = MIGRATIONS[-1][0]


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
    version = current_version(con)
    for number, description, statements in MIGRATIONS:
        if number <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in statements:
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
