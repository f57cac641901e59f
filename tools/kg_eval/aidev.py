"""ai-news-dev: what its ``run_kg.sh`` writes, made in this process, and its ``score.py``.

``run_kg.sh`` runs ``kg build --jobs 1`` on each cluster into a fresh store, then
``kg conflicts|flags|claims|entities --format json`` and ``kg sparql articles.rq``. Here
the build is the library call and the five listings are the same CLI commands invoked in
this process (Click's runner), so the JSON is exactly the CLI's, and one spaCy model
serves every cluster. The scorer is the data set's own ``score.py``, run as a
subprocess with this Python; its text is read back into figures.

Anonymous precision needs a reader: the claims kg marks anonymous are counted and a
fixed sample of them (the ``SAMPLE`` smallest claim ids: content hashes, so an even
spread) is written to a TSV whose first column a reader fills with ``y`` (really
anonymous) or ``n``; a labelled copy given back gives the precision.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from kg.model import Corpus
from tools.kg_eval.clusters import Built, build_each

LISTINGS = ("conflicts", "flags", "claims", "entities")
SAMPLE = 40
SAMPLE_COLUMNS = ("anonymous", "claim", "cluster", "file", "source", "text")
#: the scorer's summary lines -> the figures taken from them
_LINES = {
    "attribution": r"TOTAL attribution accuracy:\s+(\d+)/(\d+)",
    "claim_recall": r"TOTAL claim recall:\s+(\d+)/(\d+)",
    "certainty": r"TOTAL certainty acceptable:\s+(\d+)/(\d+)",
    "flag_recall": r"TOTAL expected-flag recall:\s+(\d+)/(\d+)",
    "core_recall": r"TOTAL core-conflict recall:\s+(\d+)/(\d+)",
    "conflicts_output": r"TOTAL conflicts output:\s+(\d+)()",
    "strict_core": r"strict sides: core (\d+)/(\d+)",
    "strict_false_pairs": r"strict sides: .*false pairs (\d+)/(\d+)",
}


def _cli(args: list[str]) -> str:
    """One ``kg`` command, run in this process; its stdout (a failure is an error here)."""
    from typer.testing import CliRunner

    from kg.cli.main import app

    result = CliRunner().invoke(app, args)
    if result.exit_code != 0:
        raise RuntimeError(f"kg {' '.join(args)} exited {result.exit_code}: {result.output[-500:]}")
    return result.stdout


def write_cluster(built: Built, store: Path, out: Path, articles_rq: Path) -> None:
    """``out/{build,conflicts,flags,claims,entities,articles}.json`` of one built store."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "build.json").write_text(json.dumps(built.summary, indent=2) + "\n", encoding="utf-8")
    for cmd in LISTINGS:
        (out / f"{cmd}.json").write_text(_cli([cmd, "--store", str(store), "--format", "json"]),
                                         encoding="utf-8")
    (out / "articles.json").write_text(
        _cli(["sparql", str(articles_rq), "--store", str(store), "--format", "json"]), encoding="utf-8")


def write_outputs(data: Path, stores: Path, out: Path, quiet: bool = False) -> list[Built]:
    """Build every cluster of ``data/corpora`` into ``stores/<cluster>`` and write its
    outputs to ``out/<cluster>/`` as ``run_kg.sh`` does; the built clusters, in order."""
    done = []
    for built in build_each(data / "corpora", stores=stores, quiet=quiet):
        write_cluster(built, stores / built.name, out / built.name, data / "articles.rq")
        done.append(built)
    return done


def score(data: Path, out: Path) -> tuple[dict[str, list[int]], str]:
    """Run ``score.py OUT --strict-sides``; (figures as [found, total], its printed text)."""
    run = subprocess.run([sys.executable, str(data / "score.py"), str(out), "--strict-sides"],
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"ai-news-dev score.py exited {run.returncode}: {run.stderr[-800:]}")
    figures = {}
    for name, pattern in _LINES.items():
        m = re.search(pattern, run.stdout)
        if m is None:
            raise RuntimeError(f"ai-news-dev score.py printed no line matching {pattern!r}; "
                               "has its output format changed? Update tools/kg_eval/aidev.py.")
        figures[name] = [int(g) for g in m.groups() if g]
    return figures, run.stdout


def anonymous_claims(built: list[Built]) -> list[dict[str, str]]:
    """Every claim kg attributes to an anonymous source, with its cluster and file."""
    rows = []
    for b in built:
        rows.extend(_anonymous(b.name, b.corpus))
    return sorted(rows, key=lambda r: r["claim"])


def _anonymous(cluster: str, corpus: Corpus) -> list[dict[str, str]]:
    sources = corpus.sources()
    files = {g.article.id: Path(g.article.source).name for g in corpus.articles}
    rows = []
    for c in corpus.claims():
        src = sources.get(c.attribution.source) if c.attribution else None
        if src is not None and src.kind == "anonymous":
            rows.append({"anonymous": "", "claim": c.id, "cluster": cluster,
                         "file": files.get(c.article, ""), "source": src.name,
                         "text": " ".join(c.text.split())})
    return rows


def write_sample(rows: list[dict[str, str]], path: Path) -> int:
    """The first ``SAMPLE`` rows (by claim id) as a TSV for a reader; how many were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=SAMPLE_COLUMNS, delimiter="\t")
        w.writeheader()
        w.writerows(rows[:SAMPLE])
    return min(SAMPLE, len(rows))


def labelled_precision(labels: Path, rows: list[dict[str, str]]) -> dict[str, Any] | None:
    """Precision over a labelled sample (``y``/``n`` in its first column), counting only the
    labelled claims kg still marks anonymous; None when no claim of it is labelled."""
    if not labels.is_file():
        return None
    now = {r["claim"] for r in rows}
    yes = no = 0
    with labels.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            mark = (row.get("anonymous") or "").strip().lower()[:1]
            if row.get("claim") in now and mark in ("y", "n"):
                yes += mark == "y"
                no += mark == "n"
    if not yes + no:
        return None
    return {"really_anonymous": yes, "labelled": yes + no, "precision": yes / (yes + no)}
