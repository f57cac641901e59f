"""``make eval``: the seeds' checks, ai-news-dev and emergent-dev, in one table.

Prints one Markdown table (set, figure, now, baseline) that pastes into
docs/evaluation.md, and writes every figure as JSON (``--json``, default
``WORK/eval.json``). A data set that is absent is named in the table and skipped; the
seeds' checks always run, and the exit status is 0 whenever the run completed.
"""

from __future__ import annotations

import datetime
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tools.kg_eval import parts
from tools.kg_eval.parts import Row

#: what each data set's folder must hold to be run
NEEDS = {"ai-news-dev": ("corpora", "score.py", "articles.rq"),
         "emergent-dev": ("make_corpora.py", "score.py", "clusters.jsonl")}


def present(folder: Path, needs: tuple[str, ...]) -> bool:
    return all((folder / n).exists() for n in needs)


def run(data: Path, work: Path, json_path: Path | None = None,
        labels: Path | None = None) -> dict[str, Any]:
    """Run every part there is data for; print the table; return (and write) the figures."""
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows: list[Row] = []
    result: dict[str, Any] = {"date": datetime.date.today().isoformat(), "commit": parts.commit(),
                              "data": str(data), "seconds": {}}
    steps: list[tuple[str, Callable[[Path], tuple[list[Row], dict[str, Any]]]]] = [
        ("ai-news-dev", lambda d: parts.aidev(d, work, labels)),
        ("emergent-dev", lambda d: parts.emergent(d, work)),
    ]
    t = time.perf_counter()
    got, result["seeds"] = parts.seeds()
    rows += got
    for miss in result["seeds"]["misses"]:
        print(f"seeds: {miss}", file=sys.stderr)
    result["seconds"]["seeds"] = round(time.perf_counter() - t, 1)
    for name, step in steps:
        folder = data / name
        if not present(folder, NEEDS[name]):
            print(f"kg-eval: {name} not found at {folder} (set KG_EVAL_DATA to the folder that "
                  f"holds {name}/); its figures are skipped.", file=sys.stderr)
            rows.append((name, "(data absent)", f"not found at {folder}", "-"))
            result[name] = None
            continue
        t = time.perf_counter()
        got, result[name] = step(folder)
        rows += got
        result["seconds"][name] = round(time.perf_counter() - t, 1)
    result["seconds"]["total"] = round(time.perf_counter() - started, 1)
    result["table"] = [dict(zip(("set", "figure", "now", "baseline"), r, strict=True)) for r in rows]
    print(table(rows, result))
    out = json_path or work / "eval.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nfigures as JSON: {out}")
    return result


def table(rows: list[Row], result: dict[str, Any]) -> str:
    """The Markdown table, headed by the date, the commit and the wall time."""
    head = ("set", "figure", "now", "baseline")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]

    def line(r: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"

    secs = ", ".join(f"{k} {v} s" for k, v in result["seconds"].items())
    return "\n".join([f"kg eval {result['date']}, commit {result['commit']} ({secs})", "",
                      line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *(line(r) for r in rows)])
