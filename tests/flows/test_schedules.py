"""Schedules are configuration: the shipped file, its validation, and what a group hands the flow."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from etl.config import Settings
from etl.schedules import ScheduleError, load_schedules


def test_shipped_schedules_load():
    groups = {g.name: g for g in load_schedules()}
    assert set(groups) == {"incremental", "nightly-refresh"}
    for group in groups.values():
        assert group.timezone == "Asia/Ho_Chi_Minh" and group.portals is None and group.active
    assert groups["incremental"].mode == "incremental"
    assert groups["nightly-refresh"].mode == "refresh"


def test_group_parameters_override_the_mode(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(
        '[[schedule]]\nname = "north"\ncron = "0 2 * * 1"\nportals = ["kontum", "lamdong"]\nmode = "refresh"\n'
        '[schedule.parameters]\nrefresh_days = 7\nmax_articles = 50\nscrapy_settings = { DOWNLOAD_DELAY = 2 }\n',
        encoding="utf-8",
    )
    [group] = load_schedules(path)
    params = group.flow_parameters(Settings(db_path=tmp_path / "a.duckdb"))
    assert params["portal_ids"] == ["kontum", "lamdong"]
    s = params["settings"]
    assert (s["db_path"], s["max_articles"], s["refresh_days"], s["crawl_timeout"]) == (
        str(tmp_path / "a.duckdb"), 50, 7, 3 * 3600.0)
    assert s["scrapy_settings"] == {"DOWNLOAD_DELAY": "2"}


def test_refresh_days_become_a_date_when_the_run_starts():
    from portal_flows.pipeline import run_settings

    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    assert run_settings({"refresh_days": 30}).refresh_since == (today - timedelta(days=30)).isoformat()
    assert run_settings({"refresh_days": 30, "refresh_since": "2025-01-01"}).refresh_since == "2025-01-01"
    assert run_settings({}).refresh_since is None
    assert date.fromisoformat(run_settings({"refresh_days": 1}).refresh_since) < today


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no [[schedule]] tables"),
        ('[[schedule]]\nname = "a"\ncron = "0 * *"\n', "five-field cron"),
        ('[[schedule]]\nname = "a"\ncron = "0 * * * *"\ntimezone = "Asia/Hanoi_X"\n', "unknown timezone"),
        ('[[schedule]]\nname = "a"\ncron = "0 * * * *"\nmode = "full"\n', "mode must be one of"),
        ('[[schedule]]\nname = "a"\ncron = "0 * * * *"\nportals = "some"\n', "portals must be"),
        ('[[schedule]]\nname = "a"\ncron = "0 * * * *"\n[schedule.parameters]\ndb_path = "x"\n', "unknown parameter"),
        ('[[schedule]]\nname = "a"\ncron = "0 * * * *"\nevery = 3\n', "unknown field"),
        ('[[schedule]]\nname = "a"\ncron = "0 * * * *"\n[[schedule]]\nname = "a"\ncron = "1 * * * *"\n', "duplicate"),
        ('[[schedule]]\nname = "A b"\ncron = "0 * * * *"\n', "name must be"),
        ("[[schedule]\n", "not valid TOML"),
    ],
)
def test_malformed_schedules_are_rejected(tmp_path, text, message):
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScheduleError, match=message.replace("[", r"\[")):
        load_schedules(path)


def portal_etl(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], check=False, capture_output=True, text=True, timeout=120,
                          env=env or dict(os.environ))


def test_serve_check_prints_the_schedules(tmp_path):
    result = portal_etl("serve", "--check", "--db", str(tmp_path / "a.duckdb"))
    assert result.returncode == 0, result.stderr
    assert "incremental: 0 */6 * * * (Asia/Ho_Chi_Minh)" in result.stdout
    assert "nightly-refresh: 30 1 * * *" in result.stdout


def test_serve_user_errors_are_one_line(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text('[[schedule]]\nname = "a"\ncron = "0 * * * *"\nportals = ["nowhere"]\n', encoding="utf-8")
    result = portal_etl("serve", "--schedules-file", str(bad), "--db", str(tmp_path / "a.duckdb"))
    assert result.returncode == 2 and result.stderr.startswith("error: schedule 'a':"), result.stderr
    result = portal_etl("serve", "--schedules-file", str(tmp_path / "missing.toml"))
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_serve_refuses_without_a_prefect_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "home")
    result = portal_etl("serve", "--db", str(tmp_path / "a.duckdb"), env=env)
    assert result.returncode == 2
    assert "prefect server start" in result.stderr and "PREFECT_API_URL" in result.stderr


def test_prefect_yaml_defines_the_same_deployments_as_the_schedules_file():
    from pathlib import Path

    import yaml

    config = yaml.safe_load((Path(__file__).parents[2] / "prefect.yaml").read_text(encoding="utf-8"))
    deployments = {d["name"]: d for d in config["deployments"]}
    groups = {g.name: g for g in load_schedules()}
    assert set(groups) <= set(deployments)  # prefect.yaml may define more (scale-out)
    for name, group in groups.items():
        deployment = deployments[name]
        assert deployment["entrypoint"] == "portal_flows.pipeline.crawl_flow"
        [schedule] = deployment["schedules"]
        assert (schedule["cron"], schedule["timezone"], schedule["active"]) == (group.cron, group.timezone, group.active)
        assert deployment["work_pool"]["name"] == "portal-etl"
        expected = group.flow_parameters(Settings())["settings"]
        for key, value in deployment["parameters"]["settings"].items():
            if key not in ("db_path", "portals_file"):
                assert expected[key] == value, (name, key)
        assert deployment["parameters"]["portal_ids"] == (list(group.portals) if group.portals else None)
