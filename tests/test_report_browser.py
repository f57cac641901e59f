"""The HTML report in headless Debian Chromium (Playwright for Python, never `playwright install`).

Enable: ``make browser-deps`` (as root it runs ``apt-get install -y chromium``). Without
``/usr/bin/chromium`` these tests skip, except under ``CI=true`` where they fail.
Screenshots go to ``$KG_TEST_OUTPUT`` if set, else the test's ``tmp_path``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.model import Corpus
from tests.browser import chromium, shots

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


class Watch:
    """Open ``path`` and record every request, console error, page error and dialog."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 1000})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.goto(self.url, wait_until="load")
        self.page.wait_for_timeout(300)

    def assert_quiet(self) -> None:
        assert self.requests == [self.url], self.requests  # nothing leaves the page
        assert self.errors == [], self.errors


def check_conflict_section(w: Watch, section_id: str, quotes: list[str]) -> None:
    section = w.page.locator(f"section#{section_id}")
    assert section.is_visible()
    assert section.locator("h3", has_text="Where the accounts conflict").is_visible()
    assert section.locator("ul.conflicts li .kind", has_text="status conflict").first.is_visible()
    for q in quotes:
        mark = section.locator("mark").filter(has_text=q[:60]).first
        mark.scroll_into_view_if_needed()
        assert mark.is_visible(), q
    assert section.locator("svg.provenance path.conflict").count() >= 1


def test_fixture_report_in_chromium(browser: Any, tmp_path: Path) -> None:
    from kg.report import write_report
    from tests.test_report import Q_A, Q_B, make_corpus

    (path,) = write_report(make_corpus(), "html", tmp_path / "report")
    w = Watch(browser, path)
    check_conflict_section(w, "item-prop-ban", [Q_A, Q_B])
    w.page.screenshot(path=str(shots(tmp_path) / "report-fixture.png"), full_page=True)
    w.page.emulate_media(media="print")
    assert not w.page.locator("nav").is_visible()  # @media print applies
    w.assert_quiet()
    w.page.close()


def test_hostile_report_in_chromium(browser: Any, tmp_path: Path) -> None:
    from kg.report import write_report
    from tests.test_report import hostile_corpus

    (path,) = write_report(hostile_corpus(), "html", tmp_path / "report")
    w = Watch(browser, path)
    assert w.page.locator("h1").is_visible()
    assert w.page.evaluate("document.querySelectorAll('script:not([type=\"application/ld+json\"])').length") == 0
    assert w.page.evaluate("document.querySelectorAll('img, iframe, a[href^=\"javascript\"]').length") == 0
    assert w.page.locator("mark", has_text='onerror="alert(1)"').first.is_visible()
    w.page.screenshot(path=str(shots(tmp_path) / "report-hostile.png"))
    w.assert_quiet()
    w.page.close()


def test_seed_report_ban_status_conflict(browser: Any, seed_corpus: Corpus, tmp_path: Path) -> None:
    from kg.report import write_report
    from kg.report.select import build

    by_id = {c.id: c for c in seed_corpus.claims()}
    report = build(seed_corpus)
    found = [(item, k) for item in report.items for k in item.conflicts
             if k.kind == "status" and any("export ban" in by_id[x].text for x in (k.claim_a, k.claim_b))]
    if not found:
        pytest.fail("the seed analysis has no status conflict about the export ban "
                    "(seed 003 says it was imposed, seed 000 that it is considered)")
    item, k = found[0]
    (path,) = write_report(seed_corpus, "html", tmp_path / "report")
    w = Watch(browser, path)
    out = shots(tmp_path)
    w.page.screenshot(path=str(out / "report-seeds-top.png"))  # what a reader sees first
    w.page.screenshot(path=str(out / "report-seeds.png"), full_page=True)
    check_conflict_section(w, f"item-{item.id}", [by_id[k.claim_a].text, by_id[k.claim_b].text])
    w.page.locator(f"section#item-{item.id}").screenshot(path=str(out / "report-seeds-conflict.png"))
    w.assert_quiet()
    w.page.close()
    if os.environ.get("KG_TEST_OUTPUT"):
        shutil.copy(path, out / "report-seeds.html")
