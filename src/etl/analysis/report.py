"""``portal-etl report``: a self-contained HTML coverage report (inline SVG charts, no external files).

Sections: a heat map of articles per portal per month (gap months in red, so backfill holes show at a
glance), crawl errors over time, the most cited document references (when the ``doc_refs`` table exists)
and the portals with their last successful crawl.  A few lines of inline JavaScript only record, on the
page itself, how many chart elements the browser laid out (``data-drawn-*`` attributes on ``<html>``), which
the tests read back from headless Chromium.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

MAX_MONTHS = 240  # the heat map shows at most the last 20 years of months
REPORT_FILE = "report.html"

GAP_COLOUR = "#e8747c"
EMPTY_COLOUR = "#f1f1f1"
LOW, HIGH = (222, 235, 247), (8, 69, 148)


@dataclass
class ReportResult:
    path: Path
    portals: int
    months: int
    heat_cells: int
    error_bars: int
    doc_ref_bars: int  # 0 when doc_refs is absent


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _colour(n: int, top: int) -> str:
    if n <= 0:
        return GAP_COLOUR
    t = math.log1p(n) / math.log1p(max(top, 1))
    r, g, b = (round(lo + (hi - lo) * t) for lo, hi in zip(LOW, HIGH))
    return f"#{r:02x}{g:02x}{b:02x}"


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM (SELECT table_name AS n FROM duckdb_tables() WHERE schema_name = 'main'"
        " UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'main') WHERE n = ?", [name]
    ).fetchone()
    return bool(row[0])


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ?", [table]
    ).fetchall()}


def _month_add(d: date, n: int) -> date:
    m = d.year * 12 + d.month - 1 + n
    return date(m // 12, m % 12 + 1, 1)


# --- charts ---------------------------------------------------------------------------------------------------

def heat_map(rows: list[tuple[str, date, int, bool]]) -> tuple[str, int, int]:
    """rows: (portal, month, articles, is_gap) from ``coverage``. Returns (svg, cells, months)."""
    if not rows:
        return "<p class='empty'>No dated articles yet.</p>", 0, 0
    portals = sorted({r[0] for r in rows})
    last = max(r[1] for r in rows)
    first = max(min(r[1] for r in rows), _month_add(last, -(MAX_MONTHS - 1)))
    months = []
    m = first
    while m <= last:
        months.append(m)
        m = _month_add(m, 1)
    cells = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    top = max(r[2] for r in rows)
    cw, ch, left, top_pad = 12, 16, 150, 34
    width = left + cw * len(months) + 10
    height = top_pad + ch * len(portals) + 10
    out = [(f"<svg class='chart heat' xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"viewBox='0 0 {width} {height}' role='img' aria-label='articles per portal per month'>")]
    for i, month in enumerate(months):
        if month.month == 1 or i == 0:
            x = left + i * cw
            out.append(f"<text x='{x}' y='14' class='axis'>{month.year}</text>"
                       f"<line x1='{x}' y1='18' x2='{x}' y2='{top_pad - 2}' class='tick'/>")
    n_cells = 0
    for j, portal in enumerate(portals):
        y = top_pad + j * ch
        out.append(f"<text x='{left - 6}' y='{y + ch - 4}' class='label' text-anchor='end'>{esc(portal)}</text>")
        for i, month in enumerate(months):
            value = cells.get((portal, month))
            if value is None:
                fill, tip = EMPTY_COLOUR, "outside the portal's span"
            else:
                count, gap = value
                fill = GAP_COLOUR if gap else _colour(count, top)
                tip = "gap: no article" if gap else f"{count} article{'s' if count != 1 else ''}"
            out.append(f"<rect class='cell' x='{left + i * cw}' y='{y}' width='{cw - 1}' height='{ch - 1}' "
                       f"fill='{fill}'><title>{esc(portal)} {month:%Y-%m}: {tip}</title></rect>")
            n_cells += 1
    out.append("</svg>")
    return "".join(out), n_cells, len(months)


def bar_chart(items: list[tuple[str, float, str]], *, css: str, unit: str, width: int = 900) -> tuple[str, int]:
    """Vertical bars over time: items (label, value, tooltip)."""
    if not items:
        return "<p class='empty'>Nothing recorded yet.</p>", 0
    h, pad_l, pad_b, pad_t = 180, 44, 40, 10
    step = max(4, min(40, (width - pad_l) // len(items)))
    width = pad_l + step * len(items) + 10
    top = max(v for _, v, _ in items) or 1
    out = [(f"<svg class='chart {css}' xmlns='http://www.w3.org/2000/svg' width='{width}' height='{h + pad_b + pad_t}'"
            f" viewBox='0 0 {width} {h + pad_b + pad_t}' role='img' aria-label='{esc(unit)} over time'>"),
           f"<line x1='{pad_l}' y1='{pad_t + h}' x2='{width - 5}' y2='{pad_t + h}' class='tick'/>",
           f"<text x='{pad_l - 6}' y='{pad_t + 10}' class='axis' text-anchor='end'>{top:g}</text>",
           f"<text x='{pad_l - 6}' y='{pad_t + h}' class='axis' text-anchor='end'>0</text>"]
    every = max(1, len(items) // 12)
    for i, (label, value, tip) in enumerate(items):
        bh = max(1.0 if value else 0.0, h * value / top)
        x = pad_l + i * step
        out.append(f"<rect class='bar' x='{x}' y='{pad_t + h - bh:.1f}' width='{step - 2}' height='{bh:.1f}'>"
                   f"<title>{esc(tip)}</title></rect>")
        if i % every == 0:
            out.append(f"<text x='{x}' y='{pad_t + h + 14}' class='axis'>{esc(label)}</text>")
    out.append("</svg>")
    return "".join(out), len(items)


def hbar_chart(items: list[tuple[str, int]], width: int = 900) -> tuple[str, int]:
    if not items:
        return "<p class='empty'>No document references extracted yet.</p>", 0
    row, left = 20, 300
    top = max(v for _, v in items) or 1
    height = row * len(items) + 10
    out = [(f"<svg class='chart refs' xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"viewBox='0 0 {width} {height}' role='img' aria-label='top document references'>")]
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        bw = max(1, (width - left - 60) * value / top)
        out.append(f"<text x='{left - 6}' y='{y + 13}' class='label' text-anchor='end'>{esc(label)}</text>"
                   f"<rect class='bar ref' x='{left}' y='{y}' width='{bw:.1f}' height='{row - 5}'>"
                   f"<title>{esc(label)}: {value}</title></rect>"
                   f"<text x='{left + bw + 4:.1f}' y='{y + 13}' class='axis'>{value}</text>")
    out.append("</svg>")
    return "".join(out), len(items)


# --- data ------------------------------------------------------------------------------------------------------

def _error_series(con) -> tuple[list[tuple[str, float, str]], str]:
    rows = con.execute(
        "SELECT CAST(coalesce(finished_at, loaded_at) AS DATE) AS day, sum(errors), count(*),"
        " count(*) FILTER (WHERE status = 'failed') FROM crawl_runs GROUP BY day ORDER BY day"
    ).fetchall()
    if not rows:
        return [], "day"
    span = (rows[-1][0] - rows[0][0]).days
    if span > 120:  # weekly buckets keep the chart readable over long periods
        rows = con.execute(
            "SELECT CAST(date_trunc('week', coalesce(finished_at, loaded_at)) AS DATE) AS day, sum(errors),"
            " count(*), count(*) FILTER (WHERE status = 'failed') FROM crawl_runs GROUP BY day ORDER BY day"
        ).fetchall()
    bucket = "day" if span <= 120 else "week"
    return [(f"{d:%m-%d}" if span <= 120 else f"{d:%y-%m-%d}", float(e or 0),
             f"{bucket} of {d:%Y-%m-%d}: {e or 0} page errors in {n} run(s), {f} failed") for d, e, n, f in rows], bucket


def _doc_refs(con) -> list[tuple[str, int]] | None:
    if not _exists(con, "doc_refs"):
        return None
    cols = _columns(con, "doc_refs")
    if "code" not in cols:
        return None
    label = "coalesce(kind || ' ', '') || code" if "kind" in cols else "code"
    level = " || coalesce(' (' || level || ')', '')" if "level" in cols else ""
    rows = con.execute(
        f"SELECT {label}{level} AS ref, count(*) AS n FROM doc_refs WHERE code IS NOT NULL"
        " GROUP BY ref ORDER BY n DESC, ref LIMIT 25"
    ).fetchall()
    return [(r[0], int(r[1])) for r in rows]


def _portal_rows(con) -> list[dict]:
    has_health = _exists(con, "crawl_health")
    has_cov = _exists(con, "coverage_portals")
    portals = sorted({r[0] for r in con.execute(
        "SELECT portal FROM articles UNION SELECT portal FROM crawl_runs").fetchall()})
    cov = {}
    if has_cov:
        for r in con.execute("SELECT portal, province, articles, first_article, last_article, gap_months"
                             " FROM coverage_portals").fetchall():
            cov[r[0]] = r
    health = {}
    if has_health:
        for r in con.execute("SELECT portal, last_ok_at, days_since_ok, last_status, runs, errors_total,"
                             " last_error FROM crawl_health").fetchall():
            health[r[0]] = r
    out = []
    for p in portals:
        c, h = cov.get(p), health.get(p)
        out.append({
            "portal": p, "province": c[1] if c else None, "articles": c[2] if c else 0,
            "first": c[3] if c else None, "last": c[4] if c else None, "gaps": c[5] if c else None,
            "last_ok": h[1] if h else None, "days": h[2] if h else None, "status": h[3] if h else None,
            "runs": h[4] if h else 0, "errors": h[5] if h else 0, "last_error": h[6] if h else None,
        })
    return out


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


STYLE = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd}
.meta{color:#666} .scroll{overflow-x:auto;border:1px solid #eee;padding:6px}
.axis{font-size:10px;fill:#555} .label{font-size:11px;fill:#222} .tick{stroke:#999;stroke-width:1}
.bar{fill:#c0392b} .bar.ref{fill:#2c6fbb} .empty{color:#888;font-style:italic}
table{border-collapse:collapse;font-size:13px} th,td{border:1px solid #ddd;padding:3px 7px;text-align:left}
th{background:#f5f5f5} td.num{text-align:right} tr.stale td{background:#fff4e5} tr.never td{background:#fdecea}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px -2px 10px;border:1px solid #ccc}
"""

SCRIPT = """
(function(){var d=document.documentElement;function n(s){var c=0;document.querySelectorAll(s).forEach(function(e){
var r=e.getBoundingClientRect();if(r.width>0&&r.height>0)c++;});return c;}
d.setAttribute('data-drawn-cells',n('svg.heat rect.cell'));d.setAttribute('data-drawn-bars',n('svg.errors rect.bar'));
d.setAttribute('data-drawn-refs',n('svg.refs rect.bar'));})();
"""


def build_report(con: duckdb.DuckDBPyConnection, output_dir: Path, *, source: str = "",
                 snapshot_at: datetime | None = None) -> ReportResult:
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    if _exists(con, "coverage"):
        cov_rows = con.execute("SELECT portal, month, articles, is_gap FROM coverage").fetchall()
    else:
        cov_rows = [(p, m, n, False) for p, m, n in con.execute(
            "SELECT portal, CAST(date_trunc('month', published_at) AS DATE), count(*) FROM articles"
            " WHERE published_at IS NOT NULL GROUP BY ALL").fetchall()]
    heat_svg, cells, months = heat_map(cov_rows)
    series, bucket = _error_series(con)
    err_svg, bars = bar_chart(series, css="errors", unit="page errors")
    refs = _doc_refs(con)
    refs_svg, ref_bars = hbar_chart(refs or []) if refs is not None else ("", 0)
    portals = _portal_rows(con)
    totals = con.execute("SELECT count(*), count(DISTINCT portal), min(published_at), max(published_at)"
                         " FROM articles").fetchone()

    rows_html = []
    for p in portals:
        css = "never" if p["last_ok"] is None else ("stale" if (p["days"] or 0) > 14 else "")
        rows_html.append(
            f"<tr class='{css}'><td>{esc(p['portal'])}</td><td>{esc(_fmt(p['province']))}</td>"
            f"<td class='num'>{p['articles']}</td><td>{esc(_fmt(p['first']))}</td><td>{esc(_fmt(p['last']))}</td>"
            f"<td class='num'>{esc(_fmt(p['gaps']))}</td><td>{esc(_fmt(p['last_ok']))}</td>"
            f"<td class='num'>{esc(_fmt(p['days']))}</td><td>{esc(_fmt(p['status']))}</td>"
            f"<td class='num'>{p['runs']}</td><td class='num'>{esc(_fmt(p['errors']))}</td>"
            f"<td>{esc((p['last_error'] or '')[:160])}</td></tr>"
        )
    generated = datetime.now(UTC).astimezone()
    snap = f", snapshot published {snapshot_at.astimezone():%Y-%m-%d %H:%M}" if snapshot_at else ""
    refs_section = (
        f"<h2>Top document references</h2><div class='scroll'>{refs_svg}</div>" if refs is not None else
        "<h2>Top document references</h2><p class='empty'>No <code>doc_refs</code> table in this archive.</p>"
    )
    legend = (f"<p class='legend'>Cell colour: articles in the month (darker = more, log scale)"
              f"<span style='background:{_colour(1, 100)}'></span>few<span style='background:{_colour(100, 100)}'>"
              f"</span>many<span style='background:{GAP_COLOUR}'></span>gap (no article between the portal's "
              f"first and last month)<span style='background:{EMPTY_COLOUR}'></span>before/after the portal's span</p>")
    document = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>portal-etl coverage report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>
<body>
<h1>portal-etl coverage report</h1>
<p class="meta">{esc(source)}{esc(snap)} · generated {generated:%Y-%m-%d %H:%M %Z} ·
{totals[0]} articles from {totals[1]} portals · published {esc(_fmt(totals[2]))} to {esc(_fmt(totals[3]))}</p>
<h2>Articles per portal per month</h2>{legend}
<div class="scroll">{heat_svg}</div>
<h2>Crawl errors over time</h2><p class="meta">Pages recorded with an error per {bucket} of crawling (hover a bar for runs and failures).</p>
<div class="scroll">{err_svg}</div>
{refs_section}
<h2>Portals and their last successful crawl</h2>
<table><thead><tr><th>portal</th><th>province</th><th>articles</th><th>first article</th><th>last article</th>
<th>gap months</th><th>last successful crawl</th><th>days since</th><th>last run</th><th>runs</th><th>page errors</th>
<th>last error</th></tr></thead><tbody>{''.join(rows_html)}</tbody></table>
<script>{SCRIPT}</script>
</body></html>
"""
    path = output_dir / REPORT_FILE
    path.write_text(document, encoding="utf-8")
    return ReportResult(path, len(portals), months, cells, bars, ref_bars)
