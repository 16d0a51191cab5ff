"""`reckon --help` loads no stage: the command modules import their stage when a command runs.

This checks what is imported, not how long it takes (docs/benchmarks.md has the time).
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "numpy", "scipy", "splink", "duckdb", "pymorphy3", "faker", "pyarrow")
HEAVY += ("pyspark", "django", "waitress")
STAGES = ("reckon.ingest", "reckon.names", "reckon.link", "reckon.estimate", "reckon.claims")
STAGES += ("reckon.excess", "reckon.report", "reckon.synth", "reckon.web")

PROBE = """
import json, sys
from reckon.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _loaded(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _stages(modules: set[str]) -> list[str]:
    # reckon.demo may load: it imports its stages only when the demo runs
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m.startswith(STAGES))


def test_help_imports_no_stage() -> None:
    loaded = _loaded("--help")
    assert "reckon.cli.claims" in loaded and "reckon.cli.report" in loaded  # every command module
    assert _stages(loaded) == []


def test_a_command_help_imports_no_stage_either() -> None:
    assert _stages(_loaded("claims", "export", "--help")) == []
