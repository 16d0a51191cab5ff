"""``reckon serve`` and ``reckon user add|list|disable``: the team web app."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from reckon.cli._common import CasebookOpt, JsonOpt, casebook, console, done, emit, err_console
from reckon.errors import WebError

user_app = typer.Typer(help="Users of the web app: add, list, disable.", no_args_is_help=True)
PASSWORD_ENV = "RECKON_PASSWORD"


def serve(
    cb_path: CasebookOpt = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (0.0.0.0 = every network).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    threads: Annotated[int, typer.Option("--threads", help="Worker threads.")] = 8,
    trusted_proxy: Annotated[
        str | None,
        typer.Option(
            "--trusted-proxy",
            help="Address of a reverse proxy whose X-Forwarded-For/-Proto headers are believed.",
        ),
    ] = None,
) -> None:
    """Serve the casebook to a team: review, people, sources, search, intake, audit log.

    Sign in with a user made by `reckon user add`. Listens on 127.0.0.1 unless --host says
    otherwise; for a team, put it behind a reverse proxy with HTTPS (docs/web.md).

    Example: reckon serve -C reckon-demo/casebook --port 8000
    """
    from reckon.store import find_casebook
    from reckon.web.server import ServeOptions
    from reckon.web.server import serve as run

    folder = find_casebook(cb_path)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(
            f"[bold yellow]Warning:[/] listening on {host}: anyone who can reach this machine "
            "can reach the sign-in page. Serve a team only behind a reverse proxy with HTTPS "
            "(docs/web.md); in reckon.toml, [web] allowed_hosts must name the host names "
            "people use, and secure_cookies = true behind HTTPS.",
            highlight=False,
        )

    def ready(url: str) -> None:
        console.print(f"reckon serves {folder} at {url}  (Ctrl-C stops)", highlight=False)

    def indexed(n: int) -> None:
        if n > 0:
            err_console.print(f"[dim]name search: {n:,} records indexed[/]", highlight=False)

    try:
        run(
            folder,
            ServeOptions(host=host, port=port, threads=threads, trusted_proxy=trusted_proxy),
            on_ready=ready,
            on_index=indexed,
        )
    except KeyboardInterrupt:
        console.print("stopped")
    except OSError as exc:
        raise WebError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="another program may use that port: try --port 8001",
        ) from None


def _password(name: str) -> str:
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    first = typer.prompt(f"Password for {name}", hide_input=True)
    second = typer.prompt("Repeat it", hide_input=True)
    if first != second:
        raise WebError("the two passwords differ", hint="run the command again")
    return str(first)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name (one word).")],
    role: Annotated[
        str, typer.Option("--role", help="admin, reviewer, intake or viewer (docs/web.md).")
    ],
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a user of the web app with one role; the password is asked (or read from RECKON_PASSWORD).

    Example: RECKON_PASSWORD=... reckon user add maria --role reviewer -C casebook
    """
    from reckon.web import setup
    from reckon.web.roles import ROLES
    from reckon.web.users import add_user

    if role.strip().lower() not in ROLES:
        raise WebError(f"unknown role {role!r}", hint=f"use one of: {', '.join(ROLES)}")
    with casebook(cb_path) as cb:
        setup(cb.path)
        info = add_user(cb, name, role, _password(name), actor=f"cli:{_login()}")
    done(info, as_json, f"added {info.name} ({info.role})")


@user_app.command("list")
def user_list(cb_path: CasebookOpt = None, as_json: JsonOpt = False) -> None:
    """List the web app's users with their role and last sign-in.

    Example: reckon user list -C casebook
    """
    from reckon.web import setup
    from reckon.web.users import list_users

    with casebook(cb_path) as cb:
        setup(cb.path)
        rows = [u.to_dict() for u in list_users(cb)]
    emit(rows, as_json, ["name", "role", "active", "joined", "last_login"], title="Users")


@user_app.command("disable")
def user_disable(
    name: Annotated[str, typer.Argument(help="User name.")],
    cb_path: CasebookOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Disable a user: sign-in refused from now on and open sessions ended (kept for the audit log).

    Example: reckon user disable maria -C casebook
    """
    from reckon.web import setup
    from reckon.web.users import disable_user

    with casebook(cb_path) as cb:
        setup(cb.path)
        info = disable_user(cb, name, actor=f"cli:{_login()}")
    done(info, as_json, f"disabled {info.name}")


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "?"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(user_app, name="user")
