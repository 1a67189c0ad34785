"""`portal-etl report`: a self-contained HTML file whose charts a real browser (headless Chromium) draws."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import duckdb
import pytest

from etl.analysis.report import build_report
from etl.store.snapshot import snapshot_path

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                  "--disable-dev-shm-usage"]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    exe = chromium()
    if exe is None:
        pytest.skip("headless Chromium is not installed (`make chromium` installs Debian's package)")
    profile = tmp_path / "chromium-profile"
    return subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, timeout=120)


def png_colours(path: Path) -> int:
    """Distinct RGB(A) pixel values of a PNG (8-bit, non-interlaced), with the filters undone."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type = header[:4]
    assert depth == 8 and colour_type in (2, 6)
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(height):
        filt = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + a) & 255
            elif filt == 2:
                line[i] = (line[i] + b) & 255
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 4 == 0:
            colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 2))
        prev = line
    return len(colours)


@pytest.fixture(scope="module")
def report(archive, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    done = subprocess.run([sys.executable, "-m", "etl.cli", "report", "--db", str(archive), "--output", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return out / "report.html"


def test_report_is_self_contained_with_all_sections(report):
    text = report.read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=", text)  # nothing fetched
    assert "@import" not in text and "url(" not in text
    for heading in ("Articles per portal per month", "Crawl errors over time", "Top document references",
                    "Portals and their last successful crawl"):
        assert heading in text
    # 4 portals x 24 months (2020-01 .. 2021-12): every cell drawn, the two lamdong gaps in red
    assert text.count("class='cell'") == 4 * 24
    assert text.count("gap: no article") == 2
    # doc_refs (the facts engineer's migration 2) is filled at load: Chỉ thị 35-CT/TW & co are charted
    assert "35-CT/TW (TW): 1" in text and "77-KL/TW (TW): 1" in text
    assert "DNS lookup failed for kontum.example" in text


def test_top_document_references_with_and_without_doc_refs(archive, tmp_path):
    copy = tmp_path / "with_refs.duckdb"
    shutil.copyfile(snapshot_path(archive), copy)
    con = duckdb.connect(str(copy))
    con.execute("DROP TABLE IF EXISTS doc_refs CASCADE")
    absent = build_report(con, tmp_path / "absent")
    assert absent.doc_ref_bars == 0
    assert "No <code>doc_refs</code> table" in absent.path.read_text(encoding="utf-8")
    con.execute("CREATE TABLE doc_refs (article_id VARCHAR, kind VARCHAR, code VARCHAR, level VARCHAR)")
    con.execute("INSERT INTO doc_refs VALUES ('a', 'Chỉ thị', '35-CT/TW', 'TW'), ('b', 'Chỉ thị', '35-CT/TW', 'TW'),"
                " ('c', 'Kết luận', '77-KL/TW', 'TW')")
    result = build_report(con, tmp_path / "out")
    con.close()
    text = result.path.read_text(encoding="utf-8")
    assert result.doc_ref_bars == 2
    assert "Chỉ thị 35-CT/TW (TW): 2" in text


def test_chromium_draws_the_charts(report, tmp_path):
    dom = run_chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    drawn = dict(re.findall(r'data-drawn-(\w+)="(\d+)"', dom.stdout))
    assert drawn == {"cells": str(4 * 24), "bars": "2", "refs": str(report.read_text().count("class='bar ref'"))}
    assert int(drawn["refs"]) > 0
    shot = tmp_path / "report.png"
    done = run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", "--hide-scrollbars",
                        report.as_uri())
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    assert png_colours(shot) > 8  # a heat map, bars and text: far from a blank page
