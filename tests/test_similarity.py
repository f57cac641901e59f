"""kg.similarity: offline WordLlama loading into our own cache dir, scores, E402."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import similarity
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
