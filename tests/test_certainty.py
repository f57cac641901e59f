"""Certainty, polarity and policy-event status/type (kg/nlp/certainty.py).

Precedence: negated > speculative > hedged > reported > asserted, counting only cues
in the article's own voice (reported content and quotes are the speaker's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from kg.model import Article, Claim
from kg.nlp import parse as kg_nlp
from kg.nlp.attributor import Attributor
from kg.nlp.certainty import Reading, read
from tests.conftest import seed_graphs

if TYPE_CHECKING:
    from spacy.tokens import Doc



@pytest.fixture(scope="module")
def nlp() -> Any:
    return kg_nlp.load()


def reading(nlp: Any, text: str, prefix: str = "") -> Reading:
    """Read the one sentence ``text``, parsed as a piece at offset ``len(prefix)``."""
    article = Article(id="t", text=prefix + text, source="test")
    doc = nlp(text)
    sent = next(iter(doc.sents))
    attr = Attributor(article).attribute(sent, sent, len(prefix))
    r = read(sent, sent, article.id, len(prefix), attributed=attr is not None)
    for span in (r.certainty_cue, r.event_cue):
        if span is not None:
            assert article.text[span.start:span.end] == span.text
    return r


def cue(r: Reading) -> str | None:
    return r.certainty_cue.text if r.certainty_cue else None


@pytest.mark.parametrize("text, certainty, cue_text", [
    ("The US government has imposed an export ban on Anthropic's AI models.", "asserted", None),
    ("Anthropic's warnings may have accelerated the debate.", "hedged", "may"),
    ("Regulators appear to treat the statements as expert testimony.", "hedged", "appear"),
    ("The term risk appeared 336 times in the statements.", "asserted", None),
    ("Industry observers note that the advocacy has shifted the narrative.", "reported", "note"),
    ("Anthropic is reportedly working to restore access.", "reported", "reportedly"),
    ("The government has not lifted the ban on Anthropic's models.", "negated", "not"),
    ("The debate over AI export controls is no longer theoretical.", "negated", "no longer"),
    ("If legislative measures are formalized, they would establish a new precedent.",
     "speculative", "If"),
    ("Did Anthropic talk itself into an export ban?", "speculative", "?"),
    ("A model like Gemma might not be considered frontier today.", "negated", "not"),
    ("Export bans on AI models would represent a significant escalation.", "speculative", "would"),
])
def test_certainty(nlp: Any, text: str, certainty: str, cue_text: str | None) -> None:
    r = reading(nlp, text)
    assert (r.certainty, cue(r)) == (certainty, cue_text)


def test_restricting_negation_is_not_negation(nlp: Any) -> None:
    r = reading(nlp, "The potential export restrictions don't just affect Anthropic.")
    assert r.polarity == "affirmed" and r.certainty == "hedged" and cue(r) == "potential"


def test_hedge_inside_attributed_content_is_the_speakers(nlp: Any) -> None:
    r = reading(nlp, "US officials reportedly believe this flaw could bypass existing safeguards.")
    assert (r.certainty, cue(r)) == ("reported", "reportedly")


def test_hedge_inside_a_quote(nlp: Any) -> None:
    # attributed quote: the hedge is Anthropic's; the cue is the reporting verb
    r = reading(nlp, '"The ban may be a misunderstanding," Anthropic said.')
    assert (r.certainty, cue(r)) == ("reported", "said")
    # the same words as an unattributed pull quote: the article presents the hedge itself
    r = reading(nlp, '"The company\'s messaging may have handed regulators the ammunition."')
    assert (r.certainty, cue(r)) == ("hedged", "may")


def test_hedge_on_the_frame_is_the_articles(nlp: Any) -> None:
    r = reading(nlp, "Anthropic may have said that the ban is unfair.")
    assert (r.certainty, cue(r)) == ("hedged", "may")


def test_negation_inside_reported_content(nlp: Any) -> None:
    r = reading(nlp, "Sam Altman told reporters that OpenAI would not withdraw its models.")
    assert (r.certainty, cue(r), r.polarity) == ("reported", "told", "negated")


def test_conditional_inside_reported_content_is_reported(nlp: Any) -> None:
    r = reading(nlp, "Analysts suggest that if measures are formalized, they could set a precedent.")
    assert r.certainty == "reported"


def test_cue_spans_use_the_piece_offset(nlp: Any) -> None:
    r = reading(nlp, "Regulators may impose an export ban on AI models.", prefix="Intro line.\n")
    assert r.certainty_cue is not None and r.certainty_cue.start == len("Intro line.\n") + 11


@pytest.mark.parametrize("text, event_type, status, cue_text", [
    ("US officials are actively considering export restrictions on advanced AI models.",
     "model-export-ban", "considered", "considering"),
    ("The potential imposition of an AI export ban would directly impact the supply chain.",
     "model-export-ban", "considered", "potential"),
    ("The regulatory climate now contemplates imposing strict export bans on frontier AI models.",
     "model-export-ban", "considered", "contemplates"),
    ("The US government has imposed an export ban on Anthropic's AI models.",
     "model-export-ban", "enacted", "imposed"),
    ("The US government has ordered the blocking of Anthropic's Fable 5 and Mythos 5 models "
     "from users outside the United States.", "model-export-ban", "enacted", "ordered"),
    ("Anthropic was placed on a supply chain blacklist earlier this year.",
     "blacklist", "enacted", "placed"),
    ("The Commerce Department has lifted the export ban on Anthropic's models.",
     "model-export-ban", "lifted", "lifted"),
    ("The US already restricts exports of advanced AI chips to certain countries.",
     "chip-export-control", "enacted", "restricts"),
    ("China has shown resilience in the face of chip export controls.",
     "chip-export-control", None, None),
])
def test_events(nlp: Any, text: str, event_type: str, status: str | None,
                cue_text: str | None) -> None:
    r = reading(nlp, text)
    assert (r.event_type, r.event_status) == (event_type, status)
    assert (r.event_cue.text if r.event_cue else None) == cue_text


@pytest.mark.parametrize("text", [
    "Anthropic is working with regulators to restore access to its models.",
    "Regulators could impose an export ban on AI models.",
    "This could lead to blocs where access to advanced models is restricted to allies.",
])
def test_irrealis_is_not_enacted_or_lifted(nlp: Any, text: str) -> None:
    r = reading(nlp, text)
    assert r.event_type == "model-export-ban" and r.event_status is None


@pytest.mark.parametrize("text", [
    "Anthropic has consistently advocated for proactive government intervention.",
    "The restricted countries face delays.",
    "Anthropic proposed new safety standards.",
])
def test_no_event(nlp: Any, text: str) -> None:
    r = reading(nlp, text)
    assert (r.event_type, r.event_status, r.event_cue) == (None, None, None)


def test_modal_negation_hand_built() -> None:
    """Pure rule: a negator on the content verb, no model needed."""
    from spacy.lang.en import English
    from spacy.tokens import Doc

    doc: Doc = Doc(English().vocab, words=["Officials", "have", "not", "imposed", "a", "ban", "."],
                   heads=[3, 3, 3, 3, 5, 3, 3],
                   deps=["nsubj", "aux", "neg", "ROOT", "det", "dobj", "punct"],
                   pos=["NOUN", "AUX", "PART", "VERB", "DET", "NOUN", "PUNCT"],
                   tags=["NNS", "VBP", "RB", "VBN", "DT", "NN", "."],
                   lemmas=["official", "have", "not", "impose", "a", "ban", "."])
    r = read(doc[:], doc[:], "t", 0, attributed=False)
    assert (r.certainty, r.polarity, cue(r)) == ("negated", "negated", "not")
    assert (r.event_type, r.event_status) == ("ban", "enacted")


# -- golden: the seed articles -------------------------------------------------------------

def seed_claim(prefix: str, text: str) -> Claim:
    return next(c for c in seed_graphs()[prefix].claims if text in c.text)


@pytest.mark.parametrize("prefix, text, certainty, event_type, status", [
    ("000", "According to the Financial Times, US officials are actively considering",
     "reported", "model-export-ban", "considered"),
    ("000", "Government officials have reportedly cited", "reported", "model-export-ban", None),
    ("000", "The US already restricts exports of advanced AI chips", "asserted",
     "chip-export-control", "enacted"),
    ("000", "The answer could reshape the global AI landscape.", "hedged", None, None),
    ("001", "Anthropic has consistently advocated", "asserted", None, None),
    ("001", "The potential imposition of an AI export ban", "speculative", "model-export-ban",
     "considered"),
    ("002", "contemplates imposing strict export bans", "hedged", "model-export-ban", "considered"),
    ("003", "The US government has imposed an export ban", "asserted", "model-export-ban", "enacted"),
    ("004", "has ordered the blocking of Anthropic's Fable 5", "asserted", "model-export-ban",
     "enacted"),
    ("004", "US officials reportedly believe", "reported", None, None),
    ("004", "An Anthropic spokesperson, however", "reported", None, None),
    ("004", "Anthropic being placed on a supply chain blacklist", "asserted", "blacklist", "enacted"),
    ("004", "Anthropic is reportedly working tirelessly to restore access", "reported",
     "model-export-ban", None),
])
def test_seed_certainty_and_events(prefix: str, text: str, certainty: str,
                                   event_type: str | None, status: str | None) -> None:
    c = seed_claim(prefix, text)
    assert (c.certainty, c.frame.event_type, c.event_status) == (certainty, event_type, status)
    g = seed_graphs()[prefix]
    for span in (c.certainty_cue, c.event_cue):
        if span is not None:
            assert g.article.text[span.start:span.end] == span.text
