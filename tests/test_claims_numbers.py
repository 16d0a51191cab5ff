"""Numbers, bounds, ranges and dates as they appear in English and Russian news text."""

from __future__ import annotations

from datetime import date

import pytest

from reckon.claims.dates import find_dates, publication_date
from reckon.claims.numbers import find_quantities, parse_quantity


@pytest.mark.parametrize(
    ("text", "value", "bound", "low", "high"),
    [
        ("said 1,351 servicemen", 1351, "exact", None, None),
        ("1 351 человек", 1351, "exact", None, None),
        ("20 000 солдат", 20000, "exact", None, None),
        ("20\u00a0000 солдат", 20000, "exact", None, None),
        ("more than 40,000 troops", 40000, "at_least", None, None),
        ("at least 5,000", 5000, "at_least", None, None),
        ("up to 60 thousand", 60000, "at_most", None, None),
        ("some 200,000 reservists", 200000, "approx", None, None),
        ("about two hundred and fifty soldiers", 250, "approx", None, None),
        ("forty thousand", 40000, "exact", None, None),
        ("сорок тысяч", 40000, "exact", None, None),
        ("более сорока тысяч", 40000, "at_least", None, None),
        ("около двух тысяч солдат", 2000, "approx", None, None),
        ("не менее 20 тысяч военных", 20000, "at_least", None, None),
        ("свыше 100 тыс. военных", 100000, "at_least", None, None),
        ("около 1,3 миллиона человек", 1300000, "approx", None, None),
        ("1.5 million", 1500000, "exact", None, None),
        ("5,000 or more", 5000, "at_least", None, None),
        ("tens of thousands of soldiers", 10000, "at_least", None, None),
        ("десятки тысяч военных", 10000, "at_least", None, None),
        ("hundreds of thousands", 100000, "at_least", None, None),
        ("40,000 to 60,000", None, "range", 40000, 60000),
        ("between 35,000 and 43,000 killed", None, "range", 35000, 43000),
        ("between 40 and 60 thousand", None, "range", 40000, 60000),
        ("от 40 до 60 тысяч", None, "range", 40000, 60000),
        ("40–60 тыс. человек", None, "range", 40000, 60000),
    ],
)
def test_quantities(
    text: str, value: int | None, bound: str, low: int | None, high: int | None
) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.bound, q.low, q.high) == (value, bound, low, high)


def test_quantity_spans_and_no_false_numbers() -> None:
    text = "On September 21 150 soldiers died; one of them was a cook."
    qs = find_quantities(text)
    assert [(q.text, q.value) for q in qs] == [("21", 21), ("150", 150)]
    assert text[qs[1].start : qs[1].end] == "150"
    assert find_quantities("one of the soldiers") == []


REF = date(2024, 10, 15)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "iso", "since"),
    [
        ("estimated on September 21 that", "2024-09-21", False),
        ("on 21 November", "2023-11-21", False),  # after the article date: the previous year
        ("last month", "2024-09", False),
        ("в сентябре погибли", "2024-09", False),
        ("в прошлом месяце", "2024-09", False),
        ("yesterday", "2024-10-14", False),
        ("вчера", "2024-10-14", False),
        ("on Monday", "2024-10-14", False),
        ("on Tuesday", "2024-10-15", False),
        ("по состоянию на 20 сентября", "2024-09-20", False),
        ("в сентябре 2022 года", "2022-09", False),
        ("in 2023", "2023", False),
        ("с 24 февраля 2022 года", "2022-02-24", True),
        ("since February 2022", "2022-02", True),
        ("since August 6", "2024-08-06", True),
        ("с начала августа", "2024-08", True),
        ("к концу августа", "2024-08", False),
    ],
)
def test_dates_resolve_against_the_article_date(text: str, iso: str, since: bool) -> None:
    found = find_dates(text, REF)
    assert len(found) == 1
    assert (found[0].iso, found[0].since) == (iso, since)


def test_year_less_dates_need_a_reference() -> None:
    assert find_dates("on September 21", None) == []
    assert find_dates("October 3, 2024", None)[0].iso == "2024-10-03"


def test_publication_date_from_text() -> None:
    assert publication_date("KYIV, Oct. 3, 2024 (Wire) — text") == "2024-10-03"
    assert publication_date("Title\nPublished: 14 сентября 2024\nText") == "2024-09-14"
    assert publication_date("No date here. 1,351 soldiers.") is None
