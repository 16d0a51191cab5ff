"""The team web app in a real browser: `reckon serve` in a child process on a loopback port,
driven by Playwright through Debian's Chromium. Sign in, review a pair with the keyboard,
search a romanised name, enter a family's report and accept it, and a viewer who cannot see
contact details or decide a pair. Skipped without /usr/bin/chromium (`make browser`)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from web_support import PASSWORD, Server, add_users, make_casebook

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (run `make browser`)",
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("webbrowser")
    folder = root / "cb"
    make_casebook(folder).close()
    add_users(folder)
    srv = Server(folder, root / "server.log")
    yield srv, folder
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _db(folder: Path) -> sqlite3.Connection:
    db = sqlite3.connect(folder / "reckon.sqlite", timeout=30)
    db.row_factory = sqlite3.Row
    return db


def _sign_in(browser, url: str, name: str):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and "403" not in m.text else None,
    )
    page.goto(url + "/review")
    assert page.url.startswith(url + "/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url
    return context, page, problems


def test_reviewer_signs_in_and_decides_a_pair_with_the_keyboard(server, browser) -> None:
    srv, folder = server
    context, page, problems = _sign_in(browser, srv.url, "rita")
    page.goto(srv.url + "/review")
    assert "Pair 1 of" in page.inner_text("#position")
    action = page.get_attribute("#decide", "action")
    a, b = (int(x) for x in re.findall(r"\d+", action or ""))
    with page.expect_navigation():
        page.keyboard.press("r")
    with _db(folder) as db:
        rows = db.execute(
            "SELECT reviewer, decision FROM decision WHERE record_id_l = ? AND record_id_r = ?",
            (a, b),
        ).fetchall()
    assert [tuple(r) for r in rows] == [("rita", "reject")]
    # the next pair is shown
    assert page.get_attribute("#decide", "action") != action
    assert problems == []
    context.close()


def test_search_finds_a_romanised_name(server, browser) -> None:
    srv, folder = server
    context, page, problems = _sign_in(browser, srv.url, "vera")
    page.goto(srv.url + "/search")
    page.fill("#q", "Sasha Sidorov")
    with page.expect_navigation():
        page.press("#q", "Enter")
    text = page.inner_text("#results")
    assert "Сидоров Александр Петрович" in text or "Aleksandr Sidorov" in text
    with _db(folder) as db:
        expected = {
            r[0]
            for r in db.execute(
                "SELECT source_record_id FROM record WHERE source_record_id IN ('o1', 'm1')"
            )
        }
    assert expected == {"o1", "m1"}
    assert page.locator("#results tr").count() == 1 + 2  # header + o1 and m1, not Ivan Sidorov
    assert "Иван" not in text
    assert problems == []
    context.close()


def test_intake_report_is_entered_and_accepted(server, browser) -> None:
    srv, folder = server
    context, page, problems = _sign_in(browser, srv.url, "ines")
    page.goto(srv.url + "/intake")
    page.fill("#f-full_name", "Ветрогонов Ярослав Денисович")
    page.fill("#f-death_date", "2023-11-02")
    page.fill("#f-region", "Pskov Oblast")
    page.fill("#f-circumstances", "Killed near the river crossing.")
    page.fill("#f-how_known", "The unit's letter to the family.")
    page.fill("#f-contact_name", "Nadezhda Vetrogonova")
    page.fill("#f-contact", "+7 900 000 11 22")
    with page.expect_navigation():
        page.click("#intake-form button[type=submit]")
    assert "stored" in page.inner_text("[role=status]")
    row = page.locator("#pending tr", has_text="Ветрогонов Ярослав Денисович")
    assert "+7 900 000 11 22" in row.inner_text()
    with page.expect_navigation():
        row.locator("button.accept").click()
    assert page.locator("#pending tr", has_text="Ветрогонов").count() == 0
    with _db(folder) as db:
        rec = db.execute(
            "SELECT c.full_name, c.death_date, c.source, rr.cells FROM current_record c"
            " JOIN raw_row rr ON rr.id = c.raw_row_id WHERE c.full_name = ?",
            ("Ветрогонов Ярослав Денисович",),
        ).fetchone()
    assert rec is not None and rec["source"] == "family_intake"
    assert rec["death_date"] == "2023-11-02"
    assert "11 22" not in rec["cells"] and "Nadezhda" not in rec["cells"]
    assert problems == []
    context.close()


def test_viewer_sees_no_contact_details_and_cannot_decide(server, browser) -> None:
    srv, folder = server
    # a report with contact details waits in the queue
    context, page, _ = _sign_in(browser, srv.url, "ines")
    page.goto(srv.url + "/intake")
    page.fill("#f-full_name", "Горшенин Тимофей")
    page.fill("#f-contact", "secret-phone-4242")
    with page.expect_navigation():
        page.click("#intake-form button[type=submit]")
    context.close()

    context, page, problems = _sign_in(browser, srv.url, "vera")
    response = page.goto(srv.url + "/intake")
    assert response is not None and response.status == 403
    for path in ("/review", "/sources", "/search?q=Gorshenin", "/estimates"):
        response = page.goto(srv.url + path)
        assert response is not None and response.status == 200
        assert "secret-phone-4242" not in page.content()
    page.goto(srv.url + "/review")
    assert page.locator("#decide").count() == 0
    token = page.get_attribute("input[name=csrfmiddlewaretoken]", "value")
    with _db(folder) as db:
        a, b = (
            db.execute("SELECT id FROM record WHERE source_record_id = ?", (s,)).fetchone()[0]
            for s in ("o1", "m1")
        )
        before = db.execute("SELECT count(*) FROM decision").fetchone()[0]
    r = context.request.post(
        f"{srv.url}/review/{a}/{b}",
        form={"decision": "accept", "csrfmiddlewaretoken": token or ""},
        headers={"Referer": srv.url + "/review"},
    )
    assert r.status == 403 and "Your role may not" in r.text()
    with _db(folder) as db:
        assert db.execute("SELECT count(*) FROM decision").fetchone()[0] == before
    assert problems == []
    context.close()
