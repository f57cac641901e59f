"""Reports (issue 7) on a hand-built corpus: every format, escaping, JSON-LD expansion."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from kg.model import (
    Analysis,
    Article,
    ArticleGraph,
    Attribution,
    Citation,
    Claim,
    Conflict,
    Corpus,
    Entity,
    Flag,
    Mention,
    Proposition,
    Source,
    Span,
)
from kg.report import write_report

FT = Source("src-ft", "Financial Times", "publication")
OFFICIALS = Source("src-officials", "US officials", "official")
AGENCY = Source("src-wire", "Wire Agency", "publication")
SPOKES = Source("src-spokes", "An Anthropic spokesperson", "person")
ANON = Source("src-anon", "people familiar with the matter", "anonymous")

TEXT_A = ("Anthropic safety warnings may lead to export bans\n"
          "According to the Financial Times, US officials are actively considering export "
          "restrictions on advanced AI models. The catalyst? Safety warnings raised by Anthropic.")
TEXT_B = ("Anthropic faces US export ban\n"
          "The US government has imposed an export ban on Anthropic's AI models due to national "
          "security vulnerabilities, marking an escalation in regulatory scrutiny.")
TEXT_C = ("Anthropic calls the order a misunderstanding\n"
          "An Anthropic spokesperson said the company only received verbal evidence of a potential "
          "narrow, non-universal jailbreak. People familiar with the matter say the ban could be "
          "lifted within weeks.")

Q_A = "US officials are actively considering export restrictions on advanced AI models"
Q_B = "The US government has imposed an export ban on Anthropic's AI models"
Q_C1 = "the company only received verbal evidence of a potential narrow, non-universal jailbreak"
Q_C2 = "the ban could be lifted within weeks"


def span(aid: str, text: str, piece: str) -> Span:
    s = text.index(piece)
    return Span(aid, s, s + len(piece), piece)


def claim(aid: str, text: str, quote: str, **kw: Any) -> Claim:
    s = text.index(quote)
    return Claim(Claim.make_id(aid, s, s + len(quote)), aid, s, s + len(quote), quote, 1, **kw)


def make_corpus() -> Corpus:
    """Three articles: a status conflict (considered vs enacted), flags, a citation chain."""
    a = Article("art-a", TEXT_A, "seeds/a.txt", title="Anthropic safety warnings may lead to export bans",
                url="https://example.org/a", publisher="Example Daily", published="2026-05-01")
    b = Article("art-b", TEXT_B, "seeds/b.txt", title="Anthropic faces US export ban",
                url="javascript:alert(1)", published="2026-05-03")
    c = Article("art-c", TEXT_C, "/abs/c.txt", title="Anthropic calls the order a misunderstanding")
    ca = claim("art-a", TEXT_A, Q_A, certainty="reported", event_status="considered",
               certainty_cue=span("art-a", TEXT_A, "According to"),
               event_cue=span("art-a", TEXT_A, "considering"),
               attribution=Attribution("src-officials", span("art-a", TEXT_A, "According to"), "src-ft"),
               mentions=(Mention("art-a", TEXT_A.index("advanced"), TEXT_A.index("advanced") + 8,
                                 "advanced", "other"),))
    cb = claim("art-b", TEXT_B, Q_B, certainty="asserted", event_status="enacted",
               event_cue=span("art-b", TEXT_B, "has imposed"))
    cc1 = claim("art-c", TEXT_C, Q_C1, certainty="reported",
                attribution=Attribution("src-spokes", span("art-c", TEXT_C, "said")))
    cc2 = claim("art-c", TEXT_C, Q_C2, certainty="speculative", event_status="lifted",
                certainty_cue=span("art-c", TEXT_C, "could"),
                attribution=Attribution("src-anon", span("art-c", TEXT_C, "say")))
    ga = ArticleGraph(a, [ca], [FT, OFFICIALS, AGENCY],
                      [Citation("art-a", "src-ft", span("art-a", TEXT_A, "According to the Financial Times"))],
                      [("src-ft", "src-wire")])
    gb = ArticleGraph(b, [cb], [])
    gc = ArticleGraph(c, [cc1, cc2], [SPOKES, ANON])
    anth = Entity("ent-anthropic", "Anthropic", "org", aliases=("Anthropic PBC",),
                  mentions=(Mention("art-b", TEXT_B.index("Anthropic's"), TEXT_B.index("Anthropic's") + 9,
                                    "Anthropic", "org", "ent-anthropic"),))
    p_ban = Proposition("prop-ban", "export-ban|anthropic", "US export ban on Anthropic's AI models",
                        (ca.id, cb.id), "same event type and target", origins=("src-wire", "art-b"))
    p_quiet = Proposition("prop-quiet", "x", "An uncontested proposition", (cc1.id,), "single claim",
                          origins=("src-spokes",))
    conflict = Conflict("conf-1", ca.id, cb.id, "status", "status-considered-vs-enacted",
                        "One article reports the ban as under consideration; the other says it was imposed.")
    flags = [
        Flag("flag-1", cb.id, "unsupported", "unsupported-assertion",
             "States an enacted ban with no attribution and no cited source.",
             (span("art-b", TEXT_B, "has imposed"),)),
        Flag("flag-2", cc2.id, "anonymous", "anonymous-source",
             "Attributed only to unnamed people.", (span("art-c", TEXT_C, "People familiar with the matter"),)),
    ]
    return Corpus([ga, gb, gc], Analysis([anth], [p_ban, p_quiet], [conflict], flags))


def test_fixture_spans_are_exact() -> None:
    corpus = make_corpus()
    for c in corpus.claims():
        assert corpus.article(c.article).text[c.start:c.end] == c.text


# --- helpers ---------------------------------------------------------------------------------

class Tags(HTMLParser):
    """Every start tag with its attributes, every id, and the text inside <script>/<mark>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.marks: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "mark"):
            self._in = tag
            (self.scripts if tag == "script" else self.marks).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "mark":
            self.marks[-1] += data

    def ids(self) -> list[str]:
        return [a["id"] or "" for _, a in self.tags if "id" in a]


def parse(html: str) -> Tags:
    t = Tags()
    t.feed(html)
    t.close()
    return t


def assert_safe_html(page: Tags) -> None:
    """No executable script, no event handler, no unsafe link, no external resource."""
    for tag, attrs in page.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        if tag == "script":
            assert attrs.get("type") == "application/ld+json", attrs
        assert tag not in ("iframe", "img", "object", "embed", "link", "base", "form", "a") or tag == "a", tag
        for k in ("href", "src", "xlink:href", "action"):
            v = (attrs.get(k) or "").strip().lower()
            if v:
                assert v.startswith(("#", "http:", "https:", "mailto:", "url(#")), (tag, k, v)
        if tag in ("line", "marker", "path") and attrs.get("marker-end"):
            assert attrs["marker-end"].startswith("url(#arrow-")


def ids_of(corpus: Corpus) -> dict[str, str]:
    return {c.text: c.id for c in corpus.claims()}


# --- selection -------------------------------------------------------------------------------

def test_select_reports_contested_and_flagged_only() -> None:
    from kg.report.select import build

    corpus = make_corpus()
    ids = ids_of(corpus)
    report = build(corpus)
    assert [i.id for i in report.items] == ["prop-ban", ids[Q_C2]]
    ban, anon = report.items
    assert [v.claim.id for v in ban.claims] == [ids[Q_A], ids[Q_B]]
    assert ban.evidence[0].startswith("contested")
    assert "2 independent origins stand behind these accounts" in ban.evidence
    assert ban.rating == "Conflicting reports (machine-flagged, unreviewed)"
    assert anon.rating == "Anonymous source (machine-flagged, unreviewed)"
    assert report.summary == {"articles": 3, "claims": 4, "propositions": 2, "conflicts": 1,
                              "flags": 2, "reported": 2}
    for item in report.items:  # never a truth verdict
        for text in (*item.evidence, item.rating):
            assert not any(w in text.lower() for w in ("true", "false", "misleading", "verdict"))


def test_attribution_chain_follows_via_and_cites() -> None:
    from kg.report.select import build

    view = build(make_corpus()).items[0].claims[0]
    assert [s.name for s in view.chain] == ["US officials", "Financial Times", "Wire Agency"]
    assert not view.circular
    assert view.attribution_label.startswith("US officials (official) → via Financial Times")
    assert view.certainty_label == 'reported (cue: "According to")'
    assert view.before.endswith("According to the Financial Times, ")
    assert view.quote == Q_A


def test_circular_chain_is_said() -> None:
    from kg.report.select import build

    corpus = make_corpus()
    corpus.articles[0].cites.append(("src-wire", "src-officials"))
    view = build(corpus).items[0].claims[0]
    assert view.circular and "circular" in view.attribution_label


def test_confirmed_and_rejected_conflicts() -> None:
    import dataclasses

    from kg.report.select import build

    corpus = make_corpus()
    k = corpus.analysis.conflicts[0]
    corpus.analysis.conflicts[0] = dataclasses.replace(k, review="confirmed")
    assert build(corpus).items[0].rating == "Conflicting reports (reviewer-confirmed conflict)"
    corpus.analysis.conflicts[0] = dataclasses.replace(k, review="rejected")
    ban = next(i for i in build(corpus).items if i.id == "prop-ban")
    assert not ban.conflicts and ban.rating == "Unsupported (machine-flagged, unreviewed)"


def test_proposition_and_entity_filters() -> None:
    from kg.errors import KGError
    from kg.report.select import build

    corpus = make_corpus()
    assert [i.id for i in build(corpus, proposition="prop-quiet").items] == ["prop-quiet"]
    assert [i.id for i in build(corpus, proposition="prop-b").items] == ["prop-ban"]  # prefix
    assert [i.id for i in build(corpus, entity="anthropic pbc").items] == ["prop-ban"]
    with pytest.raises(KGError, match="E207"):
        build(corpus, proposition="prop-")  # ambiguous prefix
    with pytest.raises(KGError, match="E207"):
        build(corpus, proposition="nope")
    with pytest.raises(KGError, match="E207"):
        build(corpus, entity="OpenAI")


def test_nothing_to_report() -> None:
    from kg.report import render

    corpus = make_corpus()
    corpus.analysis.conflicts.clear()
    corpus.analysis.flags.clear()
    html = render(corpus, "html", Path("out"))
    assert "Nothing is contested or flagged" in html
    assert json.loads(render(corpus, "jsonld", Path("out"))) == []
    assert render(corpus, "csv", Path("out")).count("\n") == 1


# --- HTML ------------------------------------------------------------------------------------

def test_html_report(tmp_path: Path) -> None:
    corpus = make_corpus()
    ids = ids_of(corpus)
    paths = write_report(corpus, "html", tmp_path / "out")
    assert paths == [tmp_path / "out" / "report.html"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.html"]  # no temp left
    mask = os.umask(0)
    os.umask(mask)
    assert paths[0].stat().st_mode & 0o777 == 0o666 & ~mask  # as any new file, not mkstemp's 0600
    html = paths[0].read_text(encoding="utf-8")
    page = parse(html)
    assert_safe_html(page)
    page_ids = page.ids()
    assert len(page_ids) == len(set(page_ids))
    for q in (Q_A, Q_B, Q_C2):
        assert f"claim-{ids[q]}" in page_ids
        assert q in page.marks
    assert f"claim-{ids[Q_C1]}" not in page_ids  # uncontested, unflagged: not reported
    assert "item-prop-ban" in page_ids
    assert "One article reports the ban as under consideration; the other says it was imposed." in html
    assert "rule status-considered-vs-enacted" in html and "rule unsupported-assertion" in html
    assert "machine-found, unreviewed" in html
    assert "[84, 163)" in html and "seeds/a.txt" in html
    assert 'href="https://example.org/a"' in html
    assert 'href="javascript:' not in html and "javascript:alert(1)" in html  # shown as text
    assert "@media print" in html and "Content-Security-Policy" in html
    assert "<svg" in html and 'class="conflict"' in html and "#c62828" in html
    (ld,) = page.scripts
    data = json.loads(ld)
    assert [d["identifier"] for d in data] == ["prop-ban", ids[Q_C2]]
    assert not any(a.get("rel") == "stylesheet" for t, a in page.tags if t == "link")


def test_provenance_picture_uses_networkx_layout() -> None:
    from kg.report.picture import provenance_graph, svg
    from kg.report.select import build

    corpus = make_corpus()
    ids = ids_of(corpus)
    item = build(corpus).items[0]
    g = provenance_graph(item)
    assert g.has_edge(f"c:{ids[Q_A]}", "s:src-officials")
    assert g.has_edge("s:src-officials", "s:src-ft") and g.has_edge("s:src-ft", "s:src-wire")
    assert g.edges[f"c:{ids[Q_A]}", f"c:{ids[Q_B]}"]["kind"] == "conflict"
    assert g.nodes["s:src-wire"]["kind"] == "origin"  # counted independent origin
    pic = str(svg(item))
    assert pic.startswith("<svg") and pic.count("<g class=\"node") == g.number_of_nodes()
    assert "status conflict ×1" in pic and "claim in conflict" in pic


HOSTILE = ('<script>alert("x")</script> Officials said <img src=x onerror="alert(1)"> the ban '
           'is final <a href="javascript:alert(2)">read</a> & more. ')


def hostile_corpus() -> Corpus:
    big = "buffalo" * (100_000 // 7)  # ~100 KB of one word
    text = HOSTILE + big + " end."
    aid = "art-evil"
    art = Article(aid, text, "evil/<script>.txt", title='<script>alert("t")</script><b onmouseover=x>T</b>',
                  url="javascript:alert(3)", publisher="<img src=x onerror=alert(4)>")
    evil_src = Source("src-evil", '<svg onload=alert(5)>"Insider"', "anonymous")
    c1 = claim(aid, text, '<img src=x onerror="alert(1)"> the ban is final',
               attribution=Attribution("src-evil"))
    c2 = claim(aid, text, big)
    g = ArticleGraph(art, [c1, c2], [evil_src], [], [("src-evil", "src-evil2")])
    base = make_corpus()
    base.articles.append(g)
    base.analysis.flags.append(Flag("flag-evil", c1.id, "anonymous", "<script>rule</script>",
                                    '<a href="javascript:alert(6)">why</a>', (span(aid, text, "<script>"),)))
    base.analysis.flags.append(Flag("flag-big", c2.id, "unsupported", "r", "big"))
    base.analysis.conflicts.append(Conflict("conf-evil", c1.id, base.claims()[1].id, "status",
                                            "r<script>", "<script>alert(7)</script>"))
    return base


def test_hostile_article_renders_as_text(tmp_path: Path) -> None:
    from kg.report import render

    corpus = hostile_corpus()
    html = render(corpus, "html", tmp_path)
    page = parse(html)
    assert_safe_html(page)
    assert "<script>alert" not in html and "<img" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert" in html
    assert '<img src=x onerror="alert(1)"> the ban is final' in page.marks  # the text, shown as text
    assert any(len(m) > 99_000 for m in page.marks)  # the 100 KB word, whole, in its <mark>
    assert len(html) < 600_000  # context is clipped: the big word is not repeated around other quotes
    assert page.scripts and all("</script" not in s.lower() for s in page.scripts)
    json.loads(page.scripts[0])
    md = render(corpus, "md", tmp_path)
    assert not re.search(r"(?<!\\)(?<!\]\()<", md), "every < from an article is backslash-escaped"
    assert "](javascript" not in md and "\\<script\\>rule\\</script\\>" in md
    assert "\\<img src=x onerror=\"alert(1)\"\\> the ban is final" in md
    rows = list(csv.reader(io.StringIO(render(corpus, "csv", tmp_path))))
    assert any(r[5].startswith("<img") for r in rows)
    ld = json.loads(render(corpus, "jsonld", tmp_path))
    urls = [a["url"] for d in ld for a in d["itemReviewed"]["appearance"]]
    assert not any(u.lower().startswith("javascript") for u in urls)


# --- JSON-LD ---------------------------------------------------------------------------------

SCHEMA_CONTEXT = {"@context": {
    "@vocab": "http://schema.org/", "schema": "http://schema.org/",
    "id": "@id", "type": "@type",
    "url": {"@id": "schema:url", "@type": "@id"},
    "sameAs": {"@id": "schema:sameAs", "@type": "@id"},
}}


def local_loader(url: str, options: Any = None) -> dict[str, Any]:
    """Serve schema.org's context from memory; any other fetch is a test failure."""
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}
    raise AssertionError(f"JSON-LD processing tried to fetch {url}")


S = "http://schema.org/"


def _values(node: dict[str, Any], prop: str) -> list[Any]:
    return [v.get("@value", v) for v in node.get(S + prop, [])]


def test_jsonld_claim_reviews_expand_offline(tmp_path: Path) -> None:
    from pyld import jsonld

    corpus = make_corpus()
    by_id = {c.id: c for c in corpus.claims()}
    (path,) = write_report(corpus, "jsonld", tmp_path, base_url="https://news.example/kg/report.html")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert {d["@context"] for d in doc} == {"https://schema.org"}
    expanded = jsonld.expand(doc, {"documentLoader": local_loader})
    reviews = [n for n in expanded if S + "ClaimReview" in n.get("@type", [])]
    assert len(reviews) == 2  # one per reported item
    ban = next(r for r in reviews if _values(r, "identifier") == ["prop-ban"])
    assert ban[S + "url"] == [{"@id": "https://news.example/kg/report.html#item-prop-ban"}]
    assert _values(ban, "claimReviewed") == ["US export ban on Anthropic's AI models"]
    (rating,) = ban[S + "reviewRating"]
    assert _values(rating, "alternateName") == ["Conflicting reports (machine-flagged, unreviewed)"]
    (claim_node,) = ban[S + "itemReviewed"]
    assert claim_node["@type"] == [S + "Claim"]
    apps = claim_node[S + "appearance"]
    assert len(apps) == 2
    for app in apps:
        ident = {_values(p, "propertyID")[0]: _values(p, "value")[0] for p in app[S + "identifier"]}
        c = by_id[ident["kg:claim"]]
        assert (ident["kg:startOffset"], ident["kg:endOffset"]) == (c.start, c.end)
        assert corpus.article(ident["kg:article"]).text[c.start:c.end] == _values(app, "text")[0]
    (first,) = claim_node[S + "firstAppearance"]
    assert _values(first, "datePublished") == ["2026-05-01"]  # earliest dated article
    assert _values(claim_node[S + "author"][0], "name") == ["US officials"]
    body = _values(ban, "reviewBody")[0]
    assert "Evidence, not a verdict" in body and "status conflict" in body
    file_urls = [a["url"] for d in doc for a in d["itemReviewed"]["appearance"] if a["url"].startswith("file:")]
    assert file_urls and all("#char=" in u for u in file_urls)


def test_jsonld_confirmed_label() -> None:
    import dataclasses

    from kg.report import render

    corpus = make_corpus()
    corpus.analysis.conflicts[0] = dataclasses.replace(corpus.analysis.conflicts[0], review="confirmed")
    doc = json.loads(render(corpus, "jsonld", Path("out")))
    assert doc[0]["reviewRating"]["alternateName"] == "Conflicting reports (reviewer-confirmed conflict)"
    assert "machine-flagged, unreviewed" in doc[1]["reviewRating"]["alternateName"]


# --- Markdown and CSV ------------------------------------------------------------------------

def test_markdown_report(tmp_path: Path) -> None:
    (path,) = write_report(make_corpus(), "md", tmp_path)
    text = path.read_text(encoding="utf-8")
    assert path.name == "report.md"
    assert text.startswith("# Contested and flagged claims")
    assert "## 1. US export ban on Anthropic's AI models" in text
    assert f"**{Q_A}**" in text and f"**{Q_B}**" in text
    assert "### Where the accounts conflict" in text and "### Why flagged" in text
    assert "rule `status-considered-vs-enacted`" in text
    assert "[Anthropic safety warnings may lead to export bans](<https://example.org/a>)" in text
    assert "javascript" not in text.split("## 2.")[0].split("Anthropic faces US export ban")[1].split("\n")[0]


def test_csv_report(tmp_path: Path) -> None:
    from kg.report.csvout import COLUMNS, cell

    corpus = make_corpus()
    (path,) = write_report(corpus, "csv", tmp_path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert tuple(rows[0].keys()) == COLUMNS
    assert [r["quote"] for r in rows] == [Q_A, Q_B, Q_C2]
    for r in rows:
        assert corpus.article(r["article"]).text[int(r["start"]):int(r["end"])] == r["quote"]
    a, b, c = rows
    assert a["attribution"].startswith("US officials (official) → via Financial Times")
    assert b["flags"] == "unsupported (unsupported-assertion)"
    assert "status with" in a["conflicts"] and "machine-found, unreviewed" in a["conflicts"]
    assert c["certainty"] == 'speculative (cue: "could")' and c["flags"].startswith("anonymous")
    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and cell("plain") == "plain"


def test_write_failure_is_a_clean_error(tmp_path: Path) -> None:
    from kg.errors import StoreError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="E307"):
        write_report(make_corpus(), "html", blocker / "sub")


def test_unknown_format() -> None:
    from kg.errors import KGError

    with pytest.raises(KGError, match="E207"):
        write_report(make_corpus(), "pdf", Path("out"))


# --- CLI and the seeds -----------------------------------------------------------------------

def test_cli_report_all_formats(seed_store: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli.main import app

    runner = CliRunner()
    for fmt, name in (("html", "report.html"), ("md", "report.md"), ("jsonld", "report.jsonld"),
                      ("csv", "report.csv")):
        res = runner.invoke(app, ["report", "--store", str(seed_store), "--format", fmt,
                                  "--out", str(tmp_path)])
        assert res.exit_code == 0, res.output
        assert res.output.strip().splitlines() == [str(tmp_path / name)]
        assert (tmp_path / name).stat().st_size > 0
    res = runner.invoke(app, ["report", "--store", str(seed_store), "--proposition", "no-such-id",
                              "--out", str(tmp_path)])
    assert res.exit_code == 2 and "E207" in res.output
    res = runner.invoke(app, ["report", "--store", str(tmp_path / "none"), "--out", str(tmp_path)])
    assert res.exit_code == 3 and "E302" in res.output


def test_seed_report_is_safe_and_complete(seed_corpus: Corpus, tmp_path: Path) -> None:
    from kg.report import render
    from kg.report.select import build

    report = build(seed_corpus)
    html = render(seed_corpus, "html", tmp_path)
    page = parse(html)
    assert_safe_html(page)
    assert len(page.ids()) == len(set(page.ids()))
    for item in report.items:
        for v in item.claims:
            assert seed_corpus.article(v.claim.article).text[v.claim.start:v.claim.end] == v.quote
            assert f'href="#claim-{v.claim.id}"' in html
    assert len(json.loads(render(seed_corpus, "jsonld", tmp_path))) == len(report.items)


def test_proposition_without_claims_renders() -> None:
    from kg.report import render

    corpus = make_corpus()
    corpus.analysis.propositions.append(Proposition("prop-empty", "k", "Empty", (), "none"))
    for fmt in ("html", "md", "csv"):
        assert render(corpus, fmt, Path("out"), proposition="prop-empty")
    (doc,) = json.loads(render(corpus, "jsonld", Path("out"), proposition="prop-empty"))
    assert doc["itemReviewed"]["appearance"] == [] and "firstAppearance" not in doc["itemReviewed"]
