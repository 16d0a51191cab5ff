"""The command reference in docs/cli.md matches the CLI, so every command is documented."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_tool():
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "tools" / "cli_docs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cli_reference_is_current() -> None:
    tool = _load_tool()
    expected = tool.render()
    actual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is stale: run .venv/bin/python tools/cli_docs.py"


def test_every_command_has_help_text() -> None:
    tool = _load_tool()
    import typer

    from reckon.cli.main import app

    root = typer.main.get_command(app)
    missing = [path for path, cmd in tool.commands(root, "reckon") if not (cmd.help or "").strip()]
    assert missing == []


def test_readme_opens_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text[:600]
    assert "make demo" in head and "make test" in head
    assert (
        "make demo" in (ROOT / "Makefile").read_text() or "demo:" in (ROOT / "Makefile").read_text()
    )
    assert "make test" in (ROOT / ".ci" / "run").read_text()
