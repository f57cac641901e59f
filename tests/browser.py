"""Headless Debian Chromium for the browser tests (Playwright for Python, never `playwright install`).

Without ``/usr/bin/chromium`` (``make browser-deps``) a browser test skips with how to
enable it, except under ``CI=true`` where it fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def unavailable(reason: str) -> None:
    msg = f"{reason}; run `make browser-deps` (root: apt-get install -y chromium). Never `playwright install`."
    if os.environ.get("CI") == "true":
        pytest.fail(msg)
    pytest.skip(msg)


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched headless Chromium browser, closed on exit."""
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright Python package is missing")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def shots(tmp_path: Path) -> Path:
    """Where screenshots go: ``$KG_TEST_OUTPUT`` if set, else the test's ``tmp_path``."""
    out = Path(os.environ.get("KG_TEST_OUTPUT") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out
