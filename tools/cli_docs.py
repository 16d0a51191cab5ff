"""Write docs/cli.md, the command reference, from the CLI's own definitions.

Run ``.venv/bin/python tools/cli_docs.py`` after changing a command; the test
``tests/test_docs.py`` fails when the file is out of date, so no command goes
undocumented.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "cli.md"


def _is_group(cmd: Any) -> bool:
    return hasattr(cmd, "list_commands")


def commands(group: Any, prefix: str) -> list[tuple[str, Any]]:
    """Every (sub)command under ``group`` as ("reckon sub cmd", command), depth first."""
    out: list[tuple[str, Any]] = []
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is None or cmd.hidden:
            continue
        path = f"{prefix} {name}"
        out.append((path, cmd))
        if _is_group(cmd):
            out.extend(commands(cmd, path))
    return out


def _param_line(p: Any) -> str:
    if p.param_type_name == "argument":
        req = "" if p.required else " (optional)"
        return f"- `{(p.metavar or p.name).upper()}`{req}"
    names = ", ".join(f"`{o}`" for o in [*p.opts, *p.secondary_opts])
    help_text = " ".join((p.help or "").split())
    return f"- {names}: {help_text}".rstrip(": ").rstrip()


def render() -> str:
    from reckon.cli.main import app

    root = typer.main.get_command(app)
    lines = [
        "# Command reference",
        "",
        "Generated from the CLI by `tools/cli_docs.py`; `tests/test_docs.py` keeps it current.",
        "Every command also prints this with `--help`.",
        "",
    ]
    for path, cmd in commands(root, "reckon"):
        lines.append(f"## `{path}`")
        lines.append("")
        doc = (cmd.help or "").strip()
        if doc:
            lines.append("\n".join(line.rstrip() for line in doc.splitlines()))
            lines.append("")
        params = [p for p in cmd.params if p.name not in ("help",)]
        if params and not _is_group(cmd):
            lines.extend(_param_line(p) for p in params)
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
