"""Hostile and broken inputs (issue 8): each one is built beside one good article.

For every case: the bad input gives a one-line error naming the file with its code
from ``kg/errors.py`` and the documented exit code (2 for input errors, 0 when it
is accepted), the good article is still built, and every claim span is exact
(``article.text[c.start:c.end] == c.text``). The table of cases and their errors
is in docs/hardening.md.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.ingest import read as ingest
from kg.model import Corpus
from kg.nlp import parse as nlp
from kg.store import load_corpus
from tests.conftest import SEEDS

runner = CliRunner()
GOOD = SEEDS / "003_d7726dfd9e2ab360.txt"
GOOD_ID = ingest.article_id(ingest.normalise(GOOD.read_text(encoding="utf-8")))
SENTENCE = "The agency fined the company 5 million dollars on Monday after a long review."


@dataclass
class Built:
    exit_code: int
    summary: dict[str, Any]
    stderr: str
    corpus: Corpus | None
    src: Path
    root: Path

    @property
    def codes(self) -> list[str]:
        return sorted(s["code"] for s in self.summary["skipped"])

    def article_from(self, name: str) -> Any:
        """The article graph whose source path ends with ``name``."""
        assert self.corpus is not None
        hits = [g for g in self.corpus.articles if g.article.source.endswith(name)]
        assert len(hits) == 1, [g.article.source for g in self.corpus.articles]
        return hits[0]


def build_dir(tmp_path: Path, files: dict[str, bytes], args: list[str] | None = None,
              paths: list[str] | None = None, good: bool = True) -> Built:
    """Write ``files`` and the good article into one folder and run ``kg build`` on it."""
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    if good:
        shutil.copy(GOOD, src / "good.txt")
    for name, data in files.items():
        p = src / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    root = tmp_path / ".kg"
    result = runner.invoke(app, ["build", *(paths or [str(src)]), "--store", str(root), "-f", "json",
                                 *(args or [])])
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.stderr)
    summary = json.loads(result.stdout)
    corpus = load_corpus(root) if summary["articles"] else None
    return Built(result.exit_code, summary, result.stderr, corpus, src, root)


def check_invariants(b: Built, expected_codes: list[str], names: list[str]) -> None:
    """Exit code, codes, one line per error naming the file, good article built, exact spans."""
    assert b.codes == sorted(expected_codes), b.summary["skipped"]
    assert b.exit_code == (2 if expected_codes else 0), b.stderr
    lines = [ln for ln in b.stderr.splitlines() if ln.startswith("kg: [")]
    assert len(lines) == len(expected_codes), b.stderr
    assert "Traceback" not in b.stderr
    for s in b.summary["skipped"]:
        assert "\n" not in s["message"], s
        assert s["message"].startswith(f"[{s['code']}] "), s
        assert any(n in s["message"] for n in names), (s, names)
    assert b.corpus is not None
    ids = {g.article.id for g in b.corpus.articles}
    assert GOOD_ID in ids, "the good article was lost"
    good = next(g for g in b.corpus.articles if g.article.id == GOOD_ID)
    assert good.claims
    for g in b.corpus.articles:
        for c in g.claims:
            assert g.article.text[c.start:c.end] == c.text, (g.article.source, c.start, c.end)
            assert c.start < c.end


@dataclass
class Case:
    name: str
    files: dict[str, bytes]
    codes: list[str]
    articles: int  # articles in the store afterwards (the good one included)
    check: Callable[[Built], None] | None = None
    names: list[str] = field(default_factory=list)


def _html(body: str, head: str = "") -> bytes:
    return f"<!doctype html><html><head><title>Ban news</title>{head}</head><body>{body}</body></html>".encode()


def _no_claim_contains(name: str, *needles: str) -> Callable[[Built], None]:
    def check(b: Built) -> None:
        g = b.article_from(name)
        assert g.claims, "the page's paragraphs should give claims"
        assert not any(n in g.article.text for n in needles), g.article.text
        assert b.corpus is not None
        for c in b.corpus.claims():
            assert not any(n in c.text for n in needles), c.text
    return check


def _text_of(name: str, want: Callable[[str], bool], claims: bool = True) -> Callable[[Built], None]:
    def check(b: Built) -> None:
        g = b.article_from(name)
        assert want(g.article.text), g.article.text[:200]
        if claims:
            assert g.claims, "the accepted article gave no claim"
    return check


def _md_check(b: Built) -> None:
    g = b.article_from("notes.md")
    texts = [c.text for c in g.claims]
    assert texts, "the body sentence should give a claim"
    for t in texts:
        assert "#" not in t and not t.startswith(("Background", "Why it matters")), t


def _jsonl_lines(b: Built) -> None:
    lines = sorted((s["code"], s["message"].split(": line ")[1].split()[0]) for s in b.summary["skipped"])
    assert lines == [("E104", "2"), ("E104", "4"), ("E105", "3"), ("E105", "7")], lines
    assert b.corpus is not None
    assert {g.article.source.rsplit(":", 1)[1] for g in b.corpus.articles if ".jsonl" in g.article.source} \
        == {"1", "6"}


_rng = random.Random(8)
_RANDOM = bytes(_rng.randrange(256) for _ in range(4096))
_HIGH = bytes(_rng.randrange(128, 256) for _ in range(4096))
_SCRIPTED = _html(
    "<article><h1>Ban news</h1>"
    f"<p>{SENTENCE}</p>"
    "<script>var claim = 'The government has banned every AI model in the country.';</script>"
    "<p>Officials said the decision was final and would not be appealed by the ministry this year.</p>"
    "<noscript>The president has resigned from office today.</noscript>"
    "</article>",
    head="<style>p { color: red } .claim::after { content: 'Regulators approved the merger.' }</style>"
         "<script>document.title = 'The court has ordered the shutdown of the service.';</script>")
_DEEP = _html("<div>" * 300 + f"<p>{SENTENCE} The ban was imposed by regulators after a review.</p>" + "</div>" * 300)
_JSONL = "\n".join([
    json.dumps({"text": SENTENCE, "publisher": "Wire A"}),
    "{not json",
    json.dumps({"title": "no text here"}),
    json.dumps(["a", "list"]),
    "",
    json.dumps({"text": "The ministry announced a new fine against the firm on Tuesday, officials said."}),
    json.dumps({"text": "   "}),
]).encode()

CASES = [
    Case("empty", {"empty.txt": b""}, ["E101"], 1),
    Case("whitespace_only", {"blank.txt": b" \t\n\r\n   \n\xc2\xa0\n"}, ["E101"], 1),
    Case("binary_with_nul", {"image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _RANDOM}, ["E102"], 1),
    Case("binary_no_nul", {"blob.txt": _HIGH}, ["E103"], 1),
    Case("binary_as_html", {"page.html": b"\x00\x01\x02\x03" * 500}, ["E102"], 1),
    Case("latin1", {"latin1.txt": "Le caf\xe9 est ferm\xe9 depuis longtemps, a dit le ministre.".encode("latin-1")},
         ["E103"], 1),
    Case("cp1252_smart_quotes", {"cp1252.txt": b"\x93The agency fined the company,\x94 officials said \x96 twice."},
         ["E103"], 1),
    Case("utf16_le_bom", {"utf16.txt": SENTENCE.encode("utf-16")}, [], 2,
         _text_of("utf16.txt", lambda t: t == SENTENCE)),
    Case("utf16_be_bom", {"utf16be.txt": codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be")}, [], 2,
         _text_of("utf16be.txt", lambda t: t == SENTENCE)),
    Case("utf32_bom", {"utf32.txt": SENTENCE.encode("utf-32")}, [], 2,
         _text_of("utf32.txt", lambda t: t == SENTENCE)),
    Case("utf16_lone_surrogate", {"surrogate.txt": codecs.BOM_UTF16_LE + b"A\x00\x00\xd8B\x00"}, ["E103"], 1),
    Case("utf8_bom", {"bom.txt": codecs.BOM_UTF8 + SENTENCE.encode()}, [], 2,
         _text_of("bom.txt", lambda t: t == SENTENCE)),
    Case("nul_and_controls", {"ctl.txt": b"The agency\x00 fined\x07 the company\x1b on Monday.\x0b"
                                         b"\r\nIt said\x7f the ban\xc2\x85 was final\x08 and binding.\r\n"}, [], 2,
         _text_of("ctl.txt", lambda t: t == "The agency fined the company on Monday.\n"
                                           "It said the ban was final and binding.")),
    Case("rtl_and_emoji", {"rtl.txt": ("The agency 🚀 fined שלום the company 5 million dollars on Monday, "
                                       "said مرحبا officials 👍🏽. The ban 🇪🇺 is final, ‮the court‬ said.\n"
                                       "Reuters reported that 👨‍👩‍👧 families were affected.").encode()}, [], 2,
         _text_of("rtl.txt", lambda t: "🚀" in t and "👍🏽" in t)),
    Case("combining_zalgo", {"zalgo.txt": ("The age\u0301\u0300\u0302ncy fi\u0336ned the company on Monday. "
                                           "Cafe\u0301 owners said the ban was final.").encode()}, [], 2,
         _text_of("zalgo.txt", lambda t: "Café" in t)),
    Case("odd_whitespace", {"ws.txt": ("The agency\u00a0fined\u2009the company on Monday.\u2028"
                                       "It said\tthe ban was final.\r\rOfficials agreed.\f").encode()}, [], 2,
         _text_of("ws.txt", lambda t: "\r" not in t and "\f" not in t)),
    Case("html_scripts_and_styles", {"scripted.html": _SCRIPTED}, [], 2,
         _no_claim_contains("scripted.html", "banned every AI model", "shutdown of the service", "approved the merger",
                            "color", "var claim", "document.title")),
    Case("html_300_nested_divs", {"deep.html": _DEEP}, ["E107"], 1),
    Case("html_text_only_in_script", {"scripted-only.html": _html(
        f"<script>document.write('{SENTENCE} It was big news for everyone involved in the case.');</script>")},
        ["E107"], 1),
    Case("html_entity_expansion", {"laughs.html": (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 8))
        + "]><html><body><p>&lol7;</p></body></html>").encode()}, ["E107"], 1),
    Case("html_empty_body", {"blank.html": _html("")}, ["E107"], 1),
    Case("jsonl_malformed_lines", {"feed.jsonl": _JSONL}, ["E104", "E104", "E105", "E105"], 3,
         _jsonl_lines, names=["feed.jsonl"]),
    Case("jsonl_nested_too_deeply", {"deep.jsonl": b"[" * 100_000 + b"]" * 100_000 + b"\n"
                                      + json.dumps({"text": SENTENCE}).encode() + b"\n"},
         ["E104"], 2),
    Case("xhtml_with_xml_declaration", {"page.xhtml": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        f"<title>T</title></head><body><article><p>{SENTENCE}</p><p>Officials said the decision was final "
        "and would not be appealed by the ministry this year.</p></article></body></html>").encode()}, [], 2),
    Case("html_comments_and_cdata", {"commented.html": _html(
        f"<!-- The president has resigned from office. --><article><p>{SENTENCE}</p>"
        "<p>Officials said the decision was final and would not be appealed by the ministry this year.</p>"
        "<![CDATA[ The court has closed the company for good. ]]></article>")}, [], 2,
         _no_claim_contains("commented.html", "president has resigned", "closed the company")),
    Case("jsonl_with_bom", {"bom.jsonl": codecs.BOM_UTF8 + json.dumps({"text": SENTENCE}).encode()}, [], 2),
    Case("duplicate_under_other_name", {"copy of good.txt": GOOD.read_bytes(),
                                        "sub/again.md": GOOD.read_bytes().replace(b"\n", b"\r\n")},
         ["E110", "E110"], 1, names=["copy of good.txt", "again.md"]),
    Case("quotes_braces_backslashes", {"quotes.txt": (
        b'The agency said "fines {are} final \\" and \'\'\' <x> """ ; @prefix : <a> . } { \\u0000 \\n '
        b"^^<http://x> _:b0 @en.\nThe company was fined 5 million dollars by the agency on Monday, "
        b'officials said: "It\'s {final}\\\\".\n')}, [], 2, names=["quotes.txt"]),
    Case("markdown_headings", {"notes.md": (
        f"# Ban news of the week\n\n## Background\n\n{SENTENCE}\n\n### Why it matters\n\n"
        "- The ministry announced a new fine against the firm on Tuesday.\n").encode()}, [], 2, _md_check),
    Case("only_headings", {"heads.md": b"# Title\n\n## Section one\n\n## Section two\n\n### More\n"}, ["E112"], 1),
    Case("only_punctuation", {"punct.txt": b"!!!! ??? ...\n\n----\n***\n"}, ["E112"], 1),
    Case("unsupported_suffix_in_folder_ignored", {"report.pdf": b"%PDF-1.4", "data.json": b"{}"}, [], 1),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(tmp_path: Path, case: Case) -> None:
    b = build_dir(tmp_path, case.files)
    names = case.names or [Path(n).name for n in case.files]
    check_invariants(b, case.codes, names)
    assert b.summary["articles"] == case.articles, b.summary
    if case.check:
        case.check(b)


def test_twenty_megabyte_article_is_refused_before_reading(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    big = src / "huge.txt"
    with big.open("wb") as fh:
        line = (SENTENCE + " ").encode() * 100 + b"\n"
        while fh.tell() < 20 * 1024 * 1024:
            fh.write(line)
    before = nlp.PARSES
    b = build_dir(tmp_path, {})
    check_invariants(b, ["E106"], ["huge.txt"])
    assert "exceeds the input cap" in b.summary["skipped"][0]["message"]
    # the good article is a dozen pieces; 20 MB of text would be over a thousand
    assert nlp.PARSES - before < 100, "the 20 MB file must not reach spaCy"


def test_article_over_the_character_cap_is_a_clear_error(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1,000,000+ character article passes the byte cap (it is about 1 MB) but not the
    character cap. The default cap (KG_MAX_CHARS, 2,000,000) builds it by chunking; that
    takes minutes on this machine (measured in benchmarks/RESULTS.md), so here the cap is
    lowered to show the error, and test_long_article_is_chunked_with_exact_spans builds a
    chunked one."""
    monkeypatch.setattr(ingest, "MAX_CHARS", 500_000)
    text = ((SENTENCE + " ") * 20 + "\n\n") * 700
    assert len(text) > 1_000_000
    b = build_dir(tmp_path, {"million.txt": text.encode()})
    check_invariants(b, ["E106"], ["million.txt"])
    assert "500000" in b.summary["skipped"][0]["message"]


def test_long_article_is_chunked_with_exact_spans(tmp_path: Path) -> None:
    """An article over nlp.CHUNK_CHARS is parsed in pieces; offsets map back exactly."""
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    text = (text + "\n\nThe agency fined the company " * 1)[: nlp.CHUNK_CHARS * 2 + 777]
    b = build_dir(tmp_path, {"long.txt": text.encode()})
    check_invariants(b, [], [])
    g = b.article_from("long.txt")
    assert len(g.article.text) > nlp.CHUNK_CHARS * 2
    assert max(c.end for c in g.claims) > nlp.CHUNK_CHARS * 2 - 5000, "claims past the first chunks"


def test_fifty_thousand_character_sentence(tmp_path: Path) -> None:
    sentence = "The agency said that " + "the company and its partners, " * 1700 + "were fined."
    assert len(sentence) > 50_000
    b = build_dir(tmp_path, {"sentence.txt": sentence.encode()})
    check_invariants(b, [], [])
    g = b.article_from("sentence.txt")
    assert g.article.text == sentence


def test_very_long_line_without_punctuation(tmp_path: Path) -> None:
    line = " ".join(f"word{i % 97}" for i in range(6000))
    b = build_dir(tmp_path, {"noperiod.txt": line.encode()})
    check_invariants(b, [], [])
    b.article_from("noperiod.txt")


ODD_NAMES = ["my article (final) v2.txt", "статья—ü 记事.txt", "new\nline.txt", "-rf.txt",
             "..%2F..%2Fetc.txt", "semi;colon $HOME `x`.txt", ".hidden.txt"]


@pytest.mark.parametrize("name", ODD_NAMES, ids=["spaces", "unicode", "newline", "leading_dash",
                                                 "encoded_traversal", "shell_chars", "hidden"])
def test_odd_file_names_are_built(tmp_path: Path, name: str) -> None:
    b = build_dir(tmp_path, {name: SENTENCE.encode()})
    check_invariants(b, [], [])
    g = b.article_from(name)
    assert g.claims
    assert (b.src / name).resolve() == Path(g.article.source).resolve()
    assert not (tmp_path.parent / "etc.txt").exists()


def test_leading_dash_name_given_explicitly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``kg build -- -rf.txt`` (after ``--``) is a file, not an option."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "-rf.txt").write_bytes(SENTENCE.encode())
    shutil.copy(GOOD, src / "good.txt")
    monkeypatch.chdir(src)
    result = runner.invoke(app, ["build", "--store", str(tmp_path / ".kg"), "-f", "json", "--", "-rf.txt",
                                 "good.txt"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles"] == 2


def test_dot_dot_path_that_resolves(tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "story.txt").write_bytes(SENTENCE.encode())
    via = str(tmp_path / "in" / "sub" / ".." / "story.txt")
    b = build_dir(tmp_path, {}, paths=[via, str(tmp_path / "in" / "good.txt")])
    check_invariants(b, [], [])
    assert b.summary["articles"] == 2


def test_unsupported_suffix_given_explicitly(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "paper.pdf").write_bytes(b"%PDF-1.4\n")
    (src / "noext").write_bytes(SENTENCE.encode())
    b = build_dir(tmp_path, {}, paths=[str(src / "paper.pdf"), str(src / "noext"), str(src / "good.txt")])
    check_invariants(b, ["E108", "E108"], ["paper.pdf", "noext"])
    assert "'.pdf'" in b.stderr and "'(none)'" in b.stderr


def test_missing_path(tmp_path: Path) -> None:
    b = build_dir(tmp_path, {}, paths=[str(tmp_path / "nope.txt"), str(tmp_path / "in")])
    check_invariants(b, ["E109"], ["nope.txt"])


def test_broken_symlink_given_explicitly(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    b = build_dir(tmp_path, {}, paths=[str(tmp_path / "in" / "dangling.txt"), str(tmp_path / "in")])
    # named: "no such file" (E109); met again inside the folder: a link not followed (E115)
    check_invariants(b, ["E109", "E115"], ["dangling.txt"])


def test_folder_without_supported_files(tmp_path: Path) -> None:
    other = tmp_path / "pdfs"
    other.mkdir()
    (other / "a.pdf").write_bytes(b"%PDF")
    (other / "manifest.json").write_text("{}", encoding="utf-8")
    b = build_dir(tmp_path, {}, paths=[str(other), str(tmp_path / "in")])
    check_invariants(b, ["E208"], ["pdfs"])


def test_unreadable_file_chmod(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads chmod 000 files; test_unreadable_file_simulated covers E113")
    src = tmp_path / "in"
    src.mkdir()
    locked = src / "locked.txt"
    locked.write_bytes(SENTENCE.encode())
    locked.chmod(0)
    try:
        b = build_dir(tmp_path, {})
    finally:
        locked.chmod(0o644)
    check_invariants(b, ["E113"], ["locked.txt"])


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.open

    def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.fspath(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    b = build_dir(tmp_path, {"locked.txt": SENTENCE.encode()})
    check_invariants(b, ["E113"], ["locked.txt"])
    assert "Permission denied" in b.stderr


@pytest.mark.parametrize("manifest", [b"{not json", b"[1, 2]", b'{"good.txt": "not an object"}',
                                      b"\xff\xfe\x00garbage", b"[" * 100_000 + b"]" * 100_000],
                         ids=["syntax", "list", "wrong_shape", "undecodable", "nested_too_deeply"])
def test_malformed_manifest(tmp_path: Path, manifest: bytes) -> None:
    b = build_dir(tmp_path, {"manifest.json": manifest})
    check_invariants(b, ["E111"], ["manifest.json"])
    assert b.summary["articles"] == 1


def test_malformed_manifest_given_with_option(tmp_path: Path) -> None:
    (tmp_path / "meta.json").write_bytes(b'{"a": ')
    b = build_dir(tmp_path, {}, args=["--manifest", str(tmp_path / "meta.json")])
    check_invariants(b, ["E111"], ["meta.json"])


def test_rdf_export_of_hostile_text_parses(tmp_path: Path) -> None:
    """Quotes, braces, backslashes, RTL, NUL and newlines in names survive TriG and N-Quads."""
    from rdflib import Dataset

    nasty = ('The agency said "fines {are} final \\" and \'\'\' <x> """ } { \\u0000 \\n ^^<http://x> _:b0 '
             "@en.\nThe company \u202ewas\u202c fined 5 million dollars by the agency on Monday, "
             'officials said: "It\'s {final}\\\\" 🚀.\n')
    b = build_dir(tmp_path, {"quo\"te {x}\\.txt": nasty.encode(), "new\nline.txt": SENTENCE.encode()})
    check_invariants(b, [], [])
    for fmt, rdflib_fmt in (("trig", "trig"), ("nquads", "nquads")):
        result = runner.invoke(app, ["export", "--format", fmt, "--store", str(b.root)])
        assert result.exit_code == 0, result.output
        ds = Dataset()
        ds.parse(data=io.BytesIO(result.stdout_bytes).read(), format=rdflib_fmt)
        texts = {str(o) for _, _, o, _ in ds.quads((None, None, None, None))}
        assert any("{final}" in t for t in texts), fmt
        assert any(t.endswith("new\nline.txt") for t in texts), fmt
