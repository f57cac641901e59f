"""Read input files into normalised article snapshots.

Supported: ``.txt``, ``.md``, ``.html``/``.htm`` (main text by trafilatura) and
``.jsonl`` (one article a line). A problem with one input is yielded as an
``InputError`` and never stops the others. Which files are read, and how they are opened
(regular files only, symlinks, ``/proc``), is ``kg.ingest.files``.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import E, InputError
from kg.ingest.files import FOLLOW_HINT, named_or_walked, read_regular, shown
from kg.model import short_hash

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
MANIFEST_NAMES = {"manifest.json", "kg-manifest.json"}

#: bytes a .txt/.md/.html file may have; checked with fstat() before reading, so an
#: oversized file is refused at once (trafilatura has no cap of its own), and again on the
#: bytes read (a file under /proc says 0 bytes and holds more). spaCy's own
#: limit is 1,000,000 characters; we chunk below that (see nlp.py)
MAX_BYTES = int(os.environ.get("KG_MAX_BYTES", str(10 * 1024 * 1024)))
#: bytes a .jsonl feed may have (each record is still capped at MAX_CHARS)
MAX_JSONL_BYTES = int(os.environ.get("KG_MAX_JSONL_BYTES", str(256 * 1024 * 1024)))
#: characters of normalised text an article may have: 1,000,000 characters build (chunked)
#: in about a minute of CPU and 1.1 GB peak on 2 cores; 2,000,000 bounds one article at
#: about two minutes (docs/hardening.md)
MAX_CHARS = int(os.environ.get("KG_MAX_CHARS", str(2_000_000)))

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff]")
_TRAILING_WS = re.compile(r"[ \t]+\n")


@dataclass(frozen=True, slots=True)
class RawArticle:
    """A normalised article before NLP; ``id`` is the hash of ``text``."""

    id: str
    text: str
    source: str
    url: str | None = None
    publisher: str | None = None
    published: str | None = None
    title: str | None = None


def normalise(text: str) -> str:
    """NFC, ``\\n`` newlines, no control characters, no trailing blanks; stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # controls out first: NFC after, so a removed NUL cannot leave "e" + U+0301 uncomposed
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    text = _TRAILING_WS.sub("\n", text)
    return text.strip()


def article_id(text: str) -> str:
    return short_hash(text)


def discover(paths: Iterable[Path], follow_symlinks: bool = False) -> Iterator[Path | InputError]:
    """Files to ingest, folders walked in sorted order; missing paths, things that are not
    regular files and symlinks not followed are errors (``kg.ingest.files``)."""
    return named_or_walked(paths, SUPPORTED, follow_symlinks)


def _looks_binary(head: bytes) -> bool:
    """Over 10% control bytes, or bytes that are not UTF-8: binary. A stray NUL in text is not."""
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if control * 10 > len(head):
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.start < len(head) - 3  # a character cut at the 8 KiB edge is fine
    return False


def decode(data: bytes, path: Path | str) -> str:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16/32; anything else is an error."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                raise InputError(E.E103, path=path, detail=f"bad {codec}: {err.reason}") from err
    head = data[:8192]
    if b"\x00" in head and _looks_binary(head):
        raise InputError(E.E102, path=path, detail="NUL bytes in the first 8 KiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        detail = f"not UTF-8 at byte {err.start}: {data[err.start:err.start + 4]!r}"
        raise InputError(E.E103, path=path, detail=detail) from err


def _html_text(html: str, path: str) -> tuple[str, str | None]:
    import trafilatura  # heavy: imported only when an HTML file arrives

    doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=False,
                                      with_metadata=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError(E.E107, path=path, detail="extractor returned nothing")
    title = getattr(doc, "title", None)
    return (f"{title}\n{text}" if title else text), title


def _finish(text: str, label: str, meta: dict[str, str | None]) -> RawArticle:
    text = normalise(text)
    if not text:
        raise InputError(E.E101, path=label)
    if len(text) > MAX_CHARS:
        raise InputError(E.E106, path=label, size=len(text), cap=MAX_CHARS, unit="characters",
                         env="KG_MAX_CHARS")
    return RawArticle(id=article_id(text), text=text, source=label,
                      url=meta.get("url"), publisher=meta.get("publisher"),
                      published=meta.get("published"), title=meta.get("title"))


def records(body: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of a JSONL body, split on ``\n`` only (a ``\r`` before it is
    dropped). Not ``str.splitlines()``: it also splits at U+2028, U+2029, U+0085 and other
    separators that JSON allows raw inside a string, which cut a valid record in two and
    numbered lines the file does not have."""
    for lineno, line in enumerate(body.split("\n"), start=1):
        yield lineno, line.removesuffix("\r")


def _jsonl(body: str, path: str, meta: dict[str, str | None]) -> Iterator[RawArticle | InputError]:
    for lineno, line in records(body):
        if not line.strip():
            continue
        label = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield InputError(E.E104, path=path, line=lineno, detail=err.msg)
            continue
        except RecursionError:  # [[[[... thousands deep: not an article, and not a crash
            yield InputError(E.E104, path=path, line=lineno, detail="nested too deeply")
            continue
        if not isinstance(record, dict):
            yield InputError(E.E104, path=path, line=lineno, detail="not an object")
            continue
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            yield InputError(E.E105, path=path, line=lineno)
            continue
        fields = {k: (str(record[k]) if record.get(k) is not None else meta.get(k))
                  for k in ("url", "publisher", "published", "title")}
        try:
            yield _finish(text, label, fields)
        except InputError as err:
            yield err


def read_file(path: Path, meta: dict[str, str | None] | None = None) -> Iterator[RawArticle | InputError]:
    """Every article in one file (one, or many for JSONL), or the errors met. The file's
    name is kept as ``shown(path)``: the same text unless its bytes are not UTF-8."""
    meta = meta or {}
    label = shown(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield InputError(E.E108, path=label, suffix=suffix or "(none)")
        return
    jsonl = suffix in JSONL_SUFFIXES
    try:
        data = read_regular(path, MAX_JSONL_BYTES if jsonl else MAX_BYTES,
                            "KG_MAX_JSONL_BYTES" if jsonl else "KG_MAX_BYTES")
        if not data.strip():
            raise InputError(E.E101, path=label)
        body = decode(data, label)
        if jsonl:
            yield from _jsonl(body, label, meta)
            return
        if suffix in HTML_SUFFIXES:
            body, title = _html_text(body, label)
            meta = {**meta, "title": meta.get("title") or title}
        yield _finish(body, label, meta)
    except InputError as err:
        yield err


def load_manifest(path: Path) -> dict[str, dict[str, str | None]]:
    """``{file name: {url, publisher, published, title}}`` from a JSON manifest (read as
    any input is: a regular file, at most ``MAX_BYTES``)."""
    label = shown(path)
    try:
        data = json.loads(read_regular(path, MAX_BYTES, "KG_MAX_BYTES").decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(E.E111, path=label, detail=str(err)) from err
    except RecursionError as err:
        raise InputError(E.E111, path=label, detail="nested too deeply") from err
    entries = data.get("articles", data) if isinstance(data, dict) else None
    if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
        raise InputError(E.E111, path=label, detail="expected {\"file name\": {\"url\": ...}}")
    return {str(k): {f: (str(v[f]) if v.get(f) is not None else None)
                     for f in ("url", "publisher", "published", "title")}
            for k, v in entries.items()}


def read_inputs(paths: Iterable[Path], manifest: Path | None = None,
                follow_symlinks: bool = False) -> Iterator[RawArticle | InputError]:
    """All articles under ``paths``; duplicates (same normalised text) become E110 errors.
    Symlinks inside folders are followed only with ``follow_symlinks`` (``kg.ingest.files``)."""
    paths = list(paths)
    meta: dict[str, dict[str, str | None]] = {}
    manifests = [manifest] if manifest else [
        p / name for p in paths if p.is_dir() for name in MANIFEST_NAMES if (p / name).is_file()]
    for m in manifests:
        if m != manifest and m.is_symlink() and not follow_symlinks:
            yield InputError(E.E115, path=shown(m), target=shown(os.path.realpath(m)),
                             why=f"it lies inside an input folder; {FOLLOW_HINT}")
            continue
        try:
            meta.update(load_manifest(m))
        except InputError as err:
            yield err
    seen: dict[str, str] = {}
    for item in discover(paths, follow_symlinks):
        if isinstance(item, InputError):
            yield item
            continue
        if item.name in MANIFEST_NAMES:
            continue
        for art in read_file(item, meta.get(item.name) or meta.get(str(item))):
            if isinstance(art, RawArticle):
                if art.id in seen:
                    yield InputError(E.E110, path=art.source, other=seen[art.id], article=art.id)
                    continue
                seen[art.id] = art.source
            yield art


def read_all(paths: Iterable[Path], manifest: Path | None, follow_symlinks: bool,
             errors: list[InputError]) -> list[RawArticle]:
    """The articles under ``paths``, read and normalised; an unreadable input is added to
    ``errors`` (reported, not built), never raised."""
    raws = []
    for item in read_inputs(list(paths), manifest, follow_symlinks):
        if isinstance(item, InputError):
            errors.append(item)
        else:
            raws.append(item)
    return raws
