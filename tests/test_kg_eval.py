"""``tools.kg_eval``: the emergent-dev adapter on a hand-made cluster (its rule is
kg.analysis.voice, tested in tests/test_voice.py), ai-news-dev's score reading and
sample, and ``make eval`` without the data sets (CI has none of them, so nothing here
needs them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.kg_eval import aidev
from tools.kg_eval.__main__ import main

ARTICLES = {
    "a1": "The town of Northvale has reportedly closed the Elm River bridge after inspectors "
          "found cracks in its main span.\n\nThe closure was reportedly ordered on Tuesday, "
          "according to local reports.\n",
    "a2": "The town of Northvale closed the Elm River bridge on Tuesday after inspectors found "
          "cracks in its main span.\n\nRepairs to the bridge will take six weeks.\n",
    "a3": "Northvale closed the Elm River bridge on Tuesday.\n\n"
          "Inspectors found cracks in the main span of the bridge.\n",
}


def test_emergent_adapter_writes_one_prediction_per_cluster(tmp_path: Path) -> None:
    cluster = tmp_path / "corpora" / "bridge"
    cluster.mkdir(parents=True)
    for name, text in ARTICLES.items():
        (cluster / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "corpora" / "notes.txt").write_text("not a cluster", encoding="utf-8")
    assert main(["emergent", str(tmp_path / "corpora"), "--out", str(tmp_path / "pred")]) == 0
    assert sorted(p.name for p in (tmp_path / "pred").iterdir()) == ["bridge.json"]
    pred = json.loads((tmp_path / "pred" / "bridge.json").read_text(encoding="utf-8"))
    assert set(pred) == {"cluster_id", "conflict", "hedged_article_ids"}
    assert pred["cluster_id"] == "bridge"
    assert pred["conflict"] is False  # the three agree
    assert pred["hedged_article_ids"] == ["a1"]  # "reportedly" hedges; a2 and a3 assert


def test_emergent_command_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["emergent", str(tmp_path / "nowhere"), "--out", str(tmp_path / "pred")])
    assert exit_.value.code == 2


SCORE_TEXT = """\
TOTAL core-conflict recall:      1/28 (4%)
TOTAL conflicts output:          25
TOTAL claim recall:              36/36 (100%)
TOTAL attribution accuracy:      24/36 (67%) of found gold claims
TOTAL certainty acceptable:      25/36 (69%) of found gold claims (informational)
TOTAL expected-flag recall:      3/18 (17%)
strict sides: core 2/28, soft 0/18, false pairs 4/38, tool conflicts matching a false pair 3
"""


def test_aidev_figures_are_read_from_its_scorer(tmp_path: Path) -> None:
    (tmp_path / "score.py").write_text(f"print({SCORE_TEXT!r})\n", encoding="utf-8")
    figures, text = aidev.score(tmp_path, tmp_path / "out")
    assert figures["attribution"] == [24, 36]
    assert figures["flag_recall"] == [3, 18]
    assert figures["strict_core"] == [2, 28]  # the strict line, not the whole-object one
    assert figures["strict_false_pairs"] == [4, 38]
    assert figures["conflicts_output"] == [25]
    assert "strict sides" in text


def test_aidev_scorer_that_changed_its_output_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "score.py").write_text("print('TOTAL something else: 1/2')\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="output format changed"):
        aidev.score(tmp_path, tmp_path / "out")


def test_anonymous_sample_and_labelled_precision(tmp_path: Path) -> None:
    rows = [{"anonymous": "", "claim": f"{i:02d}", "cluster": "c", "file": "f.txt",
             "source": "sources", "text": f"claim {i}"} for i in range(45)]
    assert aidev.write_sample(rows, tmp_path / "sample.tsv") == aidev.SAMPLE
    lines = (tmp_path / "sample.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(aidev.SAMPLE_COLUMNS)
    assert len(lines) == 1 + aidev.SAMPLE
    labelled = "\n".join([lines[0], *("y" + line for line in lines[1:4]), "n" + lines[4],
                          *lines[5:]])
    (tmp_path / "labels.tsv").write_text(labelled + "\n", encoding="utf-8")
    got = aidev.labelled_precision(tmp_path / "labels.tsv", rows)
    assert got == {"really_anonymous": 3, "labelled": 4, "precision": 0.75}
    # a labelled claim kg no longer marks anonymous does not count
    still = aidev.labelled_precision(tmp_path / "labels.tsv", rows[3:])
    assert still is not None and still["labelled"] == 1 and still["precision"] == 0.0
    assert aidev.labelled_precision(tmp_path / "missing.tsv", rows) is None


def test_make_eval_without_the_data_runs_the_seeds_and_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "eval.json"
    code = main(["all", "--data", str(tmp_path / "no-data"), "--work", str(tmp_path / "work"),
                 "--json", str(out)])
    assert code == 0
    printed = capsys.readouterr()
    assert "ai-news-dev not found" in printed.err and "emergent-dev not found" in printed.err
    assert "KG_EVAL_DATA" in printed.err
    assert "| seeds " in printed.out and "(data absent)" in printed.out
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["ai-news-dev"] is None and figures["emergent-dev"] is None
    assert figures["seeds"]["scores"]["attribution"]["tp"] > 0
    assert {r["set"] for r in figures["table"]} == {"seeds", "ai-news-dev", "emergent-dev"}
