"""Entity mentions in a claim clause: AI-model names, gazetteer names, then spaCy NER.

``find(clause, article_id, offset)`` reads one clause (a spaCy ``Span``) and returns
its mentions with ARTICLE offsets (doc offset + ``offset``), so
``article.text[m.start:m.end] == m.text``. Sources, by priority:

1. AI-model names with a version, by pattern ("GPT-5.5", "Qwen 3.7-Max",
   "Gemma 4 (12B)", "Mistral Large 3"): label ``ai_model``;
2. gazetteer aliases of ``kg/data/entities.toml`` ("FT", "US officials",
   "the government", "Washington"): label = entity type, plus ``:role`` when the
   surface form has one (``gov:officials``, ``gov:capital``);
3. spaCy NER entities of the labels in ``[ner].labels`` (label = NER label),
   trimmed of a leading "the" and a possessive; dropped when they begin or end with
   an ignored word ("AI", "American AI") or overlap 1 or 2 ("Beyond Anthropic" ->
   the gazetteer's "Anthropic"), except that a longer PERSON holding a
   ``[ner].yield_to_person`` name wins over it ("George Washington");
4. capitalised tokens left over that are typos of a gazetteer name ("Anthopic"),
   with the fuzzy rule of ``kg.data.names.similar``.

Among 1 and 2 the longest match wins, a model pattern before an alias. Spans never
include a leading "the" nor a possessive "'s"/"’s". ``entity`` stays None: resolution
is cross-article (``kg.analysis.entities.resolve``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, cast

from kg.data.names import Alias, Vocab, fuzzy_alias, name_key, vocab
from kg.model import Mention

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_POSSESSIVES = {"'s", "’s", "'", "’"}
_DETERMINERS = {"the"}

#: (start, end, label) in doc character offsets
Candidate = tuple[int, int, str]


def _word(word: str) -> str:
    """Regex for one alias word: ALL-CAPS exact; a capital stays a capital; rest any case."""
    if len(word) > 1 and word.isupper():
        return re.escape(word)
    if word[:1].isupper():
        return re.escape(word[0]) + (f"(?i:{re.escape(word[1:])})" if word[1:] else "")
    return f"(?i:{re.escape(word)})"


@cache
def _alias_patterns() -> tuple[tuple[re.Pattern[str], Alias], ...]:
    out = []
    for alias in vocab().aliases.values():
        body = r"\s+".join(_word(w) for w in alias.text.split())
        the = r"(?<![\w-])(?:[Tt]he)\s+" if alias.needs_the else r"(?<![\w.-])"
        out.append((re.compile(rf"{the}(?P<name>{body})(?![\w-])"), alias))
    return tuple(out)


def _label(alias: Alias) -> str:
    return f"{alias.type}:{alias.role}" if alias.role else alias.type


def _strong(text: str, base: int, v: Vocab) -> list[Candidate]:
    """Model-pattern and gazetteer matches in ``text`` (which starts at doc offset ``base``)."""
    found: list[tuple[int, int, int, str]] = []  # (start, end, priority, label)
    for m in v.model.finditer(text):
        found.append((base + m.start(), base + m.end(), 2, "ai_model"))
    for pattern, alias in _alias_patterns():
        for m in pattern.finditer(text):
            found.append((base + m.start("name"), base + m.end("name"), 1, _label(alias)))
    return _pick(found, [])


def _pick(found: list[tuple[int, int, int, str]], taken: list[Candidate]) -> list[Candidate]:
    """Greedy non-overlapping choice: longest first, then higher priority, then leftmost."""
    chosen = list(taken)
    for s, e, _, label in sorted(found, key=lambda f: (f[0] - f[1], -f[2], f[0])):
        if all(e <= cs or s >= ce for cs, ce, _ in chosen):
            chosen.append((s, e, label))
    return chosen


def _trim(tokens: list[Token], v: Vocab) -> list[Token]:
    """Drop a leading "the", possessives and punctuation; nothing if an end is an ignored word."""
    def junk(t: Token, first: bool) -> bool:
        low = t.text.casefold()
        return (t.is_punct or t.is_space
                or (first and low in _DETERMINERS) or (not first and low in _POSSESSIVES))

    while tokens and junk(tokens[0], True):
        tokens = tokens[1:]
    while tokens and junk(tokens[-1], False):
        tokens = tokens[:-1]
    if tokens and (tokens[0].text in v.ignore or tokens[-1].text in v.ignore):
        return []  # "AI", "American AI", "Constitutional AI": tagging noise, not a name
    return tokens


def _ner(clause: Span, v: Vocab) -> list[tuple[int, int, int, str]]:
    out = []
    for ent in clause.ents:
        if ent.label_ not in v.ner_labels:
            continue
        tokens = _trim(list(ent), v)
        if tokens:
            out.append((tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), 0, ent.label_))
    return out


def _person_holds(c: Candidate, ner: list[tuple[int, int, int, str]], text: str, v: Vocab) -> bool:
    """A yielding table name inside a longer NER person ("George Washington")."""
    return text[c[0]:c[1]] in v.yield_to_person and any(
        label == "PERSON" and s <= c[0] and c[1] <= e and e - s > c[1] - c[0]
        for s, e, _, label in ner)


def _typos(clause: Span, taken: list[Candidate], v: Vocab) -> list[tuple[int, int, int, str]]:
    """Capitalised single tokens outside every mention that are typos of a table name."""
    out = []
    for t in clause:
        s, e = t.idx, t.idx + len(t.text)
        if not t.text[:1].isupper() or any(s < ce and e > cs for cs, ce, _ in taken):
            continue
        alias = fuzzy_alias(name_key(t.text), v)
        if alias is not None and " " not in alias.text:
            out.append((s, e, 0, _label(alias)))
    return out


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Shrink ``[s, e)`` of doc ``text`` past a trailing possessive and outer white space."""
    for p in ("'s", "’s", "'", "’"):
        if text[s:e].endswith(p) and e - len(p) > s:
            e -= len(p)
            break
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def find(clause: object, article_id: str, offset: int) -> tuple[Mention, ...]:
    """Entity mentions inside ``clause`` (a spaCy ``Span``), article offsets, text order."""
    clause = cast("Span", clause)
    v = vocab()
    doc_text = clause.doc.text
    ner = _ner(clause, v)
    chosen = [c for c in _strong(clause.text, clause.start_char, v)
              if not _person_holds(c, ner, doc_text, v)]
    chosen = _pick(ner, chosen)
    chosen = _pick(_typos(clause, chosen, v), chosen)
    out: list[Mention] = []
    for s, e, label in sorted(chosen):
        s, e = _strip(doc_text, s, e)
        if e <= s:
            continue
        out.append(Mention(article=article_id, start=s + offset, end=e + offset,
                           text=doc_text[s:e], label=label))
    return tuple(out)
