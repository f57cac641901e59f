"""The labelled dev set stays usable: every labelled claim is extracted as one claim."""

from __future__ import annotations

import tomllib

from kg.model import Corpus
from tools.evaluate import CORPORA, LABELS, _claim, build_corpus


def test_every_labelled_claim_is_extracted(seed_corpus: Corpus) -> None:
    labels = tomllib.loads(LABELS.read_text(encoding="utf-8"))
    corpora = {"seeds": seed_corpus, "second": build_corpus(CORPORA["second"])}
    for lab in labels["claim"]:
        assert _claim(corpora[lab["corpus"]], lab["file"], lab["text"]) is not None, lab["text"]


def test_second_corpus_spans_are_exact() -> None:
    corpus = build_corpus(CORPORA["second"])
    assert len(corpus.articles) == 4
    for g in corpus.articles:
        for c in g.claims:
            assert g.article.text[c.start:c.end] == c.text
