"""Event status from the claim's main predicate (kg.nlp.certainty.event, events.toml):
considered (proposed, planned), enacted (ordered, imposed), paused (on hold), lifted
(reversed, rescinded), denied; a relative clause inside the claim does not decide."""

from __future__ import annotations

from typing import Any

import pytest

from kg.nlp import parse as kg_nlp
from tests.test_certainty import reading


@pytest.fixture(scope="module")
def nlp() -> Any:
    return kg_nlp.load()


@pytest.mark.parametrize("text, status, cue_text", [
    ("The agency plans to roll back a rule that restricted exports of AI chips.", "considered", "plans"),
    ("The government imposed a ban on AI models.", "enacted", "imposed"),
    ("The Commerce Department suspended the ban on chip exports.", "paused", "suspended"),
    ("The government lifted the ban on AI models that it imposed last year.", "lifted", "lifted"),
    ("The ministry denied imposing a ban on AI models.", "denied", "denied"),
])
def test_status_of_the_main_predicate(nlp: Any, text: str, status: str, cue_text: str) -> None:
    r = reading(nlp, text)
    assert (r.event_status, r.event_cue.text if r.event_cue else None) == (status, cue_text)


@pytest.mark.parametrize("text", [
    "The government could pause the export ban on AI models.",  # under a modal: not yet real
    "Officials are working to suspend the ban on AI models.",  # an infinitive: not yet real
])
def test_an_unreal_pause_has_no_status(nlp: Any, text: str) -> None:
    assert reading(nlp, text).event_status is None
