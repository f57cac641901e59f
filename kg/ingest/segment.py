"""Split a normalised article into line blocks: title, headings, body, page furniture.

The rules (documented in docs/boilerplate.md, vocabulary in ``kg/data/boilerplate.toml``):

1. A line matching a furniture pattern, or naming a language alone (a language
   picker), is furniture. A ``Source: X`` line is an article-level citation.
2. The first line is the title when it reads as a headline: at most 25 words and
   no sentence-final ``.`` or ``!``; some articles start straight with body text.
3. A short line (at most 12 words) without final punctuation is a heading.
4. From the end, a run of short lines is furniture when it holds a furniture or
   citation line or at least ``min_lines`` lines (link lists, product promos).
5. List markers (``-``, ``*``, ``•``, ``1.``) and pull-quote ``>`` are not part of
   the block; a lone non-ASCII glyph after a list marker (a mangled bullet such
   as ``β``) is dropped too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kg.data import vocabulary

_ITEM = re.compile(r"^(?:[-*•‣◦▪–]|\d{1,3}[.)])\s+")
_MANGLED_GLYPH = re.compile(r"^[^\x00-\x7f](?=[A-Z0-9\"“'‘])")
_QUOTE = re.compile(r"^>\s*")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_FINAL = tuple('.!?:;"”’)…')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Block:
    start: int
    end: int
    kind: str  # title | heading | paragraph | item | quote | furniture | citation
    name: tuple[int, int] | None = None  # for citations: the cited name's span

    @property
    def is_body(self) -> bool:
        return self.kind in ("paragraph", "item", "quote")


@cache
def _rules() -> tuple[list[re.Pattern[str]], frozenset[str], list[re.Pattern[str]], int, int]:
    cfg = vocabulary().boilerplate
    furniture = [re.compile(p, re.IGNORECASE) for p in cfg.furniture.patterns]
    languages = frozenset(s.casefold() for s in cfg.furniture.languages)
    citations = [re.compile(p, re.IGNORECASE) for p in cfg.citation.patterns]
    return furniture, languages, citations, cfg.tail.max_words, cfg.tail.min_lines


def _words(s: str) -> int:
    return len(_WORD.findall(s))


def _strip_marker(text: str, start: int, end: int) -> tuple[int, str]:
    """Move ``start`` past list or quote markers; return (start, marker kind)."""
    line = text[start:end]
    for pattern, kind in ((_QUOTE, "quote"), (_ITEM, "item"), (_MD_HEADING, "heading")):
        m = pattern.match(line)
        if m:
            start += m.end()
            if kind == "item":
                g = _MANGLED_GLYPH.match(text[start:end])
                if g:
                    start += g.end()
            # a quoted pull quote may itself start with an emoji or a glyph: leave it
            return start, kind
    return start, ""


def _classify(text: str, start: int, end: int, first: bool, more_follows: bool) -> Block:
    furniture, languages, citations, max_words, _ = _rules()
    line = text[start:end]
    if line.casefold() in languages or any(p.search(line) for p in furniture):
        return Block(start, end, "furniture")
    for p in citations:
        m = p.match(line)
        if m:
            return Block(start, end, "citation", (start + m.start("name"), start + m.end("name")))
    body_start, marker = _strip_marker(text, start, end)
    stripped = text[body_start:end]
    if not stripped.strip() or not _WORD.search(stripped):
        return Block(start, end, "furniture")
    if first and more_follows and _words(line) <= 25 and not line.endswith((".", "!")):
        return Block(start, end, "title")
    if marker == "heading" or (not marker and _words(stripped) <= max_words
                               and not stripped.endswith(_FINAL)):
        return Block(body_start if marker == "heading" else start, end, "heading")
    return Block(body_start, end, marker or "paragraph")


def segment(text: str) -> list[Block]:
    """The line blocks of ``text`` in order; blank lines are skipped."""
    lines: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        s, e = pos, pos + len(raw)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            lines.append((s, e))
        pos += len(raw) + 1
    blocks = [_classify(text, s, e, i == 0, len(lines) > 1) for i, (s, e) in enumerate(lines)]
    return _drop_tail(text, blocks)


def _drop_tail(text: str, blocks: list[Block]) -> list[Block]:
    _, _, _, max_words, min_lines = _rules()
    run = 0
    for block in reversed(blocks):
        if block.kind == "title" or _words(text[block.start:block.end]) > max_words:
            break
        run += 1
    if run == 0:
        return blocks
    tail = blocks[len(blocks) - run:]
    if run >= min_lines or any(b.kind in ("furniture", "citation") for b in tail):
        tail = [b if b.kind in ("furniture", "citation") else Block(b.start, b.end, "furniture")
                for b in tail]
        return blocks[: len(blocks) - run] + tail
    return blocks


def body_ranges(blocks: list[Block]) -> tuple[tuple[int, int], ...]:
    return tuple((b.start, b.end) for b in blocks if b.is_body)


def title_of(text: str, blocks: list[Block]) -> str | None:
    for b in blocks:
        if b.kind == "title":
            return text[b.start:b.end]
    return None
