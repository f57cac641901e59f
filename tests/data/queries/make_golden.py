"""Dump every named query's rows on a store, for review before curating golden files.

Usage (from the repo root):

    .venv/bin/kg build seeds --store /tmp/seed-store
    .venv/bin/python tests/data/queries/make_golden.py /tmp/seed-store /tmp/golden-raw

Writes ``OUT/NAME.json`` (all rows, with the seed file name of each article added as
``_file``). These raw dumps are NOT the golden files: read them, then keep in
``tests/data/queries/NAME.json`` only the rows a fact-checker expects (matched by
text, not by hash ids, so that an offset change does not break them).
Parameterised queries use the parameters in PARAMS below; ``claim_text`` is looked up.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kg.query import named as queries
from kg.store import load_corpus, opened

PARAMS: dict[str, dict[str, str]] = {
    "claim-provenance": {"claim_text": "According to the Financial Times, US officials"},
    "citation-chain": {"claim_text": "According to the Financial Times, US officials"},
    "claims-about": {"entity": "anthopic"},
    "entity-timeline": {"entity": "Anthropic"},
}


def claim_id(root: Path, prefix: str) -> str:
    hits = [c.id for c in load_corpus(root).claims() if c.text.startswith(prefix)]
    if len(hits) != 1:
        raise SystemExit(f"{len(hits)} claims start with {prefix!r}")
    return hits[0]


def main(root: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    files = {g.article.id: Path(g.article.source).name for g in load_corpus(root).articles}
    with opened(root, read_only=True) as st:
        for name, q in queries.manifest().items():
            params = dict(PARAMS.get(name, {}))
            if "claim_text" in params:
                params = {"claim": claim_id(root, params.pop("claim_text"))}
            rows = queries.run_sparql(st, q, params)
            for r in rows:
                for key in ("article", "article_a", "article_b"):
                    if r.get(key) in files:
                        r[f"_file{key[7:]}"] = files[r[key]]
            (out / f"{name}.json").write_text(
                json.dumps({"query": name, "params": params, "rows": rows}, ensure_ascii=False,
                           indent=2) + "\n", encoding="utf-8")
            print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
