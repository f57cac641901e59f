"""What a build reads (issue 21): only regular files, symlinks by rule, any file name, JSONL
split on newlines only.

- A file name whose bytes are not UTF-8 stopped the whole build (E999 when its cache entry
  was saved); it is now built, its name shown with ``\\xNN`` escapes.
- A symlink to ``/proc/self/environ`` was read (a "regular file" of size 0) and the
  environment landed in the graph; loops, dangling links, FIFOs and devices were silently
  ignored. Now: E114 / E115 each, the secret nowhere (``kg.ingest.files``, docs/input.md).
- JSONL was cut with ``str.splitlines()``, which also splits at U+2028, U+2029 and U+0085,
  legal raw inside a JSON string.

The build tests parse two seed articles with spaCy; the others read files only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.errors import InputError
from kg.ingest import read as ingest
from kg.store import load_corpus
from tests.conftest import ROOT, SEEDS

runner = CliRunner()
SENTENCE = "The agency fined the company 5 million dollars on Monday after a long review."
TWO_SEEDS = ("001_ee2cbb9e4f7dfe8c.txt", "003_d7726dfd9e2ab360.txt")


def _kg(*args: str) -> object:
    return runner.invoke(app, list(args))


def _codes(items: list[object]) -> dict[str, str]:
    """``{file name: error code or "read"}`` of what ``read_inputs`` gave."""
    out = {}
    for item in items:
        if isinstance(item, InputError):
            name = Path(str(item.fields.get("path", ""))).name
            out[name] = item.code.name
        else:
            out[Path(item.source).name] = "read"  # type: ignore[attr-defined]
    return out


# ---- 1. file names that are not UTF-8

@pytest.mark.parametrize("bad", [b"000\xe9.txt", b"zz\xe9t\xe9.txt"], ids=["sorts_first", "sorts_last"])
def test_file_name_that_is_not_utf8_is_built(tmp_path: Path, bad: bytes) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in TWO_SEEDS:
        shutil.copy(SEEDS / name, src / name)
    with open(os.path.join(os.fsencode(src), bad), "wb") as fh:
        fh.write(SENTENCE.encode())
    root = tmp_path / ".kg"
    first = _kg("build", str(src), "--store", str(root), "-f", "json", "-j", "1")
    assert first.exit_code == 0, first.output  # was 4: UnicodeEncodeError saving the cache entry
    assert json.loads(first.stdout)["articles"] == 3
    corpus = load_corpus(root)
    shown = bad.decode("utf-8", "backslashreplace")
    assert {Path(g.article.source).name for g in corpus.articles} == {*TWO_SEEDS, shown}
    assert corpus.analysis.propositions and corpus.analysis.flags, "the analysis was stored"
    again = _kg("build", str(src), "--store", str(root), "-f", "json", "-j", "1")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["unchanged"] == 3
    claims = _kg("claims", "--store", str(root), "-f", "json")
    assert claims.exit_code == 0, claims.output


def test_shown_keeps_utf8_names_and_escapes_other_bytes() -> None:
    from kg.ingest import files

    assert files.shown(Path("статья—ü 记事.txt")) == "статья—ü 记事.txt"
    assert files.shown(Path(os.fsdecode(b"/in/caf\xe9.txt"))) == "/in/caf\\xe9.txt"


def test_error_about_a_badly_named_file_prints(tmp_path: Path) -> None:
    """The error line and the JSON summary must not crash on the name either."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_bytes(SENTENCE.encode())
    with open(os.path.join(os.fsencode(src), b"empty\xff.txt"), "wb"):
        pass
    items = list(ingest.read_inputs([src]))
    assert _codes(items) == {"good.txt": "read", "empty\\xff.txt": "E101"}
    json.dumps([str(i) for i in items], ensure_ascii=False).encode("utf-8")


# ---- 3. symlinks, FIFOs, devices, /proc

SECRET = "kg-test-secret-4b1d"


def _hostile_folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / TWO_SEEDS[1], src / "good.txt")
    (tmp_path / "outside.txt").write_bytes(SENTENCE.encode())
    (src / "env.txt").symlink_to("/proc/self/environ")
    (src / "loop.txt").symlink_to("loop.txt")
    (src / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (src / "zero.txt").symlink_to("/dev/zero")
    (src / "linked.txt").symlink_to(tmp_path / "outside.txt")
    (src / "tmpdir").symlink_to(tmp_path)
    os.mkfifo(src / "pipe.txt")
    return src


def test_special_files_and_symlinks_in_a_folder(tmp_path: Path) -> None:
    src = _hostile_folder(tmp_path)
    assert _codes(list(ingest.read_inputs([src]))) == {
        "good.txt": "read", "env.txt": "E115", "loop.txt": "E115", "dangling.txt": "E115",
        "zero.txt": "E115", "linked.txt": "E115", "tmpdir": "E115", "pipe.txt": "E114"}


def test_follow_symlinks_reads_only_regular_files_outside_the_system(tmp_path: Path) -> None:
    src = _hostile_folder(tmp_path)
    items = list(ingest.read_inputs([src], follow_symlinks=True))
    assert _codes(items) == {
        "good.txt": "read", "linked.txt": "read", "env.txt": "E115", "loop.txt": "E114",
        "dangling.txt": "E115", "zero.txt": "E115", "tmpdir": "E115", "pipe.txt": "E114"}
    why = {Path(str(i.fields["path"])).name: str(i) for i in items if isinstance(i, InputError)}
    assert "/proc, /sys or /dev" in why["env.txt"] and "/proc, /sys or /dev" in why["zero.txt"]
    assert "points to nothing" in why["dangling.txt"] and "symlink loop" in why["loop.txt"]
    assert "FIFO" in why["pipe.txt"]


def test_paths_named_on_the_command_line(tmp_path: Path) -> None:
    """A named symlink is followed, by the same rule; a named FIFO is E114, not "missing"."""
    src = _hostile_folder(tmp_path)
    named = [src / n for n in ("env.txt", "zero.txt", "pipe.txt", "loop.txt", "linked.txt", "dangling.txt")]
    assert _codes(list(ingest.read_inputs(named))) == {
        "env.txt": "E115", "zero.txt": "E115", "pipe.txt": "E114", "loop.txt": "E114",
        "linked.txt": "read", "dangling.txt": "E109"}


def test_nothing_under_proc_is_read_even_as_a_regular_file() -> None:
    """/proc/self/environ is a regular file of size 0 holding the environment: the open
    descriptor's file system says no, whatever the path looks like."""
    from kg.ingest import files

    with pytest.raises(InputError) as err:
        files.read_regular(Path("/proc/self/environ"), 1000, "KG_MAX_BYTES")
    assert err.value.code.name == "E115"


def test_size_cap_holds_on_the_bytes_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose stat says 0 bytes (as /proc's do) is still capped on what it holds."""
    big = tmp_path / "big.txt"
    big.write_bytes((SENTENCE + "\n").encode() * 100)
    ino = os.stat(big).st_ino
    real_stat, real_fstat = os.stat, os.fstat

    def zero(st: os.stat_result) -> os.stat_result:
        if st.st_ino != ino:
            return st
        fields = list(st)
        fields[6] = 0  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", lambda *a, **k: zero(real_stat(*a, **k)))
    monkeypatch.setattr(os, "fstat", lambda fd: zero(real_fstat(fd)))
    monkeypatch.setattr(ingest, "MAX_BYTES", 1000)
    [item] = list(ingest.read_file(big))
    assert isinstance(item, InputError) and item.code.name == "E106", item
    assert "over 1000 bytes" in str(item)


def test_proc_environ_never_reaches_the_store(tmp_path: Path) -> None:
    """End to end, in a fresh process whose environment holds a password."""
    src = _hostile_folder(tmp_path)
    root = tmp_path / ".kg"
    env = {**os.environ, "KG_NEO4J_PASSWORD": SECRET, "PYTHONPATH": str(ROOT)}
    for extra in ([], ["--follow-symlinks"]):
        out = subprocess.run([sys.executable, "-c", "from kg.cli.main import app; app()", "build", str(src),
                              "--store", str(root), "-f", "json", "-j", "1", *extra],
                             capture_output=True, text=True, env=env, timeout=600)
        assert out.returncode == 2, out.stderr
        summary = json.loads(out.stdout)
        assert summary["articles"] == (2 if extra else 1)
        assert {s["code"] for s in summary["skipped"]} == {"E114", "E115"}
        assert "Traceback" not in out.stderr
    dump = _kg("export", "--format", "nquads", "--store", str(root))
    assert dump.exit_code == 0
    assert SECRET not in dump.stdout and "KG_NEO4J_PASSWORD" not in dump.stdout
    for path in root.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


# ---- 4. JSONL records are split on "\n" only

def test_jsonl_keeps_unicode_line_separators_inside_strings(tmp_path: Path) -> None:
    records = [{"text": "The agency fined\u2028the company on Monday."},
               {"text": "Officials said\u2029the ban was final."},
               {"text": "It said \u0085 the ban was final, the ministry said."}]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    body = lines[0] + "\r\n" + lines[1] + "\n" + lines[2] + "\n{broken\n\n" + json.dumps({"text": SENTENCE}) + "\n"
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(body.encode("utf-8"))
    items = list(ingest.read_file(feed))
    errors = [(i.code.name, i.fields["line"]) for i in items if isinstance(i, InputError)]
    assert errors == [("E104", 4)]
    arts = [i for i in items if isinstance(i, ingest.RawArticle)]
    assert [a.source.rsplit(":", 1)[1] for a in arts] == ["1", "2", "3", "6"]
    assert "\u2028" in arts[0].text and "\u2029" in arts[1].text
    assert [line for _, line in ingest.records("a\u2028b\r\nc\x85d\n")] == ["a\u2028b", "c\x85d", ""]
