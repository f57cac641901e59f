"""``kg-eval``: kg scored on real development sets that live outside the project.

``python -m tools.kg_eval emergent CORPORA --out PRED`` writes emergent-dev's prediction
files; ``python -m tools.kg_eval aidev DATA --out OUT`` writes what ai-news-dev's
``run_kg.sh`` writes; ``python -m tools.kg_eval all`` is ``make eval``: the seeds' own
checks, both sets scored by their own ``score.py``, one table with the baselines beside
each figure (docs/evaluation.md). The data sets are news excerpts under research terms:
they are read from ``../shared/data/`` or ``$KG_EVAL_DATA`` and never copied here.
"""
