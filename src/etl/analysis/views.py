"""The documented analysis views (schema migration 3): ``articles_v``, ``coverage``, ``coverage_portals``
and ``crawl_health``, plus the ``provinces`` table they join.

Views are stored as SQL in the archive file, so the published snapshot (a file copy) has them too, and any
DuckDB client (CLI, notebooks, BI tools) can use them without this package.
"""

from __future__ import annotations

from etl.analysis.provinces import CREATE_SQL as CREATE_PROVINCES
from etl.analysis.provinces import insert_sql

ARTICLES_V = """
CREATE OR REPLACE VIEW articles_v AS
SELECT a.*,
       year(a.published_at)                      AS year,
       month(a.published_at)                     AS month,
       CAST(a.published_at AS DATE)              AS date,
       coalesce(p.province_2025, u.province_2025) AS province_2025
FROM articles a
LEFT JOIN provinces p ON p.province = a.province
LEFT JOIN (SELECT DISTINCT province_2025 FROM provinces) u ON u.province_2025 = a.province
"""

# One row per portal per calendar month from its first to its last dated article; months without an
# article are rows with articles = 0 and is_gap = true, so gaps are visible to any GROUP BY or heat map.
COVERAGE = """
CREATE OR REPLACE VIEW coverage AS
WITH monthly AS (
    SELECT portal, CAST(date_trunc('month', published_at) AS DATE) AS month, count(*) AS articles
    FROM articles WHERE published_at IS NOT NULL GROUP BY ALL
), span AS (
    SELECT portal, min(month) AS lo, max(month) AS hi FROM monthly GROUP BY portal
), grid AS (
    SELECT portal, CAST(unnest(generate_series(lo, hi, INTERVAL 1 MONTH)) AS DATE) AS month FROM span
), portal_info AS (
    SELECT portal, any_value(province) AS province, min(published_at) AS first_article,
           max(published_at) AS last_article
    FROM articles WHERE published_at IS NOT NULL GROUP BY portal
), filled AS (
    SELECT g.portal, g.month, coalesce(m.articles, 0) AS articles, m.articles IS NULL AS is_gap
    FROM grid g LEFT JOIN monthly m USING (portal, month)
)
SELECT f.portal, i.province, f.month, year(f.month) AS year, f.articles, f.is_gap,
       i.first_article, i.last_article,
       count(*) FILTER (WHERE f.is_gap) OVER (PARTITION BY f.portal) AS gap_months
FROM filled f JOIN portal_info i USING (portal)
"""

COVERAGE_PORTALS = """
CREATE OR REPLACE VIEW coverage_portals AS
SELECT a.portal, any_value(a.province) AS province, count(*) AS articles,
       count(*) FILTER (WHERE a.published_at IS NULL) AS undated,
       min(a.published_at) AS first_article, max(a.published_at) AS last_article,
       (SELECT count(*) FROM coverage c WHERE c.portal = a.portal) AS months_spanned,
       (SELECT count(*) FROM coverage c WHERE c.portal = a.portal AND NOT c.is_gap) AS months_with_articles,
       (SELECT count(*) FROM coverage c WHERE c.portal = a.portal AND c.is_gap) AS gap_months,
       coalesce((SELECT list(c.month ORDER BY c.month) FROM coverage c WHERE c.portal = a.portal AND c.is_gap),
                CAST([] AS DATE[])) AS gaps
FROM articles a GROUP BY a.portal
"""

CRAWL_HEALTH = """
CREATE OR REPLACE VIEW crawl_health AS
WITH runs AS (
    SELECT *, coalesce(finished_at, loaded_at) AS run_at FROM crawl_runs
), per_portal AS (
    SELECT portal,
           count(*) AS runs,
           count(*) FILTER (WHERE status = 'ok') AS ok_runs,
           count(*) FILTER (WHERE status = 'failed') AS failed_runs,
           max(run_at) AS last_run_at,
           arg_max(status, run_at) AS last_status,
           max(run_at) FILTER (WHERE status = 'ok') AS last_ok_at,
           arg_max(run_id, run_at) FILTER (WHERE status = 'ok') AS last_ok_run,
           arg_max(articles_found, run_at) FILTER (WHERE status = 'ok') AS last_ok_articles,
           sum(errors) AS errors_total,
           arg_max(errors, run_at) AS last_run_errors
    FROM runs GROUP BY portal
), page_errors AS (
    SELECT portal, count(*) AS pages_with_error,
           arg_max(url || ': ' || error, fetched_at) AS last_page_error, max(fetched_at) AS last_page_error_at
    FROM pages WHERE error IS NOT NULL GROUP BY portal
), run_errors AS (
    SELECT portal, arg_max(message, run_at) AS last_run_message, max(run_at) AS last_run_message_at
    FROM runs WHERE message IS NOT NULL AND message <> '' GROUP BY portal
)
SELECT p.portal, p.runs, p.ok_runs, p.failed_runs, p.last_run_at, p.last_status,
       p.last_ok_at, p.last_ok_run, p.last_ok_articles,
       date_diff('day', p.last_ok_at, now()) AS days_since_ok,
       p.errors_total, p.last_run_errors,
       coalesce(e.pages_with_error, 0) AS pages_with_error,
       CASE WHEN r.last_run_message_at IS NOT NULL
                 AND (e.last_page_error_at IS NULL OR r.last_run_message_at >= e.last_page_error_at)
            THEN r.last_run_message ELSE e.last_page_error END AS last_error,
       greatest(r.last_run_message_at, e.last_page_error_at) AS last_error_at
FROM per_portal p
LEFT JOIN page_errors e USING (portal)
LEFT JOIN run_errors r USING (portal)
"""

VIEW_NAMES = ("articles_v", "coverage", "coverage_portals", "crawl_health")


def migration_statements() -> list[str]:
    """Schema migration 3: the provinces table (filled from the shipped provinces.toml) and the views."""
    return [CREATE_PROVINCES, insert_sql(), ARTICLES_V, COVERAGE, COVERAGE_PORTALS, CRAWL_HEALTH]
