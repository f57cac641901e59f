"""Approximation markers stay on every figure (kg.analysis.values): "about 300",
"more than 48 minutes", "up to 10%" are kept, and compared as what they say."""

from __future__ import annotations

import pytest

from kg.analysis.values import clash, marker_of


@pytest.mark.parametrize("before, marker", [
    ("dead for more than ", "more than"),
    ("an operation would cost about £", "about"),
    ("fined the company nearly €", "nearly"),
    ("a rise of up to ", "up to"),
    ("Almost ", "almost"),
    ("a crater measuring roughly  ", "roughly"),
    ("the company fined ", ""),  # no marker
    ("a handsome ", ""),  # "some" inside a word is no marker
    ("about the company, which lost ", ""),  # a marker must stand right before the figure
])
def test_the_marker_before_a_figure_is_kept(before: str, marker: str) -> None:
    assert marker_of(before) == marker


def test_figures_compare_as_their_markers_say() -> None:
    assert clash((48.0, ""), (50.0, ""), 0.01)  # plain figures: 4% apart
    assert not clash((48.0, "about"), (50.0, ""), 0.01)  # approximate: 10% tolerance
    assert clash((40.0, "about"), (50.0, ""), 0.01)  # ... but not more
    assert not clash((48.0, "more than"), (50.0, ""), 0.01)  # 50 is more than 48
    assert clash((48.0, "more than"), (30.0, ""), 0.01)  # 30 is not
    assert clash((20.0, ""), (10.0, "up to"), 0.01)  # 20 exceeds "up to 10"
    assert not clash((8.0, ""), (10.0, "up to"), 0.01)
