from __future__ import annotations

from kg.ingest.read import normalise
from kg.ingest.segment import segment
from tests.conftest import SEEDS


def kinds(text: str) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start:b.end]) for b in segment(text)]


def test_headline_first_line_is_title() -> None:
    text = "Big Company Denies Report\nThe company said on Monday that the report was wrong."
    assert kinds(text)[0] == ("title", "Big Company Denies Report")


def test_body_first_line_is_not_title() -> None:
    text = "The government has ordered the blocking of two models.\nOfficials declined to comment on it."
    assert kinds(text)[0][0] == "paragraph"


def test_short_unpunctuated_line_is_heading() -> None:
    text = "Title Here\nHow we got here\nThe agency published its rules last year in a long report."
    assert ("heading", "How we got here") in kinds(text)


def test_read_more_and_language_picker_are_furniture() -> None:
    text = ("Headline\nThe regulator fined the firm ten million dollars last week.\n"
            ">📌 READ MORE: Coverage of the fine\nMore text follows here in a long sentence.\n"
            "Español\nEnglish\nFrançais")
    got = kinds(text)
    assert ("furniture", ">📌 READ MORE: Coverage of the fine") in got
    assert [k for k, t in got if t in ("Español", "English", "Français")] == ["furniture"] * 3


def test_tail_promo_block_after_source_line() -> None:
    text = ("Headline\nThe regulator fined the firm ten million dollars last week, officials said today.\n"
            "Source: Financial Times\nAI Benchmark\nCompare models: pricing and speed.")
    got = kinds(text)
    assert got[-3][0] == "citation"
    assert [k for k, _ in got[-2:]] == ["furniture", "furniture"]


def test_list_items_keep_text_without_marker_or_mangled_glyph() -> None:
    text = "Headline\nA long opening paragraph says something about the export ban today.\n- βUS export ban on models signals oversight of distribution"
    kind, body = kinds(text)[-1]
    assert kind == "item" and body.startswith("US export ban")


def test_seed_trailing_navigation_is_never_body() -> None:
    junk = {"Español", "English", "Français", "Português", "Deutsch", "Italiano", "AI Benchmark",
            "Learn by Doing", "Compare GPT, Claude, Gemini and more: pricing, speed and benchmarks.",
            "Guias de uso do Claude, API com Python, Projects e agentes autônomos.",
            "Source: Financial Times"}
    for path in sorted(SEEDS.glob("*.txt")):
        text = normalise(path.read_text(encoding="utf-8"))
        body = {text[b.start:b.end] for b in segment(text) if b.is_body}
        assert not body & junk, path.name
        assert not any("READ MORE" in t for t in body), path.name


OPENING = "Headline\nThe regulator fined the firm ten million dollars last week, officials said.\n"
FURNITURE = [
    "Photo by Jane Doe | Example Images",
    "Image credit: Example Agency",
    "The founder is seen at the company's office in the city (Photo: Jane Doe/Agency, File)",
    "Privacy matters more than profit, the founder wrote. pic.twitter.com/AbC123xyz",
    "— Jane Doe (@janedoe) July 8, 2025",
    "Sign up for our newsletter to get the latest updates",
    "Share this article",
    "Login or Sign Up to read and post a comment.",
    "0 Comments - Add comment",
    "Example News · with 0 comments",
    "Follow us on social media",
]
NOT_FURNITURE = [
    "The photo agency said its images were used without a licence by the firm.",
    "Shares of the company fell 5% after the report, traders said on Friday.",
    "The firm signed up more than a million users in its first month, it said.",
    "She commented on the ruling in a post on the platform on Tuesday evening.",
]


def test_page_furniture_lines_must_fire() -> None:
    for line in FURNITURE:
        text = OPENING + line + "\nThe fine is the largest the regulator has imposed so far, it added."
        assert ("furniture", line) in kinds(text), line


def test_page_furniture_must_not_fire_on_news_sentences() -> None:
    for line in NOT_FURNITURE:
        text = OPENING + line + "\nThe fine is the largest the regulator has imposed so far, it added."
        assert ("paragraph", line) in kinds(text), line
