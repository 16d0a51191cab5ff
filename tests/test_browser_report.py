"""The report as a person sees it: opened in headless Chromium from a file:// URL.

Checks that it loads with no console errors and no network requests, that every
chart is drawn (elements exist and have a size), and that no name from the
casebook appears on the page unless the report was written with names.
Needs Debian's ``chromium`` (``make browser`` installs it); skipped without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reckon.report import build_report
from test_report_casebook import casebook_names, make_casebook

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (run `make browser`)",
    ),
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("browser")
    cb = make_casebook(root / "cb")
    plain = build_report(cb, root / "out" / "report.html")
    named = build_report(cb, root / "out" / "named.html", include_names=True)
    names = casebook_names(cb)
    cb.close()
    return {"plain": plain.path, "named": named.path, "names": names}


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on(
        "request",
        lambda r: (
            problems.append(f"network request: {r.url}")
            if not r.url.startswith("file://")
            else None
        ),
    )
    page.goto(path.resolve().as_uri(), wait_until="load")
    return page, problems


def test_report_loads_cleanly_and_draws_its_charts(browser, reports) -> None:
    page, problems = _open(browser, reports["plain"])
    assert page.title().startswith("reckon report")
    charts = page.locator("figure.chart svg")
    ids = page.locator("figure.chart").evaluate_all("els => els.map(e => e.id)")
    # documented people, the timeline, the estimate's histogram, sources, and the models
    assert len(ids) == 5, ids
    assert "chart-models" in ids, ids
    for i in range(charts.count()):
        svg = charts.nth(i)
        box = svg.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 80
        marks = svg.locator("rect.bar, path, circle")
        assert marks.count() > 0, f"chart {i} draws nothing"
        if ids[i] == "chart-models":  # point estimates with interval whiskers, no bars
            assert svg.locator("circle").count() > 0 or svg.locator("path").count() > 0
            continue
        first = svg.locator("rect.bar").first
        fbox = first.bounding_box()
        assert fbox is not None and fbox["width"] > 0 and fbox["height"] > 0
    # the timeline carries the documented line, the claims and the estimate
    timeline = page.locator("#chart-timeline svg")
    assert timeline.locator("path.documented").count() == 1
    # the fixture's three dated 'killed' claims with a number (the non-disclosure is only in the table)
    assert timeline.locator("g.claim").count() == 3
    assert timeline.locator("g.estimate").count() == 1
    # the overlap chart has one column per combination of sources seen
    assert page.locator("#chart-overlap svg circle").count() >= 3 * 3
    text = page.inner_text("body")
    assert "60" in page.inner_text("#headline-documented")
    assert "91" in page.inner_text("#headline-estimate") and "74–123" in page.inner_text(
        "#headline-estimate"
    )
    for section in (
        "Timeline",
        "Breakdowns",
        "Overlap of the sources",
        "Estimates",
        "Claims",
        "Methodology",
        "What is not known",
        "Inclusion rules",
    ):
        assert section in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    page.close()
    assert problems == []


def test_no_casebook_name_without_include_names(browser, reports) -> None:
    page, problems = _open(browser, reports["plain"])
    text = page.inner_text("body")
    html = page.content()
    page.close()
    names = reports["names"]
    assert len(names) > 20
    leaked = sorted(n for n in names if n in text or n in html)
    assert leaked == []
    assert problems == []


def test_names_appear_with_include_names(browser, reports) -> None:
    page, problems = _open(browser, reports["named"])
    text = page.inner_text("#people")
    page.close()
    assert "Заболотных Аркадий" in text or "Zabolotnykh Arkady" in text
    found = [n for n in reports["names"] if n in text]
    assert len(found) > 20
    assert problems == []
