"""Sentence similarity with WordLlama, fully offline.

The model ships inside the ``wordllama`` package (weights in ``wordllama/weights/``,
tokenizer config in ``wordllama/tokenizers/``), but the package looks the tokenizer
up in a ``tokenizer/`` folder that does not exist and would then try to download it.
So the tokenizer config is linked (symlink, or a copy where links are not possible)
into our own cache dir, ``$KG_CACHE_DIR/wordllama`` or else
``$XDG_CACHE_HOME/kg/wordllama`` or ``~/.cache/kg/wordllama``, created on first use,
and the model is loaded with ``disable_download=True``: it never touches the network.

Similarity is the cosine of WordLlama embeddings (roughly 0 to 1 for English
sentences). The model is loaded once per process. It is only ever a *signal*:
``kg.analysis.propositions`` and ``kg.analysis.conflicts`` use it to filter and rank candidates that
their rules have already matched, never to merge claims on its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import zipfile
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import codec
from kg.errors import E, KGError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

CONFIG = "l2_supercat"
DIM = 256
TOKENIZER = f"{CONFIG}_tokenizer_config.json"

#: scores a pair of texts; what the analysis modules take (tests pass a stub)
Scorer = Callable[[str, str], float]


def cache_dir() -> Path:
    """Where the tokenizer link lives: ``$KG_CACHE_DIR/wordllama``, else the user cache dir."""
    env = os.environ.get("KG_CACHE_DIR")
    if env:
        return Path(env).expanduser() / "wordllama"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "kg" / "wordllama"


def _prepare(root: Path, package: Path) -> None:
    """Make ``root/tokenizers/TOKENIZER`` point at the package's own tokenizer config."""
    source = package / "tokenizers" / TOKENIZER
    if not source.is_file():
        raise FileNotFoundError(f"{source} is missing from the wordllama package")
    target = root / "tokenizers" / TOKENIZER
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file():
        return
    if target.is_symlink():  # a dangling link (package moved): replace it
        target.unlink()
    try:
        target.symlink_to(source)
    except OSError:
        shutil.copyfile(source, target)


@cache
def model() -> Any:
    """The WordLlama inference model (cached per process); E402 if it cannot load."""
    try:
        import wordllama
        from wordllama import WordLlama

        root = cache_dir()
        _prepare(root, Path(wordllama.__file__).resolve().parent)
        return WordLlama.load(CONFIG, dim=DIM, cache_dir=root, disable_download=True)
    except KGError:
        raise
    except Exception as err:  # ImportError, missing files, a broken cache dir...
        raise KGError(E.E402, detail=f"{type(err).__name__}: {err}") from err


def embed(texts: Sequence[str]) -> NDArray[np.float32]:
    """Normalised embeddings, one row per text."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.asarray(model().embed(list(texts), norm=True), dtype=np.float32)


def _key(text: str) -> int:
    """A 64-bit key for a text in the embedding cache (collisions: ~1e-9 at 10^5 texts)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def _stamp() -> str:
    import importlib.metadata

    return f"wordllama-{importlib.metadata.version('wordllama')}/{CONFIG}/{DIM}"


def _saved(path: Path) -> tuple[NDArray[np.uint64], NDArray[np.float32]]:
    """The keys and rows a previous build saved; empty when missing, damaged or made by
    another model."""
    import numpy as np

    empty = np.zeros(0, dtype=np.uint64), np.zeros((0, DIM), dtype=np.float32)
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, rows, stamp = data["keys"], data["rows"], str(data["stamp"])
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return empty
    if stamp != _stamp() or keys.dtype != np.uint64 or rows.dtype != np.float32 \
            or rows.shape != (len(keys), DIM):
        return empty
    return keys, rows


def embed_cached(texts: Sequence[str], path: Path | None) -> NDArray[np.float32]:
    """``embed(texts)`` for distinct ``texts``, reusing the rows saved at ``path`` by the
    previous build and saving this set's rows (only when the set changed). A missing,
    damaged or foreign file costs a recomputation, never a wrong row: an embedding
    depends on its text alone (not on the batch it was computed in), so a cached row is
    the row a clean build computes."""
    import numpy as np

    if path is None or not texts:
        return embed(texts)
    keys = np.fromiter((_key(t) for t in texts), dtype=np.uint64, count=len(texts))
    old_keys, old_rows = _saved(path)
    pos = dict(zip(old_keys.tolist(), range(len(old_keys)), strict=True))
    take = np.fromiter((pos.get(k, -1) for k in keys.tolist()), dtype=np.int64, count=len(keys))
    hit = take >= 0
    rows = np.empty((len(texts), DIM), dtype=np.float32)
    rows[hit] = old_rows[take[hit]]
    missing = np.flatnonzero(~hit)
    if len(missing):
        rows[missing] = embed([texts[int(i)] for i in missing])
    if len(missing) or len(old_keys) != len(keys):
        with contextlib.suppress(OSError):  # the next build recomputes what it cannot read
            codec.write_atomic_with(path, lambda fh: np.savez(fh, keys=keys, rows=rows, stamp=np.array(_stamp())),
                                    durable=False)  # a torn file fails its zip checks and is recomputed
    return rows


def similarity(a: Sequence[str], b: Sequence[str]) -> NDArray[np.float32]:
    """The ``len(a) x len(b)`` matrix of cosine similarities."""
    return embed(a) @ embed(b).T


def pairwise(a: str, b: str) -> float:
    """Similarity of two texts."""
    return float(similarity([a], [b])[0, 0])


def scorer(texts: Sequence[str], cache: Path | None = None) -> Scorer:
    """A scorer over a known set of texts: embeds them all once (``embed_cached`` with
    ``cache``), then looks pairs up.

    Texts outside the set are embedded on demand (and remembered). The scorer also
    answers ``best_of(score, x, ys)`` with one matrix product instead of len(ys) calls.
    """
    import numpy as np

    unique = list(dict.fromkeys(texts))
    index = {t: i for i, t in enumerate(unique)}
    known = embed_cached(unique, cache)
    extra: dict[str, Any] = {}

    def row(text: str) -> Any:
        i = index.get(text)
        if i is not None:
            return known[i]
        if text not in extra:
            extra[text] = embed([text])[0]
        return extra[text]

    def score(x: str, y: str) -> float:
        return float(np.dot(row(x), row(y)))

    # the same sample (one list object) is compared with many claims: its matrix is kept
    # under the list's id, with the list itself, so a reused id can never match; and with
    # the answers it gave, per text (a corpus repeats sentences: at 10,000 articles, 1.4
    # million comparisons of the proposition attach step were of 11,000 distinct texts)
    stacks: dict[int, tuple[Sequence[str], Any, dict[str, float]]] = {}

    def best(x: str, ys: Sequence[str]) -> float:
        if not ys:
            return 0.0
        hit = stacks.get(id(ys))
        if hit is None or hit[0] is not ys:
            if len(stacks) >= 4096:
                stacks.clear()
            hit = stacks[id(ys)] = (ys, np.stack([row(y) for y in ys]), {})
        got = hit[2].get(x)
        if got is None:
            got = hit[2][x] = float((hit[1] @ row(x)).max())
        return got

    score.best = best  # type: ignore[attr-defined]
    return score


def best_of(score: Scorer, x: str, ys: Sequence[str]) -> float:
    """``max(score(x, y) for y in ys)`` (0.0 for none), vectorised when ``score`` is ours.
    Our scorer keeps the embeddings of ``ys`` per list object: pass a new list, never a
    changed one."""
    fast = getattr(score, "best", None)
    if fast is not None:
        return float(fast(x, ys))
    return max((score(x, y) for y in ys), default=0.0)
