"""kg.analysis.similarity: offline WordLlama loading into our own cache dir, scores, E402."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.analysis import similarity
from kg.errors import E, KGError


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    similarity.model.cache_clear()
    yield tmp_path / "cache" / "wordllama"
    similarity.model.cache_clear()


def test_cache_dir_env_and_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "k"))
    assert similarity.cache_dir() == tmp_path / "k" / "wordllama"
    monkeypatch.delenv("KG_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert similarity.cache_dir() == tmp_path / "x" / "kg" / "wordllama"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert similarity.cache_dir() == Path.home() / ".cache" / "kg" / "wordllama"


def test_loads_offline_and_links_the_tokenizer(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import requests

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("wordllama tried to download")

    monkeypatch.setattr(requests, "get", no_network)
    m = similarity.model()
    assert similarity.model() is m  # cached per process
    link = fresh_cache / "tokenizers" / similarity.TOKENIZER
    assert link.is_file()
    assert link.resolve().parent.name == "tokenizers"


def test_scores_rank_a_paraphrase_above_an_unrelated_sentence(fresh_cache: Path) -> None:
    a = "The US government has imposed an export ban on Anthropic's AI models."
    b = "Washington banned exports of Anthropic's artificial intelligence models."
    c = "Chips are tangible."
    m = similarity.similarity([a], [b, c])
    assert m.shape == (1, 2)
    assert m[0, 0] > m[0, 1]
    assert similarity.pairwise(a, a) == pytest.approx(1.0, abs=1e-4)
    score = similarity.scorer([a, b])
    assert score(a, b) == pytest.approx(float(m[0, 0]), abs=1e-5)
    assert score(a, c) == pytest.approx(float(m[0, 1]), abs=1e-5)  # unseen text: embedded on demand
    assert similarity.embed([]).shape == (0, similarity.DIM)


def test_a_broken_model_is_error_e402(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wordllama import WordLlama

    def broken(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError("weights missing")

    monkeypatch.setattr(WordLlama, "load", broken)
    with pytest.raises(KGError) as err:
        similarity.model()
    assert err.value.code is E.E402 and "weights missing" in str(err.value)


def test_a_dangling_link_is_replaced(fresh_cache: Path) -> None:
    link = fresh_cache / "tokenizers" / similarity.TOKENIZER
    link.parent.mkdir(parents=True)
    link.symlink_to(fresh_cache / "nowhere.json")
    similarity.model()
    assert link.is_file()


def test_embedding_cache_reuses_rows_and_recomputes_what_it_lacks(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    texts = ["The ministry imposed a ban.", "Officials are weighing export limits.", "Chips are tangible."]
    path = tmp_path / "embeddings.npz"
    first = similarity.embed_cached(texts, path)
    assert np.array_equal(first, similarity.embed(texts)) and path.is_file()
    embedded: list[list[str]] = []
    real = similarity.embed
    monkeypatch.setattr(similarity, "embed", lambda ts: embedded.append(list(ts)) or real(ts))
    again = similarity.embed_cached([texts[2], "A new sentence.", texts[0]], path)
    assert embedded == [["A new sentence."]], "only the text the cache lacks is embedded"
    assert np.array_equal(again[[0, 2]], first[[2, 0]])  # a cached row is the row a clean build computes
    assert np.array_equal(again[1], real(["A new sentence."])[0])
    stamp = path.stat().st_mtime_ns
    similarity.embed_cached([texts[2], "A new sentence.", texts[0]], path)
    assert path.stat().st_mtime_ns == stamp, "an unchanged set is not written again"
    path.write_bytes(b"PK\x03\x04 not a zip")  # damaged: recomputed, not trusted
    embedded.clear()
    assert np.array_equal(similarity.embed_cached(texts, path), first)
    assert embedded == [texts]
