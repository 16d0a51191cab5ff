"""``reckon serve``: the WSGI app on waitress, with the name index kept up to date beside it."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reckon.errors import WebError
from reckon.store import open_casebook

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    threads: int = 8
    trusted_proxy: str | None = None
    index_every_s: float = 30.0


def wsgi_app(casebook: str | Path, *, index: bool = True, **options: Any) -> Any:
    """The WSGI application for ``casebook``, for gunicorn or any WSGI server (docs/web.md).

    With ``index`` a background thread keeps the name-search index up to date.
    """
    from reckon.web.config import casebook_folder, setup

    setup(casebook, **options)
    from django.core.wsgi import get_wsgi_application

    if index:
        Indexer(casebook_folder(), 30.0, None).start()
    return get_wsgi_application()


def asgi_app(casebook: str | Path, *, index: bool = True, **options: Any) -> Any:
    """The same application for an ASGI server such as uvicorn (docs/web.md)."""
    from reckon.web.config import casebook_folder, setup

    setup(casebook, **options)
    from django.core.asgi import get_asgi_application

    if index:
        Indexer(casebook_folder(), 30.0, None).start()
    return get_asgi_application()


class Indexer(threading.Thread):
    """Keys new records for name search: at start, then every ``every_s`` seconds."""

    def __init__(self, folder: Path, every_s: float, report: Callable[[int], None] | None) -> None:
        super().__init__(name="reckon-indexer", daemon=True)
        self.folder, self.every_s, self.report = folder, every_s, report
        self.stop = threading.Event()
        self.first_pass = threading.Event()

    def run(self) -> None:
        from reckon.web.search import refresh_index

        cb = open_casebook(self.folder)
        try:
            while not self.stop.is_set():
                try:
                    n = refresh_index(cb, max_batches=5)
                except sqlite3.OperationalError:  # the casebook stayed busy: next round
                    n = 0
                if n and self.report:
                    self.report(n)
                if n:
                    continue  # more may be waiting
                self.first_pass.set()
                self.stop.wait(self.every_s)
        finally:
            cb.close()


def serve(
    casebook: str | Path,
    options: ServeOptions,
    *,
    on_ready: Callable[[str], None] | None = None,
    on_index: Callable[[int], None] | None = None,
) -> None:
    """Serve until interrupted."""
    import waitress

    if not (1 <= options.port <= 65535):
        raise WebError(f"--port {options.port}: not a port number")
    hosts = () if options.host in ("0.0.0.0", "::") else (options.host,)
    app = wsgi_app(casebook, index=False, hosts=hosts)
    from reckon.web.config import casebook_folder

    kwargs: dict[str, Any] = {}
    if options.trusted_proxy:
        kwargs.update(
            trusted_proxy=options.trusted_proxy,
            trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"},
        )
    server = waitress.create_server(
        app, host=options.host, port=options.port, threads=options.threads, ident="reckon", **kwargs
    )
    indexer = Indexer(casebook_folder(), options.index_every_s, on_index)
    indexer.start()
    if on_ready:
        on_ready(f"http://{options.host}:{server.effective_port}/")
    try:
        server.run()
    finally:
        indexer.stop.set()
        server.close()
