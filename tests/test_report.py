"""Reports (issue 7) on a hand-built corpus: every format, escaping, JSON-LD expansion."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from kg.model import (
    Analysis, Article, ArticleGraph, Attribution, Citation, Claim, Conflict, Corpus, Entity,
    Flag, Mention, Proposition, Source, Span,
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
