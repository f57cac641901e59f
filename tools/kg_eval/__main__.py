"""``python -m tools.kg_eval {emergent,aidev,all}``: see the package docstring.

Exit status: 0 done; 2 a usage error or a missing input folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.kg_eval",
                                 description="kg on real development sets kept outside the project.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    em = sub.add_parser("emergent", help="emergent-dev prediction files, one per cluster folder")
    em.add_argument("corpora", type=Path, help="CORPORA/<cluster_id>/<article_id>.txt (make_corpora.py)")
    em.add_argument("--out", type=Path, required=True, help="folder for PRED/<cluster_id>.json")
    ai = sub.add_parser("aidev", help="ai-news-dev outputs, as its run_kg.sh writes them")
    ai.add_argument("data", type=Path, nargs="?", help="the ai-news-dev folder "
                    "(default: ai-news-dev under $KG_EVAL_DATA or ../shared/data)")
    ai.add_argument("--out", type=Path, required=True, help="folder for OUT/<cluster>/*.json")
    ai.add_argument("--stores", type=Path, help="where the stores go (default OUT/../stores)")
    al = sub.add_parser("all", help="make eval: seeds, ai-news-dev and emergent-dev in one table")
    al.add_argument("--data", type=Path, help="folder holding ai-news-dev/ and emergent-dev/ "
                    "(default $KG_EVAL_DATA, else ../shared/data beside the checkout)")
    al.add_argument("--work", type=Path, help="where stores, outputs and the anonymous sample go "
                    "(default $TMPDIR/kg-eval; never inside the project)")
    al.add_argument("--json", type=Path, help="write every figure here (default WORK/eval.json)")
    al.add_argument("--anonymous-labels", type=Path,
                    help="the anonymous sample with its first column filled y/n "
                         "(default WORK/anonymous-labels.tsv when it exists)")
    a = ap.parse_args(argv)
    if a.cmd == "emergent":
        if not a.corpora.is_dir():
            ap.error(f"{a.corpora} is not a folder of cluster folders (make_corpora.py writes one)")
        from tools.kg_eval.emergent import predict_folder

        made = predict_folder(a.corpora, a.out)
        print(f"wrote {len(made)} prediction files to {a.out}")
        return 0
    from tools.kg_eval import parts

    if a.cmd == "aidev":
        data = a.data or parts.data_dir() / "ai-news-dev"
        if not (data / "corpora").is_dir():
            ap.error(f"{data} holds no corpora/ folder; name the ai-news-dev folder")
        from tools.kg_eval.aidev import write_outputs

        done = write_outputs(data, a.stores or a.out.parent / "stores", a.out)
        print(f"wrote the outputs of {len(done)} clusters to {a.out}; score: "
              f"{sys.executable} {data / 'score.py'} {a.out} --strict-sides")
        return 0
    from tools.kg_eval.summary import run

    run(parts.data_dir(a.data), a.work or parts.default_work(), a.json, a.anonymous_labels)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
