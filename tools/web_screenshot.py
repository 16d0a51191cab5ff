"""Take the README's screenshot of the web app's review queue with headless Chromium.

Copies a casebook (the demo's by default), adds a reviewer, serves it on a loopback port and
saves a PNG of /review. Needs Debian's chromium and Playwright (the test extra).

    .venv/bin/python tools/web_screenshot.py --casebook reckon-demo/casebook --out docs/web-review.png
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from web_support import PASSWORD, Server, add_users  # noqa: E402

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--casebook", default="reckon-demo/casebook")
    ap.add_argument("--out", default="docs/web-review.png")
    ap.add_argument("--page", default="/review")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="reckon-shot-"))
    folder = work / "casebook"
    folder.mkdir()
    for name in ("reckon.sqlite", "reckon.toml"):
        shutil.copy2(Path(args.casebook) / name, folder / name)
    add_users(folder, {"maria": "reviewer"})
    srv = Server(folder, work / "server.log")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 680})
            page.goto(srv.url + "/login")
            page.fill("#username", "maria")
            page.fill("#password", PASSWORD)
            with page.expect_navigation():
                page.click("button[type=submit]")
            page.goto(srv.url + args.page)
            page.screenshot(path=args.out, full_page=False)
            browser.close()
    finally:
        srv.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
