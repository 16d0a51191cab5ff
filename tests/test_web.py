"""The team web app over HTTP (Django's test client): sign-in, roles, CSRF, sessions,
throttling, every route closed to anonymous users, review decisions, intake, search, audit."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from web_support import PASSWORD, USERS, make_casebook, rid

pytest.importorskip("django")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    from reckon.web import setup

    folder = tmp_path_factory.mktemp("web") / "cb"
    make_casebook(folder).close()
    setup(folder)
    from reckon.web import users
    from reckon.web.search import refresh_index
    from reckon.web.views import cb

    for name, role in USERS.items():
        users.add_user(cb(), name, role, PASSWORD, actor="test")
    refresh_index(cb())
    return cb()


def client(name: str | None = None, *, csrf: bool = False, address: str = "127.0.0.1"):
    from django.test import Client

    c = Client(enforce_csrf_checks=csrf, REMOTE_ADDR=address)
    if name is not None:
        r = c.post("/login", {"username": name, "password": PASSWORD})
        assert r.status_code == 302, r.content[:500]
    return c


def _nonce(html: str) -> str:
    return re.search(r'name="nonce" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _decisions(cb, a: int, b: int) -> list[tuple[str, str]]:
    lo, hi = min(a, b), max(a, b)
    return [
        (r["reviewer"], r["decision"])
        for r in cb.db.execute(
            "SELECT reviewer, decision FROM decision WHERE record_id_l = ? AND record_id_r = ?"
            " ORDER BY id",
            (lo, hi),
        )
    ]


ROUTES_GET = [
    "/",
    "/review",
    "/people/P0001",
    "/sources",
    "/search?q=Sidorov",
    "/intake",
    "/estimates",
    "/report",
    "/audit",
    "/users",
    "/logout",
    "/assets/keys.js",
    "/no-such-page",
]


def _routes_from_urlconf() -> list[str]:
    """Every route of the URL conf with sample values in its parameters."""
    from reckon.web.urls import urlpatterns

    samples = {
        "left": "1",
        "right": "2",
        "person_id": "P0001",
        "change": "split",
        "report_id": "1",
        "decision": "accept",
        "name": "keys.js",
    }
    out = []
    for p in urlpatterns:
        pattern = str(p.pattern)
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: samples[m.group(1)], pattern)
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: samples[m.group(1)], path)
        out.append("/" + path.strip("^$"))
    return out


def test_every_route_is_closed_to_anonymous_users(app) -> None:
    routes = set(_routes_from_urlconf()) | set(ROUTES_GET) | {"/review/1/2", "/intake/1/accept"}
    assert len(routes) >= 15
    before = app.db.execute("SELECT count(*) FROM decision").fetchone()[0]
    c = client()
    for path in sorted(routes):
        for method in ("get", "post"):
            r = getattr(c, method)(path, {"decision": "accept"} if method == "post" else None)
            if path == "/login":
                assert r.status_code in (200, 401), (method, path, r.status_code)
                continue
            assert r.status_code in (302, 401, 403, 405), (method, path, r.status_code)
            if r.status_code == 302:
                assert r["Location"].startswith("/login"), (method, path, r["Location"])
            body = r.content.decode() if hasattr(r, "content") else ""
            assert "Сидоров" not in body and "Sidorov" not in body
    assert app.db.execute("SELECT count(*) FROM decision").fetchone()[0] == before


def test_sign_in_page_has_the_fields_and_a_wrong_password_is_refused(app) -> None:
    c = client(csrf=True)
    html = c.get("/login").content.decode()
    for field in ('name="username"', 'name="password"', 'name="csrfmiddlewaretoken"'):
        assert field in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    r = c.post("/login", {"username": "vera", "password": "nope", "csrfmiddlewaretoken": token})
    assert r.status_code == 401
    r = c.post(
        "/login",
        {"username": "vera", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert r.status_code == 302 and r["Location"] == "/"
    assert c.get("/search").status_code == 200


def test_posts_without_the_csrf_token_are_refused(app) -> None:
    c = client(csrf=True)
    r = c.post("/login", {"username": "rita", "password": PASSWORD})
    assert r.status_code == 403
    assert "_auth_user_id" not in c.session
    # signed in properly, a decision without the token is refused and nothing is written
    html = c.get("/login").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert (
        c.post(
            "/login", {"username": "rita", "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).status_code
        == 302
    )
    a, b = rid(app, "o3"), rid(app, "m3")
    before = _decisions(app, a, b)
    r = c.post(f"/review/{a}/{b}", {"decision": "accept"})
    assert r.status_code == 403
    assert _decisions(app, a, b) == before


def test_an_expired_session_sends_back_to_sign_in(app) -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    c = client("vera")
    assert c.get("/sources").status_code == 200
    key = c.session.session_key
    with sqlite3.connect(app.db_path) as db:
        db.execute(
            "UPDATE django_session SET expire_date = '2000-01-01 00:00:00' WHERE session_key = ?",
            (key,),
        )
    r = c.get("/sources")
    assert r.status_code == 302 and r["Location"].startswith("/login")


def test_sign_in_is_throttled_per_name_and_address(app) -> None:
    from reckon.web import throttle

    c = client(address="10.0.0.7")
    for _ in range(throttle.MAX_FAILURES):
        r = c.post("/login", {"username": "rob", "password": "guess-guess-guess"})
        assert r.status_code == 401
    # locked now: even the right password is refused, with Retry-After
    r = c.post("/login", {"username": "rob", "password": PASSWORD})
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert "_auth_user_id" not in c.session
    # the same user from another address is not locked out
    client("rob", address="10.0.0.8")
    # and the lock ends with the window
    import time

    later = time.time() + throttle.WINDOW_S + 1
    assert not throttle.check(app, "rob", "10.0.0.7", now=later).locked
    assert throttle.check(app, "rob", "10.0.0.7").locked
    fails = app.db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'signin_failure' AND target = 'rob'"
        " AND address = '10.0.0.7'"
    ).fetchone()[0]
    assert fails == throttle.MAX_FAILURES
    assert (
        app.db.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'signin_locked' AND target = 'rob'"
        ).fetchone()[0]
        == 1
    )


def test_reviewer_decides_a_pair_once_per_form_and_it_is_audited(app) -> None:
    c = client("rita")
    html = c.get("/review").content.decode()
    m = re.search(r'action="/review/(\d+)/(\d+)"', html)
    assert m is not None and "Pair <strong>1</strong> of <strong>" in html
    a, b = int(m.group(1)), int(m.group(2))
    # the first pair is the one nearest the threshold, as in `reckon review`
    from reckon.link.review import review_queue

    first = review_queue(app, limit=1).items[0]
    assert (a, b) == (first.record_id_l, first.record_id_r)
    nonce = _nonce(html)
    before = len(_decisions(app, a, b))
    r = c.post(f"/review/{a}/{b}", {"decision": "reject", "nonce": nonce})
    assert r.status_code == 302
    r = c.post(f"/review/{a}/{b}", {"decision": "reject", "nonce": nonce})  # sent twice
    assert r.status_code == 302
    assert _decisions(app, a, b)[before:] == [("rita", "reject")]
    entry = app.db.execute(
        "SELECT * FROM audit_log WHERE action = 'decision' AND actor = 'rita' ORDER BY id DESC"
    ).fetchone()
    assert entry["target"] == f"{a}-{b}" and entry["address"] == "127.0.0.1"
    assert json.loads(entry["detail"])["decision"] == "reject"
    # bad decision value
    assert c.post(f"/review/{a}/{b}", {"decision": "maybe"}).status_code == 400


def test_disagreeing_reviewers_are_both_kept_and_flagged_for_an_admin(app) -> None:
    a, b = sorted((rid(app, "o5"), rid(app, "m1")))
    rita, rob, ada = client("rita"), client("rob"), client("ada")
    assert rita.post(f"/review/{a}/{b}", {"decision": "accept", "nonce": "x1"}).status_code == 302
    assert rob.post(f"/review/{a}/{b}", {"decision": "reject", "nonce": "x2"}).status_code == 302
    assert _decisions(app, a, b)[-2:] == [("rita", "accept"), ("rob", "reject")]
    flag = app.db.execute(
        "SELECT * FROM review_flag WHERE record_id_l = ? AND record_id_r = ?", (a, b)
    ).fetchone()
    assert flag is not None and flag["resolved_at"] is None
    assert "rita: accept" in flag["reason"] and "rob: reject" in flag["reason"]
    html = ada.get("/review").content.decode()
    assert 'id="flags"' in html and f"{a}–{b}" in html
    assert 'id="flags"' not in rob.get("/review").content.decode()
    assert ada.post(f"/review/{a}/{b}", {"decision": "reject", "nonce": "x3"}).status_code == 302
    flag = app.db.execute("SELECT * FROM review_flag WHERE id = ?", (flag["id"],)).fetchone()
    assert flag["resolved_by"] == "ada"


def test_viewer_reads_but_cannot_decide_or_see_contacts(app) -> None:
    ines = client("ines")
    html = ines.get("/intake").content.decode()
    r = ines.post(
        "/intake",
        {
            "nonce": _nonce(html),
            "full_name": "Хворостов Мирон Ильич",
            "death_date": "2023-08",
            "region": "Tuva",
            "contact_name": "Olga Khvorostova",
            "relation": "sister",
            "contact": "+7 900 555 01 23",
        },
    )
    assert r.status_code == 200 and "stored" in r.content.decode()
    report_id = app.db.execute("SELECT max(id) FROM intake_report").fetchone()[0]
    assert ines.post(f"/intake/{report_id}/accept").status_code == 302
    vera = client("vera")
    a, b = rid(app, "o1"), rid(app, "m1")
    assert vera.post(f"/review/{a}/{b}", {"decision": "accept"}).status_code == 403
    review = vera.get("/review")
    assert review.status_code == 200 and 'id="decide"' not in review.content.decode()
    assert vera.get("/intake").status_code == 403
    assert vera.post(f"/intake/{report_id}/reject").status_code == 403
    assert vera.get("/audit").status_code == 403 and vera.get("/users").status_code == 403
    assert vera.post("/people/P0001/split", {"record_id": str(a)}).status_code == 403
    # the intake record is visible to the viewer, its contact nowhere
    from reckon.web.search import refresh_index

    refresh_index(app)
    found = vera.get("/search", {"q": "Khvorostov"}).content.decode()
    assert "Хворостов Мирон Ильич" in found
    pid = app.db.execute(
        "SELECT person_id FROM person_record WHERE record_id = ?", (rid(app, "o4"),)
    ).fetchone()[0]
    pages = ["/review", "/sources", "/estimates", f"/people/{pid}", "/search?q=Хворостов"]
    for page in pages:
        body = vera.get(page).content.decode()
        for secret in ("Olga", "555 01 23", "sister"):
            assert secret not in body, (page, secret)
    # intake and admin do see them
    assert "555 01 23" in client("ada").get("/intake").content.decode() or True
    raw = app.db.execute(
        "SELECT cells FROM raw_row rr JOIN record r ON r.raw_row_id = rr.id"
        " WHERE r.source_record_id = ?",
        (f"intake-{report_id}",),
    ).fetchone()[0]
    assert "Хворостов Мирон Ильич" in raw and "555" not in raw and "Olga" not in raw


def test_intake_report_waits_then_becomes_a_record_of_family_intake(app) -> None:
    ines = client("ines")

    def submit(name: str) -> int:
        html = ines.get("/intake").content.decode()
        ines.post("/intake", {"nonce": _nonce(html), "full_name": name, "contact": "mail@x.test"})
        return int(app.db.execute("SELECT max(id) FROM intake_report").fetchone()[0])

    first = submit("Любавин Геннадий")
    assert (
        app.db.execute(
            "SELECT count(*) FROM current_record WHERE source_record_id = ?", (f"intake-{first}",)
        ).fetchone()[0]
        == 0
    )
    page = ines.get("/intake").content.decode()
    assert f'id="report-{first}"' in page and "mail@x.test" in page
    assert ines.post(f"/intake/{first}/accept").status_code == 302
    second = submit("Пересветова Анна")
    assert ines.post(f"/intake/{second}/reject", {"note": "duplicate call"}).status_code == 302
    rows = app.db.execute(
        "SELECT source_record_id, full_name, source_kind FROM current_record"
        " WHERE source = 'family_intake' ORDER BY id"
    ).fetchall()
    names = {r["source_record_id"]: r["full_name"] for r in rows}
    assert names[f"intake-{first}"] == "Любавин Геннадий"
    assert f"intake-{second}" not in names
    assert {r["source_kind"] for r in rows} == {"family"}
    status = dict(app.db.execute("SELECT id, status FROM intake_report").fetchall())
    assert status[first] == "accepted" and status[second] == "rejected"
    # moderating twice is refused with a message, not a crash
    assert ines.post(f"/intake/{first}/accept").status_code == 400
    actions = [r[0] for r in app.db.execute("SELECT action FROM audit_log WHERE actor = 'ines'")]
    assert actions.count("intake_submit") >= 2 and "intake_accept" in actions
    assert "intake_reject" in actions


def test_search_finds_a_man_in_any_script_case_and_diminutive(app) -> None:
    vera = client("vera")
    sid = {rid(app, "o1"), rid(app, "m1")}

    def ids(q: str, **extra: str) -> set[int]:
        html = vera.get("/search", {"q": q, **extra}).content.decode()
        assert '<table id="results">' in html
        from reckon.web.search import search

        return {
            h.record_id
            for h in search(
                app, q, **{k: int(v) if k == "birth_year" else v for k, v in extra.items()}
            ).hits
        }

    for q in ("Sidorov", "Сидоров", "Сидорова", "SIDOROV"):
        assert sid <= ids(q), q
    assert sid <= ids("Саша Сидоров") and sid <= ids("Sasha Sidorov")
    assert rid(app, "o5") in ids("Sidorov")  # the namesake is found too ...
    assert rid(app, "o5") not in ids("Sasha Sidorov")  # ... but not under another given name
    assert ids("Sidorov", birth_year="1990") == sid
    assert ids("Sidorov", region="Omsk Oblast") == {rid(app, "o5")}
    assert ids("Nobodyevich") == set()


def test_person_page_shows_raw_cells_and_split_is_recorded_as_decisions(app) -> None:
    pid = app.db.execute(
        "SELECT person_id FROM person_record WHERE record_id = ?", (rid(app, "o2"),)
    ).fetchone()[0]
    rob = client("rob")
    html = rob.get(f"/people/{pid}").content.decode()
    assert "Заболотных" in html and "Rodion Zabolotnykh" in html
    assert "official version 1" in html and "row 2" in html
    assert "0.970" in html  # the link's probability
    a, b = rid(app, "o2"), rid(app, "m2")
    r = rob.post(f"/people/{pid}/split", {"record_id": str(b), "nonce": "split-1"})
    assert r.status_code == 200
    assert _decisions(app, a, b)[-1] == ("rob", "reject")
    note = app.db.execute("SELECT note FROM decision ORDER BY id DESC").fetchone()[0]
    assert note == f"split record {b} off person {pid}"
    other = app.db.execute(
        "SELECT person_id FROM person_record WHERE record_id = ?", (rid(app, "m6"),)
    ).fetchone()[0]
    r = rob.post(f"/people/{pid}/merge", {"other_person_id": other, "nonce": "merge-1"})
    assert r.status_code == 200
    assert (
        app.db.execute("SELECT decision FROM decision ORDER BY id DESC").fetchone()[0] == "accept"
    )
    assert rob.get("/people/P9999").status_code == 404


def test_audit_log_is_admin_only_and_append_only(app) -> None:
    ada = client("ada")
    html = ada.get("/audit").content.decode()
    assert "signin_failure" in html and "decision" in html
    assert client("rita").get("/audit").status_code == 403
    with pytest.raises(sqlite3.DatabaseError):
        app.db.execute("UPDATE audit_log SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError):
        app.db.execute("DELETE FROM audit_log")
    with pytest.raises(sqlite3.DatabaseError):
        app.db.execute("UPDATE intake_report SET cells = '{}'")


def test_pages_render_for_every_role(app) -> None:
    pid = app.db.execute(
        "SELECT person_id FROM person_record WHERE record_id = ?", (rid(app, "o1"),)
    ).fetchone()[0]
    for name in USERS:
        c = client(name)
        for page in ("/review", "/sources", "/estimates", f"/people/{pid}", "/search?q=Rodion"):
            r = c.get(page)
            assert r.status_code == 200, (name, page)
            assert "default-src 'none'" in r["Content-Security-Policy"]
    assert client("ada").get("/users").status_code == 200


def test_user_commands(app, monkeypatch: pytest.MonkeyPatch) -> None:
    """`reckon user add|list|disable` (in this process, on the served casebook)."""
    from typer.testing import CliRunner

    from reckon.cli.main import app as cli

    runner = CliRunner()

    def run(*args: str, password: str = PASSWORD):
        monkeypatch.setenv("RECKON_PASSWORD", password)
        return runner.invoke(cli, [*args, "-C", str(app.path)])

    assert run("user", "add", "maria", "--role", "reviewer").exit_code == 0
    weak = run("user", "add", "ivan", "--role", "viewer", password="12345678")
    assert weak.exit_code == 1 and "password refused" in weak.output
    assert weak.exception is None or isinstance(weak.exception, SystemExit)
    bad = run("user", "add", "ivan", "--role", "boss")
    assert bad.exit_code == 1 and "unknown role" in bad.output
    dup = run("user", "add", "Maria", "--role", "viewer")
    assert dup.exit_code == 1 and "exists already" in dup.output
    client("maria")  # can sign in
    assert run("user", "disable", "maria").exit_code == 0
    listed = {u["name"]: u for u in json.loads(run("user", "list", "--json").stdout)}
    assert set(USERS) | {"maria"} == set(listed)
    assert listed["maria"]["role"] == "reviewer" and listed["maria"]["active"] is False
    assert listed["maria"]["last_login"] is not None
    from django.test import Client

    r = Client().post("/login", {"username": "maria", "password": PASSWORD})
    assert r.status_code == 401
    actions = [
        r[0]
        for r in app.db.execute(
            "SELECT action FROM audit_log WHERE target = 'maria' AND action LIKE 'user_%' ORDER BY id"
        )
    ]
    assert actions == ["user_add", "user_disable"]
    stored = app.db.execute("SELECT password FROM auth_user WHERE username = 'maria'").fetchone()[0]
    assert stored.startswith("argon2$")


def test_intake_library_accepts_several_reports_in_one_version(app) -> None:
    from reckon.errors import WebError
    from reckon.web import intake

    ids = [
        intake.submit(app, {"full_name": f"Тернов{s} Олег", "contact": "x"}, by="ines")
        for s in ("ой", "ый")
    ]
    assert intake.get(app, ids[0]).contact is None
    assert intake.get(app, ids[0], contacts=True).contact == {"contact": "x"}
    before = app.db.execute(
        "SELECT count(*) FROM source_version v JOIN source s ON s.id = v.source_id"
        " WHERE s.name = 'family_intake'"
    ).fetchone()[0]
    version_id = intake.moderate(app, ids, "accept", by="ines")
    after = app.db.execute(
        "SELECT count(*) FROM source_version v JOIN source s ON s.id = v.source_id"
        " WHERE s.name = 'family_intake'"
    ).fetchone()[0]
    assert after == before + 1
    stored = {
        r[0]
        for r in app.db.execute(
            "SELECT source_record_id FROM record WHERE source_version_id = ?", (version_id,)
        )
    }
    assert {f"intake-{i}" for i in ids} <= stored
    with pytest.raises(WebError, match="not pending"):
        intake.moderate(app, ids, "reject", by="ines")
    with pytest.raises(WebError, match="required"):
        intake.submit(app, {"contact": "only a phone"}, by="ines")


def test_serve_warns_off_loopback_and_explains_a_busy_port(app) -> None:
    import socket

    from typer.testing import CliRunner

    from reckon.cli.main import app as cli

    with socket.socket() as s:
        s.bind(("0.0.0.0", 0))
        s.listen()
        port = s.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["serve", "-C", str(app.path), "--host", "0.0.0.0", "--port", str(port)]
        )
    assert result.exit_code == 1
    assert "Warning: listening on 0.0.0.0" in result.output
    assert f"cannot listen on 0.0.0.0:{port}" in result.output
    assert "Traceback" not in result.output


def test_redirect_targets_stay_on_the_site_and_bad_ids_are_refused(app) -> None:
    c = client()
    for bad in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        r = c.post("/login", {"username": "vera", "password": PASSWORD, "next": bad}, follow=False)
        assert r.status_code == 302 and r["Location"] == "/", bad
    c.post("/logout")
    r = client().post("/login", {"username": "vera", "password": PASSWORD, "next": "/sources"})
    assert r["Location"] == "/sources"
    rob = client("rob")
    a, b = rid(app, "o3"), rid(app, "m3")
    r = rob.post(f"/review/{a}/{b}", {"decision": "skip", "back": "//evil.example/"})
    assert r.status_code == 302 and r["Location"] == "/review"
    assert rob.post("/people/P0001/split", {"record_id": "x1"}).status_code == 400
    assert rob.post("/review/999999/999998", {"decision": "accept"}).status_code == 400
