"""Property tests (hypothesis) over decoding, normalisation, segmentation, chunking and the
full extraction: for any text, every range stays inside the text, ranges never overlap,
and claim spans are exact (``text[start:end] == claim.text``)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.ingest import read as ingest
from kg.ingest import segment
from kg.nlp import extract
from kg.nlp import parse as nlp

# pieces that have broken text handling before: quotes, combining marks, RTL and bidi
# controls, emoji sequences, odd white space and line breaks, controls, markdown, lists
SPECIAL = [
    '"', "'", "“", "”", "‘", "’", "«", "»", "„", "{", "}", "\\", "<", ">", "&", "#", "##", "> ",
    "- ", "* ", "• ", "1. ", "β", "\u0301", "\u0308", "\u20dd", "e\u0301", "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627", "\u202e", "\u202c", "\u200f", "\u200d", "🚀", "👍🏽", "👨‍👩‍👧", "🇪🇺",
    "\u00a0", "\u2009", "\u3000", "\t", "\n", "\n\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\x00",
    "\x0b", "\x0c", "\x1b", "\x7f", "\ufeff", "\u200b", "...", "?", "!", ";", ":", "—", "–", "…",
    "Source: Reuters", "Share this article", "English", "According to officials,", "U.S.", "$5m",
    "5.5%", "Mr. Smith", "said", "has imposed", "may ban", "Anthropic", "the agency", "Español",
]
WORDS = ["The", "agency", "fined", "company", "ministry", "ban", "officials", "said", "on", "Monday",
         "OpenAI", "reported", "would", "not", "appeal", "decision", "export", "models", "in", "May"]

texts = st.lists(
    st.one_of(st.sampled_from(SPECIAL), st.sampled_from(WORDS).map(lambda w: w + " "),
              st.text(max_size=8)),
    max_size=120,
).map("".join)


def _check_blocks(text: str, blocks: list[segment.Block]) -> None:
    prev_end = 0
    for b in blocks:
        assert 0 <= prev_end <= b.start < b.end <= len(text), (b, len(text))
        chunk = text[b.start:b.end]
        assert "\n" not in chunk
        assert not chunk[0].isspace() and not chunk[-1].isspace(), repr(chunk)
        if b.name is not None:
            assert b.start <= b.name[0] <= b.name[1] <= b.end
        prev_end = b.end


@settings(max_examples=400, deadline=None)
@given(texts)
@example("e\x00\u0301 café")
@example("\u202eevil\u202c \r\n\r\n  \t")
def test_normalise_segment_ranges(raw: str) -> None:
    text = ingest.normalise(raw)
    assert ingest.normalise(text) == text, "normalise must be idempotent"
    assert "\r" not in text and "\x00" not in text and text == text.strip()
    blocks = segment.segment(text)
    _check_blocks(text, blocks)
    for s, e in segment.body_ranges(blocks):
        assert text[s:e].strip()


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=8, max_value=200))
def test_chunks_tile_the_block(raw: str, size: int) -> None:
    text = ingest.normalise(raw * 3)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nlp, "CHUNK_CHARS", size)
        pieces = list(nlp.chunks("a", text, 0, len(text)))
    pos = 0
    for p in pieces:
        assert p.offset == pos and p.text and len(p.text) <= size
        assert text[p.offset:p.offset + len(p.text)] == p.text
        pos += len(p.text)
    assert pos == len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=300),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_decode_round_trips_every_supported_encoding(text: str, codec: str) -> None:
    text = text.replace("\x00", "")  # a NUL-heavy text is binary by design
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:  # lone surrogates cannot be encoded
        return
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        return
    try:
        assert ingest.decode(data, Path("x.txt")).lstrip("\ufeff") == text.lstrip("\ufeff")
    except InputError as err:  # only "looks binary" for a text made mostly of controls
        assert err.code.name == "E102"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_decode_or_give_a_coded_error(data: bytes) -> None:
    try:
        ingest.decode(data, Path("x.txt"))
    except InputError as err:
        assert err.code.name in ("E102", "E103")
        assert "x.txt" in str(err) and "\n" not in str(err)


sentences = st.lists(
    st.tuples(
        st.sampled_from(["", "According to Reuters, ", "Officials said ", "“", "The minister said that "]),
        st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(SPECIAL[:40])), min_size=1, max_size=25)
        .map(" ".join),
        st.sampled_from([".", "!", "?", "", ".”", ";", "…"]),
        st.integers(min_value=1, max_value=3),  # a sentence repeated: up to very long ones below
    ),
    min_size=1, max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sentences, st.booleans())
def test_full_extract_spans_are_exact(parts: list[tuple[str, str, str, int]], long: bool) -> None:
    body = []
    for lead, words, end, times in parts:
        sentence = lead + words + end
        body.append(" ".join([sentence] * times))
    if long:  # one very long sentence of clauses joined by commas
        body.append("The agency said that " + ", ".join(["the company and its partners"] * 400) + " were fined.")
    text = ingest.normalise("Headline of the day\n\n" + "\n".join(body))
    if not text:
        return
    raw = ingest.RawArticle(id=ingest.article_id(text), text=text, source="fuzz.txt")
    article, pieces, blocks = extract.prepare(raw)
    _check_blocks(text, blocks)
    graph = extract.extract(article, blocks, nlp.parse(pieces))
    for c in graph.claims:
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end] == c.text
        for m in c.mentions:
            assert text[m.start:m.end] == m.text
        for span in (c.certainty_cue, c.event_cue, c.attribution.cue if c.attribution else None):
            if span is not None:
                assert text[span.start:span.end] == span.text
    for cite in graph.citations:
        assert text[cite.cue.start:cite.cue.end] == cite.cue.text


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200).filter(lambda t: not any(0xD800 <= ord(ch) <= 0xDFFF for ch in t)),
       st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)), max_size=4))
def test_cache_json_round_trips_any_text(text: str, body: list[tuple[int, int]]) -> None:
    """The extraction cache (msgspec-encoded) reads back to an equal record, and its JSON
    is the standard library's for the same data."""
    import json
    import tempfile

    from kg import codec
    from kg.model import Article, ArticleGraph, Claim, Frame

    claim = Claim(id="c1", article="a1", start=0, end=len(text), text=text, sentence=1,
                  frame=Frame(subject=text, predicate="say", event_type=text or None))
    graph = ArticleGraph(article=Article(id="a1", text=text, source=text + ".txt", title=text or None,
                                         body=tuple(body)), claims=[claim])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.json"
        codec.write_json(path, graph)
        assert codec.read_json(path, ArticleGraph) == graph
        assert json.loads(path.read_bytes()) == codec.dump(graph)
