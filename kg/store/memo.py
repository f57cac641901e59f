"""The memo of a synced graph: which records it holds and each record's lines.

A SQLite file (``analysis.sqlite`` in the store) with the graph's digest and, per record
key (``kg.graph.analysis.Record``), the record's N-Triples lines. ``kg.store.sync`` reads the
keys (cheap: 16 bytes each) to find the changed records, and the lines of the records
that are gone (to delete exactly those triples). It is a cache: it serves only when
its digest is the one the store records, and anything unreadable is treated as no memo
(the sync then reads the graph back from the store).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records(key BLOB PRIMARY KEY, lines TEXT NOT NULL) WITHOUT ROWID;
"""


@contextmanager
def _connected(path: Path) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(path, isolation_level=None)
    try:
        # a cache checked by its digest: no fsync (a power cut leaves an old or a broken
        # file, both detected), the rollback journal keeps each write all-or-nothing
        con.execute("PRAGMA synchronous=OFF")
        yield con
    finally:
        con.close()


def digest(path: Path) -> str | None:
    """The digest of the graph the memo describes; None without a usable memo."""
    try:
        with _connected(path) as con:
            row = con.execute("SELECT value FROM meta WHERE name = 'digest'").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def keys(path: Path) -> set[bytes] | None:
    """Every record key in the memo; None if it cannot be read."""
    try:
        with _connected(path) as con:
            return {bytes(k) for (k,) in con.execute("SELECT key FROM records")}
    except sqlite3.Error:
        return None


def lines(path: Path, wanted: Iterable[bytes]) -> list[str] | None:
    """The lines of the records ``wanted``; None if the memo cannot be read."""
    try:
        with _connected(path) as con:
            con.execute("CREATE TEMP TABLE wanted(key BLOB PRIMARY KEY) WITHOUT ROWID")
            con.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((k,) for k in wanted))
            rows = con.execute("SELECT r.lines FROM records AS r JOIN wanted USING (key)")
            return [line for (text,) in rows for line in text.split("\n") if line]
    except sqlite3.Error:
        return None


def update(path: Path, graph_digest: str, added: dict[bytes, list[str]], gone: Iterable[bytes]) -> None:
    """Remove the records ``gone``, add ``added`` and record the new digest, in one
    transaction (a failure leaves the memo as it was, or unusable: never half-new)."""
    try:
        with _connected(path) as con:
            con.executescript(_SCHEMA)
            con.execute("BEGIN")
            con.executemany("DELETE FROM records WHERE key = ?", ((k,) for k in gone))
            con.executemany("INSERT OR REPLACE INTO records VALUES (?, ?)",
                            ((k, "\n".join(v)) for k, v in added.items()))
            con.execute("INSERT OR REPLACE INTO meta VALUES ('digest', ?)", (graph_digest,))
            con.execute("COMMIT")
    except sqlite3.Error:
        forget(path)  # only costs the next sync a read of the graph


class Writer:
    """A new memo, written beside the old one a batch of records at a time and renamed
    over it by ``finish``. Left unfinished by an error, the old memo is removed and the
    new one never appears; by a kill, the old one stays (its digest is no longer the
    store's, so it is not used) and the next writer removes the partial file. A failing
    write only costs the next sync a read of the graph, so errors are absorbed here."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.con: sqlite3.Connection | None = None

    def __enter__(self) -> Writer:
        try:
            for partial in self.path.parent.glob(f".{self.path.name}.*.tmp"):  # a killed writer's
                partial.unlink(missing_ok=True)  # (one build at a time holds the store)
            self.con = sqlite3.connect(self.tmp, isolation_level=None)
            self.con.execute("PRAGMA synchronous=OFF")
            self.con.execute("PRAGMA journal_mode=OFF")  # a new file: renamed only when complete
            self.con.executescript(_SCHEMA)
            self.con.execute("BEGIN")
        except (OSError, sqlite3.Error):
            self._drop()
        return self

    def add(self, records: dict[bytes, list[str]]) -> None:
        if self.con is None:
            return
        try:
            self.con.executemany("INSERT OR REPLACE INTO records VALUES (?, ?)",
                                 ((k, "\n".join(v)) for k, v in records.items()))
        except sqlite3.Error:
            self._drop()

    def finish(self, graph_digest: str) -> None:
        if self.con is None:
            return
        try:
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('digest', ?)", (graph_digest,))
            self.con.execute("COMMIT")
            self.con.close()
            self.con = None
            os.replace(self.tmp, self.path)
        except (OSError, sqlite3.Error):
            self._drop()

    def _drop(self) -> None:
        if self.con is not None:
            with contextlib.suppress(sqlite3.Error):
                self.con.close()
            self.con = None
        with contextlib.suppress(OSError):
            self.tmp.unlink(missing_ok=True)
        forget(self.path)

    def __exit__(self, *exc: object) -> None:
        if self.con is not None:  # not finished
            self._drop()


def write(path: Path, graph_digest: str, records: dict[bytes, list[str]]) -> None:
    """A new memo of exactly ``records`` (``Writer`` in one batch)."""
    with Writer(path) as out:
        out.add(records)
        out.finish(graph_digest)


def forget(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.with_name(path.name + "-journal").unlink(missing_ok=True)
