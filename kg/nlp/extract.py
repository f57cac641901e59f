"""Claims from parsed articles: exact spans, frames, attribution, certainty, mentions.

``extract(raw, docs)`` turns one article and the parses of its body pieces into an
``ArticleGraph``. Offsets are doc offsets plus the piece's offset into the article,
so ``article.text[claim.start:claim.end] == claim.text`` by construction (and checked).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kg.ingest import segment
from kg.ingest.read import RawArticle
from kg.model import Article, ArticleGraph, Citation, Claim, Source, Span
from kg.nlp import certainty, clauses, mentions, speakers
from kg.nlp.attributor import Attributor, renamed_in
from kg.nlp.parse import Piece, chunks

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan


def prepare(raw: RawArticle) -> tuple[Article, list[Piece], list[segment.Block]]:
    """The article record and the body pieces to parse."""
    blocks = segment.segment(raw.text)
    article = Article(
        id=raw.id, text=raw.text, source=raw.source,
        title=raw.title or segment.title_of(raw.text, blocks),
        url=raw.url, publisher=raw.publisher, published=raw.published,
        body=segment.body_ranges(blocks),
    )
    return article, list(chunks_of(article)), blocks


def chunks_of(article: Article) -> Iterator[Piece]:
    """The body pieces of ``article`` to parse, in order."""
    for s, e in article.body:
        yield from chunks(article.id, article.text, s, e)


def _block_citations(article: Article, blocks: list[segment.Block]) -> Iterator[tuple[Source, Citation]]:
    for b in blocks:
        if b.kind == "citation" and b.name:
            name = article.text[b.name[0]:b.name[1]].strip().rstrip(".")
            src = speakers.source_for(name, "publication")
            cue = Span(article.id, b.start, b.end, article.text[b.start:b.end])
            yield src, Citation(article.id, src.id, cue)


def extract(article: Article, blocks: list[segment.Block],
            parsed: Iterable[tuple[Piece, Doc]]) -> ArticleGraph:
    graph = ArticleGraph(article=article)
    attributor = Attributor(article)
    parsed = list(parsed)
    names = mentions.ArticleNames(doc for _, doc in parsed)
    sentence = 0
    for piece, doc in parsed:
        for sent in doc.sents:
            sentence += 1
            if not clauses.is_checkworthy(sent):
                attributor.observe(sent, piece.offset)
                continue
            for clause in clauses.split(sent):
                graph.claims.append(_claim(article, piece.offset, sentence, sent, clause, attributor,
                                           names))
    for src, cite in _block_citations(article, blocks):
        attributor.add_source(src)
        graph.citations.append(cite)
    graph.sources = list(attributor.sources.values())
    graph.citations.extend(attributor.citations)
    graph.cites = sorted(attributor.cites)
    if attributor.renamed:  # a name's final kind: point everything at its one source
        _rename(graph, attributor.renamed)
    return graph


def _claim(article: Article, offset: int, sentence: int, sent: SpacySpan, clause: SpacySpan,
           attributor: Attributor, names: mentions.ArticleNames | None = None) -> Claim:
    start = clause.start_char + offset
    end = clause.end_char + offset
    text = article.text[start:end]
    if text != clause.text:
        raise AssertionError(f"span drift in {article.source} at {start}:{end}")
    attr = attributor.attribute(sent, clause, offset)
    reading = certainty.read(sent, clause, article.id, offset, attributed=attr is not None)
    frame = clauses.frame(clause)
    if reading.event_type:
        frame = dataclasses.replace(frame, event_type=reading.event_type)
    return Claim(
        id=Claim.make_id(article.id, start, end), article=article.id, start=start, end=end,
        text=text, sentence=sentence, frame=frame,
        certainty=reading.certainty, certainty_cue=reading.certainty_cue,
        event_status=reading.event_status, event_cue=reading.event_cue,
        polarity=reading.polarity, attribution=attr,
        mentions=mentions.find(clause, article.id, offset, names),
    )


def _rename(graph: ArticleGraph, renamed: dict[str, str]) -> None:
    """Point the article's attributions, citations and cites at the sources ``renamed``."""
    def new(sid: str) -> str:
        return renamed.get(sid, sid)

    graph.claims = [c if c.attribution is None else
                    dataclasses.replace(c, attribution=renamed_in(c.attribution, renamed))
                    for c in graph.claims]
    graph.citations = [dataclasses.replace(c, source=new(c.source)) for c in graph.citations]
    graph.cites = sorted({(new(a), new(b)) for a, b in graph.cites if new(a) != new(b)})
