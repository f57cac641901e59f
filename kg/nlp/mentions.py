"""Entity mentions in a claim clause: versioned names, governments, spaCy NER, acronyms.

``find(clause, article_id, offset)`` reads one clause (a spaCy ``Span``) and returns
its mentions with ARTICLE offsets (doc offset + ``offset``), so
``article.text[m.start:m.end] == m.text``. No name is looked up in a list: names come
from their shape and from NER (``kg/data/entities.toml`` holds only general words).
Sources, by priority:

1. versioned names ("Name-5.5", "Name 3.7-Max", "Name 4 (12B)", "Name Large 3"): label
   ``ai_model`` when the clause holds an AI word (``[models].context``), else
   ``product``; "Section 230", "June 2025" are no names (``[models].not_names``);
2. a user's own aliases of ``[[entity]]`` tables, if any: label = entity type;
3. governments: a country (NER GPE or NORP) followed by a government noun ("US
   officials", "Turkish authorities"): label ``gov:<noun>``; "the government", "the
   administration" or "<person> administration": ``gov:bare`` (the article's one
   government, resolved in ``kg.analysis.entities``);
4. spaCy NER entities of ``[ner].labels``, cut at a line break or a sentence start
   (a heading glued to the next line is not a name) and before a stronger mention
   ("X's Name 5" tagged as one span keeps "X"), trimmed of a leading "the" and
   a possessive; dropped when an end is an ignored word ("AI"), when they have no
   capital, start with a digit, or are one word a number would follow in a date or a
   reference ("June"). A name shaped like a newspaper's ("... Times"), or an ORG that
   "reported" something or that someone "told", is labelled ``publication``;
5. names NER found elsewhere in the same article (``ArticleNames``), written the same;
6. acronyms left over (two to six capitals: "FT"): label ``acronym``; they become an
   entity only when they spell the initials of another name of the corpus.

Among 1 to 3 the longest match wins. Spans never include a leading "the" nor a
possessive "'s"/"’s". ``entity`` stays None: resolution is cross-article
(``kg.analysis.entities.resolve``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, cast

from kg.data.names import Alias, Vocab, is_model_name, is_outlet, vocab
from kg.model import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_POSSESSIVES = {"'s", "’s", "'", "’"}
_DETERMINERS = {"the"}
#: parts of speech that open an NER span without being part of the name ("Beyond X")
_LEADING = frozenset({"ADP", "ADV", "CCONJ", "SCONJ", "DET", "PRON", "PART", "INTJ"})
_ACRONYM = re.compile(r"(?:[A-Z]\.){2,6}|[A-Z]{2,6}")
#: labels of NER spans that may name a country in "COUNTRY officials"
_COUNTRY = ("GPE", "NORP")

#: (start, end, label) in doc character offsets
Candidate = tuple[int, int, str]
#: (start, end, priority, label)
Found = tuple[int, int, int, str]


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


def _strong(clause: Span, v: Vocab) -> list[Found]:
    """Versioned names and a user's aliases in the clause."""
    text, base = clause.text, clause.start_char
    ai = any(t.lower_ in v.model_context for t in clause)
    found: list[Found] = []
    for m in v.model.finditer(text):
        span = clause.doc.char_span(base + m.start(), base + m.end(), alignment_mode="expand")
        first = span[0] if span is not None and len(span) else None
        if is_model_name(m, v) and (first is None or (not first.is_stop and first.pos_ not in _LEADING)):
            found.append((base + m.start(), base + m.end(), 2, "ai_model" if ai else "product"))
    for pattern, alias in _alias_patterns():
        for m in pattern.finditer(text):
            found.append((base + m.start("name"), base + m.end("name"), 1, _label(alias)))
    return found


def _governments(clause: Span, v: Vocab) -> list[Found]:
    """"COUNTRY officials" (``gov:officials``) and "the government" (``gov:bare``)."""
    doc, found = clause.doc, []
    for ent in clause.ents:
        nxt = doc[ent.end] if ent.end < len(doc) and ent.end < clause.end else None
        if nxt is None or nxt.lower_ not in v.gov_nouns:
            continue
        tokens = _trim(list(ent), v)
        if ent.label_ in _COUNTRY and tokens:
            found.append((tokens[0].idx, nxt.idx + len(nxt.text), 1, f"gov:{nxt.lemma_.lower()}"))
        elif ent.label_ == "PERSON" and nxt.lower_ == "administration" and tokens:
            found.append((tokens[0].idx, nxt.idx + len(nxt.text), 1, "gov:bare"))
    lows = [t.lower_ for t in clause]
    for i, t in enumerate(clause):
        if t.lower_ != "the":
            continue
        for phrase in v.gov_bare:
            if lows[i + 1:i + 1 + len(phrase)] == list(phrase):
                first, last = clause[i + 1], clause[i + len(phrase)]
                found.append((first.idx, last.idx + len(last.text), 0, "gov:bare"))
                break
    return found


def _pick(found: list[Found], taken: list[Candidate]) -> list[Candidate]:
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
        return (t.is_punct or t.is_space or low in _POSSESSIVES
                or (first and (low in _DETERMINERS or t.pos_ in _LEADING)))

    while tokens and junk(tokens[0], True):
        tokens = tokens[1:]
    while tokens and (junk(tokens[-1], False) or tokens[-1].pos_ in ("ADP", "CCONJ", "DET")):
        tokens = tokens[:-1]
    if tokens and (tokens[0].lower_ in v.ignore or tokens[-1].lower_ in v.ignore):
        return []  # "AI", "American AI", "Constitutional AI": tagging noise, not a name
    return tokens


def _one_line(tokens: list[Token]) -> list[Token]:
    """The last piece of a span cut at line breaks and sentence starts: "Heading\\nName" ->
    "Name" (a heading glued to the next line is not one name)."""
    cut = 0
    for j, t in enumerate(tokens):
        if j and (t.is_sent_start or "\n" in tokens[j - 1].whitespace_ or "\n" in t.text):
            cut = j
    return [t for t in tokens[cut:] if "\n" not in t.text]


def _is_name(tokens: list[Token], v: Vocab) -> bool:
    """Junk NER spans are no names: no capital, a leading digit, a lone date word."""
    text = "".join(t.text_with_ws for t in tokens).strip()
    if not any(ch.isupper() for ch in text) or text[:1].isdigit():
        return False
    if tokens[0].is_stop and tokens[0].is_lower:
        return False
    return not (len(tokens) == 1 and tokens[0].lower_ in v.not_names)


def _reports(tokens: list[Token], v: Vocab) -> bool:
    """An ORG that reports: subject of "reported" with a clause or nothing after it, or the
    one someone "told" ("told Reuters")."""
    head = tokens[-1]
    while head.head.i in {t.i for t in tokens} and head.head.i != head.i:
        head = head.head
    verb = head.head
    if head.dep_ == "nsubj" and verb.lower_ in v.outlet_verbs:
        return not any(c.dep_ == "dobj" for c in verb.children)
    return head.dep_ in ("dobj", "dative") and verb.lemma_.lower() == "tell"


_SEPARATORS = frozenset({":", "/", "|", "·", "•", ";"})
#: title words between two names: "Org CEO Jane Doe"
_TITLES = frozenset({"ceo", "cfo", "cto", "coo", "chairman", "chairwoman", "founder", "president"})
_IT = frozenset({"it", "its", "itself"})
_HUMAN = frozenset({"he", "his", "him", "himself", "she", "her", "hers", "herself"})
_SPOKES = frozenset({"spokesperson", "spokesman", "spokeswoman", "spokespeople"})


def _not_a_person(tokens: list[Token], v: Vocab) -> bool:
    """A PERSON span that its sentence treats as an organisation: referred to by "its" or
    "itself" and by no personal pronoun, or with a spokesperson ("X's spokesman"), or in
    apposition with an organisation noun ("X, the startup")."""
    sent, last = tokens[-1].sent, tokens[-1]
    after = [t.lower_ for t in sent if t.i > last.i]
    if _IT & set(after) and not _HUMAN & set(after):
        return True
    if last.i + 2 < len(last.doc) and last.nbor(1).lower_ in ("'s", "’s") and last.nbor(2).lower_ in _SPOKES:
        return True
    if last.dep_ in ("appos", "compound") and last.head.lemma_.lower() in v.org_nouns:
        return True  # "the startup X", "X, the company" parsed either way
    return any(c.dep_ in ("appos", "compound") and c.lemma_.lower() in v.org_nouns
               for c in last.children)


def _free(tokens: list[Token], taken: list[Candidate]) -> list[Token]:
    """The tokens of an NER span before the first one a stronger mention holds: "X's Name 5
    and Name 6" tagged as one span keeps "X's" beside the two model names."""
    for j, t in enumerate(tokens):
        s, e = t.idx, t.idx + len(t.text)
        if any(s < ce and e > cs for cs, ce, _ in taken):
            return tokens[:j]
    return tokens


def _pieces(tokens: list[Token], v: Vocab) -> list[list[Token]]:
    """An NER span cut where one name ends and another begins: at an inner possessive
    ("Org's Jane Doe"), a title or trade word ("Org CEO Doe") and separators ("Name/Agency",
    "Heading: Name")."""
    out: list[list[Token]] = [[]]
    for t in tokens:
        if t.lower_ in _POSSESSIVES or t.lower_ in _TITLES or t.text in _SEPARATORS:
            out.append([])
        else:
            out[-1].append(t)
    return [p for p in out if p]


def _label_of(tokens: list[Token], label: str, v: Vocab) -> str:
    if label == "PERSON" and len(tokens) == 1 and _not_a_person(tokens, v):
        label = "ORG"
    s, e = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    if label in ("ORG", "PERSON") and (is_outlet(tokens[0].doc.text[s:e]) or _reports(tokens, v)):
        label = "publication"
    return label


def _ner(clause: Span, v: Vocab, taken: list[Candidate]) -> list[Found]:
    out = []
    for ent in clause.ents:
        if ent.label_ not in v.ner_labels:
            continue
        whole = _trim(_free(_one_line(list(ent)), taken), v)
        for piece in _pieces(whole, v) if whole else []:
            tokens = _trim(piece, v)
            if not tokens or not _is_name(tokens, v):
                continue
            s, e = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            out.append((s, e, 0, _label_of(tokens, ent.label_, v)))
    return out


class ArticleNames:
    """The names NER found anywhere in one article, to find again where NER missed them.

    The small model tags a name in one sentence and misses it in the next; a news
    article keeps a name's meaning throughout (one sense per discourse), so every other
    occurrence of a name found once, written the same, is a mention too, with the label
    most of its NER mentions had.
    """

    def __init__(self, docs: Iterable[Doc]) -> None:
        v = vocab()
        labels: dict[str, Counter[str]] = defaultdict(Counter)
        for doc in docs:
            for s, e, _, label in _ner(doc[:], v, []):
                labels[doc.text[s:e]][label] += 1
        self.labels = {n: c.most_common(1)[0][0] for n, c in labels.items() if len(n) > 1}
        alts = "|".join(re.escape(n) for n in sorted(self.labels, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![\w.-])(?:{alts})(?![\w-])") if alts else None

    def find(self, clause: Span) -> list[Found]:
        if self.pattern is None:
            return []
        base, v, out = clause.start_char, vocab(), []
        for m in self.pattern.finditer(clause.text):
            span = clause.doc.char_span(base + m.start(), base + m.end())
            label = self.labels[m.group(0)]
            if span is not None:
                label = _label_of(list(span), label, v)
            out.append((base + m.start(), base + m.end(), 0, label))
        return out


def _acronyms(clause: Span, taken: list[Candidate], v: Vocab) -> list[Found]:
    """ALL-CAPS words outside every mention ("FT"): candidates for an acronym of a name."""
    out = []
    for t in clause:
        s, e = t.idx, t.idx + len(t.text)
        if (not _ACRONYM.fullmatch(t.text) or t.lower_ in v.ignore
                or any(s < ce and e > cs for cs, ce, _ in taken)):
            continue
        out.append((s, e, 0, "acronym"))
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


def find(clause: object, article_id: str, offset: int,
         names: ArticleNames | None = None) -> tuple[Mention, ...]:
    """Entity mentions inside ``clause`` (a spaCy ``Span``), article offsets, text order;
    ``names``: the article's NER names, found again where NER missed them."""
    clause = cast("Span", clause)
    v = vocab()
    doc_text = clause.doc.text
    chosen = _pick(_strong(clause, v) + _governments(clause, v), [])
    chosen = _pick(_ner(clause, v, chosen), chosen)
    if names is not None:
        chosen = _pick(names.find(clause), chosen)
    chosen = _pick(_acronyms(clause, chosen, v), chosen)
    out: list[Mention] = []
    for s, e, label in sorted(chosen):
        s, e = _strip(doc_text, s, e)
        if e <= s:
            continue
        out.append(Mention(article=article_id, start=s + offset, end=e + offset,
                           text=doc_text[s:e], label=label))
    return tuple(out)
