"""Neo4j Browser, served by the dev server at HTTP_URI/browser/, shows a pushed graph with our style.

Headless Debian Chromium through Playwright for Python (never `playwright install`). Without
``/usr/bin/chromium`` (``make browser-deps``) or without Java + Maven these tests skip, except
under ``CI=true`` where they fail. The screenshot goes to ``$KG_TEST_OUTPUT`` if set, else tmp_path.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import chromium, shots

pytestmark = [pytest.mark.neo4j, pytest.mark.browser, pytest.mark.slow]

RED = "rgb(224, 40, 30)"  # #E0281E in style.grass: Conflict nodes and CONFLICTS_WITH


@pytest.fixture(scope="module")
def server(neo4j_local_build: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A dev server of our own (we need its HTTP URI), holding a small synthetic graph."""
    from kg.graph.pgraph import project
    from kg.neo4j.push import push_corpus
    from kg.store import load_corpus
    from tests.test_equivalence import synthetic_corpus, write_store
    from tools.neo4j_server import start_server

    root = write_store(synthetic_corpus(20, seed=3), tmp_path_factory.mktemp("browser") / ".kg")
    with start_server() as srv:
        push_corpus(project(load_corpus(root)), srv.bolt_uri)
        yield srv


@pytest.fixture(scope="module")
def page(server: Any) -> Iterator[Any]:
    with chromium() as browser:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
        pg = ctx.new_page()
        pg.goto(f"{server.http_uri}/browser/?dbms={server.bolt_uri}&preselectAuthMethod=NO_AUTH",
                wait_until="networkidle")
        pg.get_by_text("Connected to Neo4j").wait_for(timeout=60_000)
        yield pg


def _run(pg: Any, text: str) -> None:
    """Paste ``text`` into the editor (as a user would) and run it."""
    pg.evaluate("t => navigator.clipboard.writeText(t)", text)
    pg.click("[data-testid=activeEditor]")
    pg.keyboard.press("Control+V")
    pg.click("[data-testid=editor-Run]")


def test_browser_styles_and_draws_a_starter_query(page: Any, tmp_path: Path) -> None:
    from kg.resources import resource

    style = resource("neo4j", "style.grass").read_text(encoding="utf-8")
    guide = resource("neo4j", "guide.cypher").read_text(encoding="utf-8")
    starter = next(block for block in guide.split("\n\n") if "CONFLICTS_WITH" in block
                   and block.lstrip().startswith("// 2."))
    _run(page, f":style {style}")
    page.wait_for_timeout(1000)
    _run(page, starter)
    page.locator("svg .relationship").first.wait_for(timeout=60_000)
    page.wait_for_timeout(2000)  # let the force layout settle for the screenshot
    out = shots(tmp_path)
    page.screenshot(path=str(out / "neo4j-browser-conflicts.png"))
    assert page.get_by_text("Something went wrong").count() == 0
    assert page.get_by_text("InvalidGrassError").count() == 0, "Browser refused style.grass"
    legend = page.get_by_text("CONFLICTS_WITH (", exact=False).first
    colour = legend.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == RED, f"CONFLICTS_WITH legend is {colour}, want {RED}"
    assert page.locator("svg .relationship").count() > 0
    assert (out / "neo4j-browser-conflicts.png").stat().st_size > 10_000
