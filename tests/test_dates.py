"""Partial dates: every form the issue lists, impossible and ambiguous ones flagged."""

from __future__ import annotations

import pytest

from reckon.ingest import parse_date, parse_dates


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("12.03.1990", "1990-03-12", "day"),
        ("12/03/1990", "1990-03-12", "day"),  # day first, never month first
        ("1990-03-12", "1990-03-12", "day"),
        ("03.1990", "1990-03", "month"),
        ("1990-03", "1990-03", "month"),
        ("1990", "1990", "year"),
        ("12 марта 1990", "1990-03-12", "day"),
        ("12 марта 1990 г.", "1990-03-12", "day"),
        ("март 1990", "1990-03", "month"),
        ("12 березня 1990", "1990-03-12", "day"),
        ("березень 1990 р.", "1990-03", "month"),
        ("1 травня 2022", "2022-05-01", "day"),
        ("12 March 1990", "1990-03-12", "day"),
        ("12 mar 1990", "1990-03-12", "day"),
        ("March 1990", "1990-03", "month"),
        ("March 12, 1990", "1990-03-12", "day"),
        ("  1.3.1990 ", "1990-03-01", "day"),
        ("1990-03-12T00:00:00", "1990-03-12", "day"),
        ("29.02.2000", "2000-02-29", "day"),
        ("в мае 2022", "2022-05", "month"),
    ],
)
def test_forms(text: str, value: str, precision: str) -> None:
    p = parse_date(text)
    assert (p.value, p.precision, p.flag) == (value, precision, None)
    assert p.raw == text


@pytest.mark.parametrize(
    ("text", "flag_start"),
    [
        ("31.02.1990", "impossible date: day 31"),
        ("29.02.1900", "impossible date: day 29"),
        ("2024-02-30", "impossible date: day 30"),
        ("13.1990", "impossible date: month 13"),
        ("05/13/1990", "impossible date: month 13; it reads only as month-first"),
        ("12.03.90", "ambiguous: two-digit year"),
        ("1990-1991", "a range of dates"),
        ("около 1990", "approximate date"),
        ("~1990", "approximate date"),
        ("0199", "implausible year 199"),
        ("32944", "not understood (looks like a spreadsheet serial"),
        ("весна 1990", "not understood as a date"),
        ("31 лютого 1990", "impossible date: day 31"),
    ],
)
def test_flagged_not_guessed(text: str, flag_start: str) -> None:
    p = parse_date(text)
    assert p.value is None and p.precision is None
    assert p.flag is not None and p.flag.startswith(flag_start), p.flag


@pytest.mark.parametrize("text", [None, "", "  ", "-", "н/д", "unknown"])
def test_empty_is_not_flagged(text: str | None) -> None:
    p = parse_date(text)
    assert (p.value, p.precision, p.flag) == (None, None, None)


def test_month_first_order_setting() -> None:
    assert parse_date("03/12/1990", order="month_first").value == "1990-03-12"
    assert parse_date("03/12/1990").value == "1990-12-03"


def test_column_that_mixes_orders_flags_the_ambiguous_dates() -> None:
    out = parse_dates(["03/04/1990", "03/25/1990", "25/03/1990", "04/04/1990", None])
    assert out[0].value is None and out[0].flag.startswith(
        "ambiguous: day and month could be swapped"
    )
    assert out[1].flag.startswith("impossible date: month 25")
    assert out[2].value == "1990-03-25"  # only one reading exists
    assert out[3].value == "1990-04-04"  # both readings agree
    assert out[4].raw is None and out[4].flag is None


def test_consistent_column_is_read_day_first() -> None:
    out = parse_dates(["03/04/1990", "25/03/1990"])
    assert [p.value for p in out] == ["1990-04-03", "1990-03-25"]
