"""The bookkeeping of a build: its report, its timed stages and the crash-test checkpoints.

``kg.pipeline`` says what a build does, step by step; this module keeps the account:
``with stage("flush"):`` times a step (``BuildReport.seconds``) and then runs the
checkpoint of that name, where ``KG_TEST_KILL_AFTER`` kills the process in the crash
tests (tests/test_atomic.py). ``released`` keeps an error's traceback from holding the
store open.
"""

from __future__ import annotations

import os
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from kg.errors import InputError
from kg.model import Corpus

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class BuildReport:
    articles_total: int = 0
    parsed: int = 0
    unchanged: int = 0
    replaced: int = 0
    claims: int = 0
    conflicts: int = 0
    flags: int = 0
    propositions: int = 0
    entities: int = 0
    compacted: bool = False  # whether this build compacted the store (kg.store.compact)
    errors: list[InputError] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    #: wall-clock seconds per stage (read, prepare, articles, corpus, analysis,
    #: analysis-cache, analysis-graph, flush, compact): where a build's time went
    seconds: dict[str, float] = field(default_factory=dict)
    progress: Progress | None = field(default=None, repr=False)
    total: int = 0  # the articles this build reads
    _mark: float = field(default_factory=time.perf_counter, repr=False)

    def tick(self) -> None:
        """Tell ``progress`` how many of the articles are built."""
        if self.progress:
            self.progress(len(self.built), self.total)

    def cached(self, ids: list[str]) -> None:
        """Articles taken unchanged from the cache."""
        self.unchanged += len(ids)
        self.built.extend(ids)

    def stored(self, article_id: str, replaced: bool) -> None:
        """An article parsed and stored (``replaced``: it replaced an edited file's old one)."""
        self.parsed += 1
        self.replaced += replaced
        self.built.append(article_id)
        self.tick()

    def counted(self, corpus: Corpus) -> BuildReport:
        """The counts of the corpus the build left, and this report."""
        analysis = corpus.analysis
        self.articles_total, self.claims = len(corpus.articles), len(corpus.claims())
        self.entities, self.propositions = len(analysis.entities), len(analysis.propositions)
        self.conflicts, self.flags = len(analysis.conflicts), len(analysis.flags)
        return self

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._mark, 3)
        self._mark = now


def checkpoint(stage: str) -> None:
    """Test hook (tests/test_atomic.py): ``KG_TEST_KILL_AFTER=stage`` SIGKILLs the process here.

    Stages in order: read, open, prepare, cache (first article's cache entry written),
    article (first article graph stored), articles, analysis-cache, analysis, flush, compact.
    """
    if os.environ.get("KG_TEST_KILL_AFTER") == stage:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(slots=True)
class Stages:
    """The build's stages: ``with stage("flush"):`` times the block (``BuildReport.seconds``:
    from the end of the stage before to the end of this one) and then runs the crash-test
    checkpoint of that name. A stage that failed is neither timed nor checkpointed."""

    report: BuildReport

    @contextmanager
    def __call__(self, name: str, lap: bool = True, checkpoint: str | None = "") -> Iterator[None]:
        """``lap=False``: not timed (its time counts to the next stage); ``checkpoint``:
        another name for the checkpoint ("" is the stage's name), None for none."""
        yield
        self.end(name if lap else None, name if checkpoint == "" else checkpoint)

    def end(self, lap: str | None, point: str | None = None) -> None:
        """Close a stage: run checkpoint ``point`` (if any), then time ``lap`` (if any)."""
        if point is not None:
            checkpoint(point)
        if lap is not None:
            self.report.lap(lap)


def release(error: BaseException | None) -> None:
    """Clear the local variables of the frames an error passed through: a traceback kept
    by the caller (a test runner, a notebook) would otherwise keep the store open, and its
    lock held, through the ``st`` of the frames below ``build``."""
    if error is not None:
        traceback.clear_frames(error.__traceback__)


