"""Attribution rules: who a claim is attributed to, by what cue (kg/nlp/attribution.py).

Pure rule tests build spaCy docs by hand; the rest parse short texts with the real
model, and the golden tests run the seed articles through kg.nlp.extract.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from kg.model import Article, ArticleGraph, Attribution, Claim, short_hash
from kg.nlp import parse as kg_nlp
from kg.nlp.attribution import find_cue
from kg.nlp.attributor import Attributor
from kg.nlp.speakers import source_for
from tests.conftest import seed_graphs

if TYPE_CHECKING:
    from spacy.tokens import Doc



def hand_doc(words: list[str], heads: list[int], deps: list[str], pos: list[str],
             lemmas: list[str]) -> Doc:
    from spacy.lang.en import English
    from spacy.tokens import Doc

    return Doc(English().vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)


@pytest.fixture(scope="module")
def nlp() -> Any:
    return kg_nlp.load()


def run(nlp: Any, text: str) -> tuple[Attributor, list[Attribution | None]]:
    """Attribute every sentence of ``text`` (one piece at offset 0)."""
    att = Attributor(Article(id="t", text=text, source="test"))
    return att, [att.attribute(s, s, 0) for s in nlp(text).sents]


def who(att: Attributor, a: Attribution | None) -> tuple[str, str] | None:
    if a is None:
        return None
    src = att.sources[a.source]
    return src.name, src.kind


# -- pure rules on hand-built docs -----------------------------------------------------

def test_said_as_adjective_is_not_a_cue() -> None:
    doc = hand_doc(["The", "said", "product", "was", "banned", "."], [2, 2, 4, 4, 4, 4],
                   ["det", "amod", "nsubjpass", "auxpass", "ROOT", "punct"],
                   ["DET", "ADJ", "NOUN", "AUX", "VERB", "PUNCT"],
                   ["the", "say", "product", "be", "ban", "."])
    assert find_cue(doc[:]) is None


def test_reporting_verb_with_anonymous_speaker() -> None:
    doc = hand_doc(["Officials", "said", "that", "the", "ban", "is", "final", "."],
                   [1, 1, 5, 4, 5, 1, 5, 1],
                   ["nsubj", "ROOT", "mark", "det", "nsubj", "ccomp", "acomp", "punct"],
                   ["NOUN", "VERB", "SCONJ", "DET", "NOUN", "AUX", "ADJ", "PUNCT"],
                   ["official", "say", "that", "the", "ban", "be", "final", "."])
    cue = find_cue(doc[:])
    assert cue is not None and (cue.rule, cue.start, cue.speaker) == ("verb", 1, 0)
    assert cue.content == frozenset(range(2, 7))
    att = Attributor(Article(id="t", text=doc.text, source="test"))
    a = att.attribute(doc[:], doc[:], 0)
    assert who(att, a) == ("officials", "anonymous")  # the capital is the sentence's
    assert a is not None and a.cue is not None and a.cue.text == "said"


@pytest.mark.parametrize("first, pos, lemma, name", [
    ("Analysts", "NOUN", "analyst", "analysts"),  # a common noun: the capital is the sentence's
    ("Reuters", "PROPN", "Reuters", "Reuters"),  # a proper noun keeps its capital
])
def test_sentence_start_capital_only_on_common_words(first: str, pos: str, lemma: str, name: str) -> None:
    """Issue 21: "Analysts said" and "... analysts said" are one source with one name."""
    doc = hand_doc([first, "said", "that", "the", "ban", "is", "final", "."],
                   [1, 1, 5, 4, 5, 1, 5, 1],
                   ["nsubj", "ROOT", "mark", "det", "nsubj", "ccomp", "acomp", "punct"],
                   [pos, "VERB", "SCONJ", "DET", "NOUN", "AUX", "ADJ", "PUNCT"],
                   [lemma, "say", "that", "the", "ban", "be", "final", "."])
    att = Attributor(Article(id="t", text=doc.text, source="test"))
    a = att.attribute(doc[:], doc[:], 0)
    got = who(att, a)
    assert got is not None and got[0] == name
    assert a is not None and a.source == short_hash("source", got[1], name)


def test_reporting_verb_inside_a_quote_is_not_a_cue() -> None:
    doc = hand_doc(['"', "Regulators", "say", "the", "risks", "are", "real", ".", '"'],
                   [2, 2, 2, 4, 5, 2, 5, 2, 2],
                   ["punct", "nsubj", "ROOT", "det", "nsubj", "ccomp", "acomp", "punct", "punct"],
                   ["PUNCT", "NOUN", "VERB", "DET", "NOUN", "AUX", "ADJ", "PUNCT", "PUNCT"],
                   ['"', "regulator", "say", "the", "risk", "be", "real", ".", '"'])
    assert find_cue(doc[:]) is None


def test_source_for_canonical_names() -> None:
    ft = source_for("Financial Times", "publication")
    # a newspaper-shaped name is a publication, with or without its article (no name table)
    assert ft == source_for("the Financial Times", "organisation")
    assert ft.name == "Financial Times" and ft.kind == "publication"
    assert ft.id == short_hash("source", "publication", "Financial Times")
    assert source_for("US officials", "anonymous").name == "US officials"


# -- rules on parsed text ----------------------------------------------------------------

def test_according_to_publication_via_officials(nlp: Any) -> None:
    text = ("According to the Financial Times, US officials are actively considering "
            "export restrictions on advanced AI models.")
    att, [a] = run(nlp, text)
    assert a is not None and a.cue is not None
    assert who(att, a) == ("Financial Times", "publication")
    assert a.via is not None and att.sources[a.via].name == "US officials"
    assert att.sources[a.via].kind == "anonymous"
    assert (a.source, a.via) in att.cites
    assert a.cue.text == "According to" and text[a.cue.start:a.cue.end] == a.cue.text
    assert [(c.source, c.cue.text) for c in att.citations] == [(a.source, "According to")]


def test_ft_aliases_are_one_source(nlp: Any) -> None:
    att, out = run(nlp, "An analysis by the Financial Times suggests that the warnings backfired. "
                        "An FT analysis revealed that Anthropic used risk terms often.")
    assert [who(att, a) for a in out] == [("Financial Times", "publication")] * 2
    assert len(att.sources) == 1 and len(att.citations) == 2


def test_as_publication_reports(nlp: Any) -> None:
    att, [a] = run(nlp, "As the Financial Times reports, the situation raises a fundamental tension.")
    assert who(att, a) == ("Financial Times", "publication")
    assert a is not None and a.cue is not None and a.cue.text == "reports"


def test_named_organisation_and_spokesperson(nlp: Any) -> None:
    att, out = run(nlp, "Anthropic said that the ban was a misunderstanding. "
                        "An Anthropic spokesperson has publicly stated that the company "
                        "only received verbal evidence.")
    assert [who(att, a) for a in out] == [("Anthropic", "organisation")] * 2


def test_understanding_of_government_reasoning_is_a_chain(nlp: Any) -> None:
    att, [_, a] = run(nlp, "The US government banned the models on Monday. "
                           "According to Anthropic's understanding of the government's reasoning, "
                           "a jailbreak vulnerability triggered the ban.")
    got = who(att, a)  # its kind: the tagger's guess for one word (PERSON here)
    assert got is not None and got[0] == "Anthropic"
    assert a is not None and a.via is not None
    assert (att.sources[a.via].name, att.sources[a.via].kind) == ("US government", "official")


@pytest.mark.parametrize("text, name", [
    ("Officials said the ban would take effect soon.", "officials"),
    ("Industry analysis indicates that the warnings accelerated the debate.", "industry analysis"),
    ("Industry observers note that the advocacy has shifted the narrative.", "industry observers"),
    ("Analysts suggest that the rules could set a precedent.", "analysts"),
    ("Sources familiar with the matter said the order was signed on Monday.",
     "sources familiar with the matter"),
])
def test_anonymous_speakers(nlp: Any, text: str, name: str) -> None:
    att, [a] = run(nlp, text)
    assert who(att, a) == (name, "anonymous")


def test_quote_then_speaker(nlp: Any) -> None:
    att, [a] = run(nlp, '"It is imperative that we are transparent about the dangers of AI," '
                        "industry analysts point out.")
    assert who(att, a) == ("industry analysts", "anonymous")
    assert a is not None and a.cue is not None and a.cue.text == "point out"


def test_quoted_reporting_verb_is_not_the_cue(nlp: Any) -> None:
    att, [a] = run(nlp, '"Regulators say the risks are real," Anthropic wrote.')
    assert who(att, a) == ("Anthropic", "organisation")
    assert a is not None and a.cue is not None and a.cue.text == "wrote"


def test_reportedly(nlp: Any) -> None:
    att, out = run(nlp, "Anthropic is reportedly working to restore access. "
                        "US officials reportedly believe this flaw could bypass safeguards.")
    assert [who(att, a) for a in out] == [("unnamed sources", "anonymous"),
                                          ("US officials", "anonymous")]
    assert all(a is not None and a.cue is not None and a.cue.text == "reportedly" for a in out)


def test_pronoun_carries_the_last_speaker(nlp: Any) -> None:
    att, out = run(nlp, "An Anthropic spokesperson stated that the evidence was verbal. "
                        "They argue that the ban is disproportionate. "
                        "Furthermore, they point out that other models have similar features.")
    assert [who(att, a) for a in out] == [("Anthropic", "organisation")] * 3
    assert out[2] is not None and out[2].cue is not None and out[2].cue.text == "point out"


def test_pronoun_memory_carries_across_paragraphs(nlp: Any) -> None:
    first, second = "Anthropic said that the ban was unfair.", "They argue that it is disproportionate."
    text = f"{first}\n{second}"
    att = Attributor(Article(id="t", text=text, source="test"))
    doc1, doc2 = nlp(first), nlp(second)
    assert att.attribute(doc1[:], doc1[:], 0) is not None
    assert who(att, att.attribute(doc2[:], doc2[:], len(first) + 1)) == ("Anthropic", "organisation")


def test_pronoun_without_antecedent(nlp: Any) -> None:
    _, [a] = run(nlp, "They argue that the ban is disproportionate.")
    assert a is None


@pytest.mark.parametrize("text", [
    "Anthropic has consistently advocated for proactive government intervention.",
    "The US government has imposed an export ban on Anthropic's AI models.",
    "The said product was banned from export last year.",
    "Regulating frontier models is easier said than done.",
    "The ban suggests future frameworks may require certifications.",
    "OpenAI did not respond to a request for comment.",
])
def test_article_voice(nlp: Any, text: str) -> None:
    att, [a] = run(nlp, text)
    assert a is None and not att.citations


# -- golden: the seed articles -------------------------------------------------------------

def seed_claim(prefix: str, text: str) -> tuple[Claim, ArticleGraph]:
    g = seed_graphs()[prefix]
    return next(c for c in g.claims if text in c.text), g


def source_of(g: ArticleGraph, source_id: str | None) -> tuple[str, str] | None:
    src = next((s for s in g.sources if s.id == source_id), None)
    return (src.name, src.kind) if src else None


@pytest.mark.parametrize("prefix, text, source, via", [
    ("000", "According to the Financial Times, US officials are actively considering",
     ("Financial Times", "publication"), ("US officials", "anonymous")),
    ("000", "Government officials have reportedly cited", ("government officials", "anonymous"), None),
    ("000", "As the Financial Times reports", ("Financial Times", "publication"), None),
    ("001", "Industry analysis indicates that", ("industry analysis", "anonymous"), None),
    ("001", "Industry observers note that", ("industry observers", "anonymous"), None),
    ("001", "Analysts suggest that", ("analysts", "anonymous"), None),
    ("001", "Anthropic has consistently advocated", None, None),
    ("002", "comment technology policy experts", ("technology policy experts", "anonymous"), None),
    ("003", "The US government has imposed an export ban", None, None),
    ("004", "has ordered the blocking of Anthropic's Fable 5", None, None),
    ("004", "Anthropic has swiftly responded", ("Anthropic", "organisation"), None),
    ("004", "According to Anthropic's understanding", ("Anthropic", "organisation"),
     ("US government", "official")),
    ("004", "US officials reportedly believe", ("US officials", "anonymous"), None),
    ("004", "An Anthropic spokesperson, however", ("Anthropic", "organisation"), None),
    ("004", "They argue that such a limited vulnerability", ("Anthropic", "organisation"), None),
    ("004", "Furthermore, they point out", ("Anthropic", "organisation"), None),
    ("004", "an insightful analysis by the Financial Times", ("Financial Times", "publication"), None),
    ("004", "An FT analysis, for instance, revealed", ("Financial Times", "publication"), None),
])
def test_seed_attribution(prefix: str, text: str, source: tuple[str, str] | None,
                          via: tuple[str, str] | None) -> None:
    c, g = seed_claim(prefix, text)
    a = c.attribution
    assert (source_of(g, a.source) if a else None) == source
    assert (source_of(g, a.via) if a else None) == via
    if a is not None:
        assert a.cue is not None and g.article.text[a.cue.start:a.cue.end] == a.cue.text
        if a.via:
            assert (a.source, a.via) in g.cites


def test_seed_citations_name_the_ft_once_as_a_source() -> None:
    g = seed_graphs()["000"]
    ft = source_for("Financial Times", "publication").id
    assert {s.name for s in g.sources if s.kind == "publication"} == {"Financial Times"}
    cues = [c.cue.text for c in g.citations if c.source == ft]
    assert cues.count("According to") == 2 and "reports" in cues
    for c in g.citations:
        assert g.article.text[c.cue.start:c.cue.end] == c.cue.text
