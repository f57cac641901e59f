"""``kg.processes``: the conflict rules in a forked process give the in-process answer.

The analysis forks only for large corpora (``kg.processes.fork_analysis``); here it is
forced on the seeds, and every way the child can fail falls back to computing in this
process.
"""

from __future__ import annotations

import os
import signal

import pytest

from kg.analysis import run as analysis
from kg.model import Corpus
from kg.processes import Beside, can_fork

needs_fork = pytest.mark.skipif(not can_fork(), reason="kg.processes forks on Linux only")


@needs_fork
def test_forked_analysis_equals_the_in_process_one(seed_corpus: Corpus) -> None:
    here = analysis.analyse(seed_corpus, beside=False)
    forked = analysis.analyse(seed_corpus, beside=True)
    assert here.conflicts, "the seeds hold conflicts: the comparison must not be empty"
    assert forked == here


@needs_fork
def test_the_child_computes_and_this_process_does_not() -> None:
    parent = os.getpid()
    job = Beside(lambda: os.getpid())
    assert job.forked
    assert job.result() != parent  # computed in the child, its pid sent back


@needs_fork
def test_an_error_in_the_child_is_raised_here_with_its_own_traceback() -> None:
    job = Beside(lambda: 1 // 0)
    with pytest.raises(ZeroDivisionError):
        job.result()


@needs_fork
def test_a_killed_child_is_recomputed_here() -> None:
    parent = os.getpid()

    def work() -> str:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return "here"

    job = Beside(work)
    assert job.forked
    assert job.result() == "here"


@needs_fork
def test_a_value_that_does_not_pickle_is_recomputed_here() -> None:
    parent = os.getpid()
    job = Beside(lambda: (lambda: os.getpid() == parent))  # a lambda does not pickle
    assert job.result()()


def test_disabled_runs_here() -> None:
    parent = os.getpid()
    job = Beside(lambda: os.getpid(), enabled=False)
    assert not job.forked
    assert job.result() == parent


@needs_fork
def test_leaving_early_stops_the_child() -> None:
    import time

    with Beside(lambda: time.sleep(60)) as job:
        proc = job._proc
        assert proc is not None and proc.is_alive()
    assert not proc.is_alive()  # killed and joined, not left sleeping

