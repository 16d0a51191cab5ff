"""The pages. Server-rendered HTML that works without JavaScript (one small script adds the
review queue's a/r/s keys). Every view but sign-in needs a signed-in user (Django's
LoginRequiredMiddleware); a signed-in user without the capability gets 403. Reads and writes
go through reckon's library functions on a per-thread casebook connection.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reckon.errors import ReckonError
from reckon.link.explain import explain
from reckon.link.review import review_queue
from reckon.store import Casebook, open_casebook
from reckon.web import audit, decisions, intake, search, throttle
from reckon.web.config import casebook_folder
from reckon.web.roles import ADMIN, CAPABILITIES, CONTACTS, DECIDE, INTAKE, READ, can, role_of

_local = threading.local()
ASSETS = Path(__file__).resolve().parent / "assets"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:;"
    " form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def headers_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Content-Security-Policy on every page; pages are never cached by a shared proxy."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    return middleware


def cb() -> Casebook:
    """This thread's connection to the casebook."""
    book = getattr(_local, "cb", None)
    if book is None:
        book = open_casebook(casebook_folder())
        _local.cb = book
    return book


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "")


def _local_path(request: HttpRequest, path: str) -> str:
    """``path`` if it stays on this site (a redirect target from a form), else ''."""
    from django.utils.http import url_has_allowed_host_and_scheme

    if path.startswith("/") and url_has_allowed_host_and_scheme(
        path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return path
    return ""


def _user(request: HttpRequest) -> str:
    return str(request.user.get_username())


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    role = role_of(request.user)
    caps = CAPABILITIES.get(role or "", frozenset())
    context.update(role=role, caps=caps, can_decide=DECIDE in caps, can_intake=INTAKE in caps)
    context.update(can_admin=ADMIN in caps, can_contacts=CONTACTS in caps)
    return render(request, template, context, status=status)


def _message(request: HttpRequest, title: str, text: str, status: int) -> HttpResponse:
    return _page(request, "message.html", status=status, title=title, text=text)


def forbidden(request: HttpRequest, what: str = "do this") -> HttpResponse:
    return _message(request, "Not allowed", f"Your role may not {what}.", 403)


def requires(capability: str, what: str) -> Callable:
    def wrap(view: Callable) -> Callable:
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not can(request.user, capability):
                return forbidden(request, what)
            try:
                return view(request, *args, **kwargs)
            except ReckonError as exc:
                text = exc.message + (f" ({exc.hint})" if exc.hint else "")
                return _message(request, "Cannot do that", text, 400)

        inner.__name__ = view.__name__
        inner.__doc__ = view.__doc__
        return inner

    return wrap


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return HttpResponse(
        "<!doctype html><title>Form expired</title><p>The form was refused (CSRF check failed):"
        " reload the page and send it again.</p>",
        status=403,
    )


# ------------------------------------------------------------------ sign-in


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    nxt = _local_path(request, str(request.GET.get("next") or request.POST.get("next") or ""))
    if request.method == "GET":
        if request.user.is_authenticated:
            return HttpResponseRedirect(nxt or "/")
        return render(request, "login.html", {"next": nxt})
    username = str(request.POST.get("username") or "")[:150]
    password = str(request.POST.get("password") or "")
    address = _address(request)
    book = cb()
    lock = throttle.check(book, username, address)
    if lock.locked:
        audit.record(
            book,
            "signin_locked",
            actor=None,
            target=username,
            detail={"retry_after_s": lock.retry_after_s},
            address=address,
        )
        minutes = max(1, round(lock.retry_after_s / 60))
        response = render(
            request,
            "login.html",
            {"next": nxt, "error": f"Too many failed sign-ins: try again in {minutes} minutes."},
            status=429,
        )
        response.headers["Retry-After"] = str(lock.retry_after_s)
        return response
    user = authenticate(request, username=username, password=password)
    if user is None or role_of(user) is None:
        throttle.failed(book, username, address)
        audit.record(book, "signin_failure", actor=None, target=username, address=address)
        return render(
            request,
            "login.html",
            {"next": nxt, "error": "Wrong user name or password.", "username": username},
            status=401,
        )
    throttle.succeeded(book, username, address)
    login(request, user)
    audit.record(book, "signin", actor=user.get_username(), address=address)
    return HttpResponseRedirect(nxt or "/")


@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, "logout.html")
    logout(request)
    return HttpResponseRedirect("/login")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if can(request.user, DECIDE):
        return HttpResponseRedirect("/review")
    if can(request.user, INTAKE):
        return HttpResponseRedirect("/intake")
    return HttpResponseRedirect("/search")


@require_GET
def assets(request: HttpRequest, name: str) -> HttpResponse:
    if name != "keys.js":
        return _message(request, "Not found", "No such file.", 404)
    return HttpResponse((ASSETS / name).read_bytes(), content_type="text/javascript")


# ------------------------------------------------------------------ review


def _nonce() -> str:
    return secrets.token_urlsafe(18)


@require_GET
@requires(READ, "read the review queue")
def review(request: HttpRequest) -> HttpResponse:
    book = cb()
    me = _user(request)
    try:
        at = max(0, int(request.GET.get("at") or 0))
    except ValueError:
        at = 0
    mine = {
        (r[0], r[1])
        for r in book.db.execute(
            "SELECT record_id_l, record_id_r FROM decision_current WHERE reviewer = ?", (me,)
        )
    }
    # enough of the queue to skip what this reviewer decided already and reach pair `at`
    queue = review_queue(book, limit=at + 1 + len(mine))
    items = [i for i in queue.items if (i.record_id_l, i.record_id_r) not in mine]
    item = items[at] if at < len(items) else None
    rows = []
    if item is not None:
        for f in item.left:
            if f == "id":
                continue
            lv, rv = item.left.get(f), item.right.get(f)
            if lv in (None, "") and rv in (None, ""):
                continue
            rows.append({"field": f, "left": lv, "right": rv, "same": lv == rv})
    steps = []
    if item is not None:
        top = max([abs(s.weight) for s in item.waterfall] + [1.0])
        steps = [
            {
                "name": s.name,
                "weight": s.weight,
                "cumulative": s.cumulative,
                "width": round(100 * abs(s.weight) / top),
                "up": s.weight >= 0,
            }
            for s in item.waterfall
        ]
    flags = decisions.open_flags(book) if can(request.user, ADMIN) else []
    return _page(
        request,
        "review.html",
        item=item,
        rows=rows,
        steps=steps,
        n=at + 1,
        n_open=queue.n_open,
        n_mine_left=len(items),
        at=at,
        next_at=at + 1 if at + 1 < len(items) else None,
        prev_at=at - 1 if at > 0 else None,
        nonce=_nonce(),
        run_id=queue.run_id,
        flags=flags,
    )


@require_POST
@requires(DECIDE, "decide pairs")
def review_decide(request: HttpRequest, left: int, right: int) -> HttpResponse:
    decision = str(request.POST.get("decision") or "")
    nonce = str(request.POST.get("nonce") or "") or None
    if decision not in ("accept", "reject", "skip"):
        return _message(request, "Cannot do that", "decision must be accept, reject or skip", 400)
    me = _user(request)
    outcome = decisions.record_decisions(
        cb(),
        [(left, right)],
        decision,
        reviewer=me,
        is_admin=can(request.user, ADMIN),
        address=_address(request),
        request_id=f"{me}:{nonce}" if nonce else None,
    )
    if request.headers.get("Accept") == "application/json":
        return HttpResponse(
            json.dumps(
                {**outcome.to_dict(), "decisions": [d.to_dict() for d in outcome.decisions]}
            ),
            content_type="application/json",
        )
    back = _local_path(request, str(request.POST.get("back") or "")) or "/review"
    return HttpResponseRedirect(back)


# ------------------------------------------------------------------ people


def _raw(book: Casebook, ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = book.db.execute(
        "SELECT r.id, s.name AS source, v.version, v.file_name, rr.row_number, rr.cells"
        " FROM record r JOIN raw_row rr ON rr.id = r.raw_row_id"
        " JOIN source_version v ON v.id = r.source_version_id JOIN source s ON s.id = v.source_id"
        f" WHERE r.id IN ({marks})",
        ids,
    )
    return {r["id"]: {**dict(r), "cells": json.loads(r["cells"])} for r in rows}


@require_GET
@requires(READ, "read people")
def person(request: HttpRequest, person_id: str) -> HttpResponse:
    book = cb()
    try:
        ex = explain(book, person_id)
    except ReckonError as exc:
        return _message(request, "Not found", exc.message, 404)
    raw = _raw(book, [int(r["id"]) for r in ex.records])
    records = [{**r, "raw": raw.get(int(r["id"]), {})} for r in ex.records]
    return _page(
        request,
        "person.html",
        ex=ex,
        records=records,
        links=ex.links,
        nonce=_nonce(),
    )


@require_POST
@requires(DECIDE, "split or merge people")
def person_change(request: HttpRequest, person_id: str, change: str) -> HttpResponse:
    book = cb()
    me = _user(request)
    nonce = str(request.POST.get("nonce") or "") or None
    if change == "split":
        text = str(request.POST.get("record_id") or "")
        if not text.isdigit():
            return _message(request, "Cannot do that", "record_id must be a record number", 400)
        rid = int(text)
        pairs = decisions.split_pairs(book, person_id, rid)
        decision, note = "reject", f"split record {rid} off person {person_id}"
    else:
        other = str(request.POST.get("other_person_id") or "").strip()
        pairs = decisions.merge_pairs(book, person_id, other)
        decision, note = "accept", f"merge person {other} into person {person_id}"
    decisions.record_decisions(
        book,
        pairs,
        decision,
        reviewer=me,
        is_admin=can(request.user, ADMIN),
        address=_address(request),
        request_id=f"{me}:{nonce}" if nonce else None,
        action=change,
        note=note,
    )
    return _message(
        request,
        "Recorded",
        f"{note}: {len(pairs)} decision(s) recorded. The next `reckon link` applies them.",
        200,
    )


# ------------------------------------------------------------------ sources, search


@require_GET
@requires(READ, "read sources")
def sources(request: HttpRequest) -> HttpResponse:
    from reckon.ingest import list_quarantine, list_sources

    book = cb()
    versions = [
        dict(r)
        for r in book.db.execute(
            "SELECT s.name, v.version, v.file_name, v.sha256, v.ingested_at, v.rows_read,"
            " v.rows_stored, v.rows_quarantined FROM source_version v"
            " JOIN source s ON s.id = v.source_id ORDER BY s.name, v.version DESC"
        )
    ]
    return _page(
        request,
        "sources.html",
        sources=list_sources(book),
        versions=versions,
        quarantine=list_quarantine(book, limit=200),
    )


@require_GET
@requires(READ, "search")
def search_view(request: HttpRequest) -> HttpResponse:
    q = str(request.GET.get("q") or "").strip()[:200]
    region = str(request.GET.get("region") or "").strip()[:100] or None
    year_text = str(request.GET.get("birth_year") or "").strip()
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    result = search.search(cb(), q, birth_year=year, region=region) if q else None
    return _page(
        request,
        "search.html",
        q=q,
        region=region or "",
        birth_year=year_text,
        result=result,
        unindexed=search.unindexed(cb()),
    )


# ------------------------------------------------------------------ intake


@require_http_methods(["GET", "POST"])
@requires(INTAKE, "enter or read families' reports")
def intake_view(request: HttpRequest) -> HttpResponse:
    book = cb()
    done = None
    if request.method == "POST":
        me = _user(request)
        nonce = str(request.POST.get("nonce") or "")
        rid_token = f"{me}:{nonce}" if nonce else None
        if rid_token and audit.seen(book, rid_token):
            done = "This report was sent already."
        else:
            with book.transaction():
                report_id = intake.submit(book, dict(request.POST.items()), by=me)
                audit.record(
                    book,
                    "intake_submit",
                    actor=me,
                    target=f"report {report_id}",
                    address=_address(request),
                    request_id=rid_token,
                )
            done = f"Report {report_id} stored; it waits for an intake user's acceptance."
    return _page(
        request,
        "intake.html",
        fields=intake.FIELDS,
        contact_fields=intake.CONTACT_FIELDS,
        pending=intake.reports(book, status="pending", contacts=True),
        recent=intake.reports(book, contacts=True, limit=20),
        nonce=_nonce(),
        done=done,
    )


@require_POST
@requires(INTAKE, "moderate families' reports")
def intake_moderate(request: HttpRequest, report_id: int, decision: str) -> HttpResponse:
    book = cb()
    me = _user(request)
    note = str(request.POST.get("note") or "").strip()[:500] or None
    with book.transaction():
        version = intake.moderate(book, [report_id], decision, by=me, note=note)
        audit.record(
            book,
            f"intake_{decision}",
            actor=me,
            target=f"report {report_id}",
            detail={"source_version_id": version} if version else {},
            address=_address(request),
        )
    return HttpResponseRedirect("/intake")


# ------------------------------------------------------------------ estimates, report


@require_GET
@requires(READ, "read estimates")
def estimates(request: HttpRequest) -> HttpResponse:
    from reckon.claims.ledger import list_claims

    book = cb()
    rows = [
        dict(r)
        for r in book.db.execute(
            "SELECT id, created_at, method, lists, stratum, stratified_by, observed, estimate,"
            " lower, upper, level FROM estimate_run ORDER BY id DESC LIMIT 50"
        )
    ]
    latest = next((r for r in rows if r["stratum"] is None), None)
    return _page(request, "estimates.html", latest=latest, rows=rows, claims=list_claims(book))


_report_lock = threading.Lock()


@require_GET
@requires(READ, "read the report")
def report(request: HttpRequest) -> HttpResponse:
    """The published report (without personal names), rebuilt when the casebook changed."""
    from reckon.report import build_report

    book = cb()
    state = json.dumps(
        [
            list(r)
            for r in book.db.execute(
                "SELECT (SELECT max(id) FROM link_run), (SELECT max(id) FROM estimate_run),"
                " (SELECT count(*) FROM claim), (SELECT max(id) FROM source_version),"
                " (SELECT max(id) FROM decision)"
            )
        ]
    )
    folder = casebook_folder() / "web-cache"
    out = folder / "report.html"
    stamp = folder / "report.state"
    with _report_lock:
        if not out.exists() or not stamp.exists() or stamp.read_text() != state:
            build_report(book, out)
            stamp.write_text(state)
        html = out.read_bytes()
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
        " img-src data: 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    return response


# ------------------------------------------------------------------ admin


@require_GET
@requires(ADMIN, "read the audit log")
def audit_view(request: HttpRequest) -> HttpResponse:
    action = str(request.GET.get("action") or "").strip() or None
    return _page(
        request,
        "audit.html",
        entries=audit.entries(cb(), action=action, limit=500),
        action=action or "",
    )


@require_http_methods(["GET", "POST"])
@requires(ADMIN, "manage users")
def users_view(request: HttpRequest) -> HttpResponse:
    from reckon.web import users

    book = cb()
    done = None
    if request.method == "POST":
        name = str(request.POST.get("name") or "")
        if name == _user(request):
            return _message(request, "Cannot do that", "You cannot disable yourself.", 400)
        users.disable_user(book, name, actor=_user(request), address=_address(request))
        done = f"{name} disabled."
    return _page(request, "users.html", users=users.list_users(book), done=done)


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseRedirect("/login")
    return _message(request, "Not found", "No such page.", 404)
