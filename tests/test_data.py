"""The vocabulary loader (``kg.data.vocabulary``) and the one name key (``kg.data.names``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

import kg.data
from kg.data import decode, vocabulary
from kg.data.analysis import Analysis, Flags
from kg.data.entities import Entities
from kg.data.names import ARTICLES, compact, known_source, name_key
from kg.data.rules import Attribution, Boilerplate, EventType
from kg.data.words import Phrases, Words
from kg.errors import KGError

# -- the loader ----------------------------------------------------------------------


def test_the_shipped_files_decode_into_typed_fields() -> None:
    v = vocabulary()
    assert vocabulary() is v  # read once per process
    assert isinstance(v.attribution.verbs.reporting, Words) and "say" in v.attribution.verbs.reporting
    assert v.attribution.names.unnamed == "unnamed sources"
    assert v.attribution.ner["PERSON"] == "person"
    negations = v.certainty.negation.words
    assert isinstance(negations, Phrases) and negations[0] == ("no", "longer")  # longest first
    assert all(isinstance(t, EventType) for t in v.events.types)
    assert list(v.events.status) == ["considered", "enacted", "paused", "lifted", "denied"]  # file order
    assert "officials" in v.entities.government.nouns and ("government",) in v.entities.government.bare
    assert v.entities.fuzzy.threshold == 88.0 and isinstance(v.entities.fuzzy.threshold, float)
    assert v.analysis.conflicts.value.numbers["twelve"] == 12.0
    assert v.boilerplate.tail.max_words == 12
    assert v.sources.sources == ()  # no source is shipped: names come from the articles


def test_word_lists_are_lower_cased_and_phrases_split() -> None:
    a = decode('[verbs]\nreporting = ["Say", "TELL"]\n[phrases]\naccording = ["as reported by", '
               '"According to"]\n', Attribution, "attribution.toml")
    assert a.verbs.reporting == {"say", "tell"}
    assert a.phrases.according == (("as", "reported", "by"), ("according", "to"))
    assert a.nouns.anonymous == frozenset()  # a key left out: the rule never fires


def test_defaults_are_the_documented_values() -> None:
    assert decode("", Analysis, "analysis.toml").flags.unnamed_kinds == {"anonymous", "none"}
    assert decode("", Entities, "entities.toml").fuzzy.min_length == 6


@pytest.mark.parametrize(("text", "kind", "detail"), [
    ("[verbs\nreporting = []", Attribution, "line 1"),  # not TOML
    ('[verbs]\nreporting = "say"', Attribution, "$.verbs.reporting"),  # not a list
    ("[verbs]\nreporting = [1, 2]", Attribution, "$.verbs.reporting"),  # not strings
    ('[flags]\nquote_chars = "long"', Analysis, "Expected `int`, got `str` - at `$.flags.quote_chars`"),
    ("[verb]\nreporting = []", Attribution, "unknown field `verb`"),  # a misspelt table
    ("[furniture]\npatterns = []\nlanguages = []", Boilerplate, "missing required field `citation`"),
])
def test_a_broken_file_is_e403_naming_the_file_and_the_problem(text: str, kind: type, detail: str) -> None:
    with pytest.raises(KGError) as err:
        decode(text, kind, "kg/data/some.toml")
    assert err.value.code.name == "E403"
    assert "kg/data/some.toml" in str(err.value) and detail in str(err.value)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of kg/data/*.toml that ``vocabulary()`` reads instead of the package's."""
    for f in resources.files("kg.data").iterdir():
        if f.name.endswith(".toml"):
            shutil.copyfile(str(f), tmp_path / f.name)
    monkeypatch.setattr(kg.data.resources, "files", lambda _: tmp_path)
    vocabulary.cache_clear()
    yield tmp_path
    monkeypatch.undo()
    vocabulary.cache_clear()


def test_vocabulary_names_the_broken_file(data_dir: Path) -> None:
    path = data_dir / "certainty.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[hedges]\n", encoding="utf-8")
    with pytest.raises(KGError) as err:
        vocabulary()
    assert err.value.code.name == "E403" and str(path) in str(err.value)


def test_vocabulary_names_a_value_of_the_wrong_type(data_dir: Path) -> None:
    path = data_dir / "entities.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("threshold = 88", 'threshold = "88"'),
                    encoding="utf-8")
    with pytest.raises(KGError) as err:
        vocabulary()
    assert str(path) in str(err.value) and "got `str` - at `$.fuzzy.threshold`" in str(err.value)


def test_the_reported_adverbs_are_one_list() -> None:
    # the anonymous.reported-adverb flag reads attribution.toml's list, not a copy of it
    assert "reported_adverbs" not in Flags.__struct_fields__
    assert "reportedly" in vocabulary().attribution.adverbs.reported


# -- the one name key ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "key"), [
    # what kg.data.names.key did (entity aliases and mentions)
    ("the government", "government"),
    ("The Trump administration", "trump administration"),
    ("Anthropic's", "anthropic"),
    ("Anthropic’s", "anthropic"),
    ("Reuters'", "reuters"),
    ('"OpenAI,"', "openai"),
    ("U.S.  officials.", "u.s. officials"),
    ("(GPT‑5)", "gpt-5"),  # non-breaking hyphen
    ("A Team", "a team"),  # "a" may begin an entity name
    ("The", "the"),  # an article alone stays
    # what kg.data.vocab.name_key did (source names), which also drops "a"/"an"
    ("The FT", "ft"),
    ("the  Wall Street Journal", "wall street journal"),
    ("FT ’s", "ft"),
    ("FT.com", "ft.com"),
])
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


def test_sources_also_drop_a_and_an() -> None:
    assert name_key("a Reuters", ARTICLES) == "reuters" != name_key("a Reuters")
    assert name_key("An Anthropic", ARTICLES) == "anthropic"
    # no list: a newspaper is known by the shape of its name
    assert known_source("the Morning Herald") == ("Morning Herald", "publication")
    assert known_source("A Valley News") == ("Valley News", "publication")
    assert known_source("Evening Post's") == ("Evening Post", "publication")
    assert known_source("Nobody") is None and known_source("the post") is None


def test_compact_finds_a_name_inside_a_phrase() -> None:
    # what kg.analysis.slots._norm did: spaces and punctuation gone, case folded
    assert compact(name_key("U.S. officials")) == "usofficials"
    assert compact(name_key("US officials")) in compact(name_key("The US officials' statement"))
    assert compact(name_key("Open AI")) == compact(name_key("OpenAI"))
    assert compact(name_key("Anthropic")) not in compact(name_key("the OpenAI board"))
