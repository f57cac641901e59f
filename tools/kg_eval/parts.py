"""The three parts of ``make eval``, each as table rows plus its full figures.

Each figure is printed beside its baseline: the seeds' figures and ai-news-dev's as
measured before issue 22 (the data set's README: kg at clone 2336494b), emergent-dev's
trivial baselines as its own ``score.py`` computes them. The data sets are read from
``$KG_EVAL_DATA`` or ``../shared/data/`` beside the checkout; when one is absent the
table says so and the rest still runs (exit 0). Everything the run writes (stores,
outputs, predictions, the anonymous sample, the JSON) goes under ``--work``, outside the
project.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
#: ``make eval``'s figures before issue 22 (docs/evaluation.md)
SEEDS_BASELINE = {"attribution": "17/0/0", "certainty": "15/0/0", "event_status": "8/0/0",
                  "entities": "14/0/0", "conflicts": "10/0/1"}
AIDEV_BASELINE = {"attribution": "24/36", "flag_recall": "3/18", "strict_core": "1/28",
                  "strict_false_pairs": "4/38"}
Row = tuple[str, str, str, str]


def data_dir(given: Path | None = None) -> Path:
    """``given``, else ``$KG_EVAL_DATA``, else ``../shared/data`` beside the checkout."""
    if given is not None:
        return given
    env = os.environ.get("KG_EVAL_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def default_work() -> Path:
    return Path(tempfile.gettempdir()) / "kg-eval"


def seeds() -> tuple[list[Row], dict[str, Any]]:
    from tools.evaluate import evaluate

    scores, misses = evaluate()
    rows = [("seeds", f"{k} tp/fp/fn", f"{r['tp']}/{r['fp']}/{r['fn']}", SEEDS_BASELINE.get(k, "-"))
            for k, r in scores.items()]
    return rows, {"scores": scores, "misses": misses}


def aidev(data: Path, work: Path, labels: Path | None) -> tuple[list[Row], dict[str, Any]]:
    from tools.kg_eval import aidev as ai

    out, stores = work / "aidev" / "out", work / "aidev" / "stores"
    for old in (out, stores):
        shutil.rmtree(old, ignore_errors=True)
    built = ai.write_outputs(data, stores, out)
    figures, text = ai.score(data, out)
    anon = ai.anonymous_claims(built)
    sample = work / "anonymous-sample.tsv"
    ai.write_sample(anon, sample)
    precision = ai.labelled_precision(labels or work / "anonymous-labels.tsv", anon)
    shown = (f"{precision['really_anonymous']}/{precision['labelled']} labelled" if precision
             else f"see sample ({sample})")

    def frac(k: str) -> str:
        return "/".join(str(x) for x in figures[k])

    rows: list[Row] = [
        ("ai-news-dev", "claim attribution accuracy", frac("attribution"), AIDEV_BASELINE["attribution"]),
        ("ai-news-dev", "claims marked anonymous", str(len(anon)), "-"),
        ("ai-news-dev", "anonymous precision", shown, "-"),
        ("ai-news-dev", "expected-flag recall", frac("flag_recall"), AIDEV_BASELINE["flag_recall"]),
        ("ai-news-dev", "core-conflict recall (strict sides)", frac("strict_core"),
         AIDEV_BASELINE["strict_core"]),
        ("ai-news-dev", "false pairs matched (strict sides)", frac("strict_false_pairs"),
         AIDEV_BASELINE["strict_false_pairs"]),
    ]
    return rows, {"figures": figures, "anonymous": len(anon), "anonymous_sample": str(sample),
                  "anonymous_precision": precision, "score_output": text}


def emergent(data: Path, work: Path) -> tuple[list[Row], dict[str, Any]]:
    from tools.kg_eval.emergent import predict_folder

    corpora, pred, metrics = work / "emergent" / "corpora", work / "emergent" / "pred", work / "emergent" / "metrics.json"
    for old in (corpora, pred):
        shutil.rmtree(old, ignore_errors=True)
    _run([sys.executable, str(data / "make_corpora.py"), str(corpora)], "make_corpora.py")
    predict_folder(corpora, pred)
    _run([sys.executable, str(data / "score.py"), str(pred), "--json", str(metrics)], "score.py")
    m = json.loads(metrics.read_text(encoding="utf-8"))
    sys_, always, never = m["system"], m["always_conflict_everything_hedged"], m["never_conflict_nothing_hedged"]

    def prf(block: dict[str, float]) -> str:
        return f"{block['precision']:.3f}/{block['recall']:.3f}/{block['f1']:.3f}"

    def shares(block: dict[str, Any]) -> str:
        s = block["hedged_share_by_stance"]
        return " / ".join(f"{s[k]:.2f}" for k in ("observing", "for", "against"))

    rows: list[Row] = [
        ("emergent-dev", "hedging P/R/F1", prf(sys_["hedged"]), prf(always["hedged"]) + " everything hedged"),
        ("emergent-dev", "hedged share: observing / for / against", shares(sys_),
         shares(always) + " everything hedged"),
        ("emergent-dev", "conflict P/R/F1", prf(sys_["conflict"]), prf(always["conflict"]) + " always"),
        ("emergent-dev", "conflict accuracy", f"{sys_['conflict']['accuracy']:.3f}",
         f"{never['conflict']['accuracy']:.3f} never"),
    ]
    return rows, m


def _run(cmd: list[str], what: str) -> None:
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"emergent-dev {what} exited {run.returncode}: {run.stderr[-800:]}")


def commit() -> str:
    try:
        run = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                             capture_output=True, text=True, check=False)
    except OSError:
        return "unknown"
    return run.stdout.strip() or "unknown"
