"""The analysis stored: one writer for its three forms.

The analysis is kept three ways, each for its reader: ``analysis.json`` (the records,
which reports and the CLI read), the analysis graph in the RDF store (the triples,
which queries read) and ``analysis.sqlite`` (the memo of the graph's lines, which lets
the next build write only the difference, ``kg.store.sync``). ``save_analysis`` is the
only function that writes any of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.graph.analysis import analysis_records
from kg.graph.ns import GRAPH_ANALYSIS
from kg.model import Corpus
from kg.store.articles import Hook
from kg.store.cache import drop_leftovers, write_analysis
from kg.store.sync import sync_graph

if TYPE_CHECKING:
    from pyoxigraph import Store

MEMO_FILE = "analysis.sqlite"


def memo_path(root: Path) -> Path:
    return root / MEMO_FILE


def save_analysis(root: Path, st: Store, corpus: Corpus, records_saved: Hook | None = None) -> None:
    """Store ``corpus.analysis`` (computed over every article of ``corpus``, all the
    articles the store holds) in its three forms, in this order:

    1. ``analysis.json``, atomically (temporary file, fsync, rename); then ``records_saved()``;
    2. the analysis graph, by its difference, ending with its ``kg:digest`` (the digest of
       the records' keys): the graph's commit;
    3. the memo, which describes the graph as committed and is trusted only when its
       digest is the one the graph holds;

    and last removes the store's leftovers (cache entries of articles it no longer
    holds, an older kg's files: ``kg.store.cache.drop_leftovers``).

    What a kill leaves, and how the next build repairs it. The analysis is derived data:
    every build recomputes it from the articles and calls this again, so each state
    below lasts only until the next build, and none is ever silent:

    - after 1: ``analysis.json`` is new, the graph old. Reports and queries disagree
      until the next build, and ``kg check`` says so (``kg.store.verify``). The next
      build writes ``analysis.json`` again and syncs the graph (its digest is not the
      new records').
    - inside 2, a large difference (more than ``sync.TXN_TRIPLES`` triples) written in
      several transactions: the old digest goes first and the new one last, so the graph
      has no digest; ``kg query`` warns and the next build reads the graph back and
      completes it. A small difference is one transaction: old graph or new.
    - after 2: the memo's digest is the old graph's, so the next build does not trust it
      and reads the graph back once (then writes a new memo).

    Why this order: the memo must follow the graph it describes (its digest says which
    graph that is), and the records go first because they are the cheap, all-or-nothing
    write: the graph, possibly several transactions, is then the last thing a kill can
    cut, and its digest tells whether it is whole.
    """
    write_analysis(root, corpus.analysis)
    if records_saved is not None:
        records_saved()
    sync_graph(st, GRAPH_ANALYSIS, analysis_records(corpus), memo_path(root))
    drop_leftovers(root, (g.article.id for g in corpus.articles))
