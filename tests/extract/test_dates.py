"""Vietnamese date parsing: meta values, visible forms, partial dates resolved against the fetch time."""

from datetime import UTC, datetime

import pytest

from etl.normalise.dates import (
    date_from_url,
    parse_iso_datetime,
    parse_partial_date,
    parse_vietnamese_date,
)

FETCHED = datetime(2020, 5, 6, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("25/06/2020 15:18", datetime(2020, 6, 25, 15, 18)),
        ("Thứ Ba, 05/05/2020 09:00", datetime(2020, 5, 5, 9, 0)),
        ("[ Cập nhật vào ngày (01/07/2020) ] - [ Số lần xem: 626 ]", datetime(2020, 7, 1)),
        ("ngày 12 tháng 8 năm 2024", datetime(2024, 8, 12)),
        ("15:18 25/6/2020", datetime(2020, 6, 25, 15, 18)),
        ("Cập nhật lúc 08h30, ngày 12/3/2023", datetime(2023, 3, 12, 8, 30)),
        ("Thứ hai - 17/07/2023 10:05", datetime(2023, 7, 17, 10, 5)),
        ("2020-06-25 15:18", datetime(2020, 6, 25, 15, 18)),
    ],
)
def test_visible_forms(text: str, expected: datetime) -> None:
    assert parse_vietnamese_date(text, FETCHED) == expected


def test_no_date_is_none() -> None:
    assert parse_vietnamese_date("Tin tức - Sự kiện") is None
    assert parse_vietnamese_date("") is None
    assert parse_vietnamese_date("31/02/2020") is None


def test_partial_date_takes_the_year_of_the_fetch() -> None:
    assert parse_partial_date("Ngày 04/5, Ban Thường vụ Huyện ủy tổ chức hội nghị", FETCHED) == datetime(
        2020, 5, 4
    )
    assert parse_partial_date(
        "Chiều 15/6, Thường trực Tỉnh ủy làm việc", datetime(2021, 6, 20, tzinfo=UTC)
    ) == datetime(2021, 6, 15)


def test_partial_date_after_the_fetch_belongs_to_the_previous_year() -> None:
    fetched = datetime(2021, 1, 3, tzinfo=UTC)
    assert parse_partial_date("Sáng 28/12, hội nghị tổng kết", fetched) == datetime(2020, 12, 28)


def test_meta_values_are_converted_to_vietnam_time() -> None:
    assert parse_iso_datetime("2020-06-25T08:18:00Z") == datetime(2020, 6, 25, 15, 18)
    assert parse_iso_datetime("2020-06-25T15:18:00+0700") == datetime(2020, 6, 25, 15, 18)
    assert parse_iso_datetime("2020-06-25T10:18:00+02:00") == datetime(2020, 6, 25, 15, 18)
    assert parse_iso_datetime("2020-06-25") == datetime(2020, 6, 25)
    assert parse_iso_datetime("not a date") is None


def test_dates_in_urls() -> None:
    assert date_from_url("https://baochinhphu.vn/hiep-dinh-geneve-102240425094504794.htm") == datetime(
        2024, 4, 25, 9, 45, 4
    )
    assert date_from_url("https://x.vn/2020/06/25/bai-viet.html") == datetime(2020, 6, 25)
    assert date_from_url("https://x.vn/DetailView/146257/38/Slug.html") is None
