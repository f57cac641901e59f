"""The driver side of a push: connect to a Neo4j server, and write rows in batches.

:func:`connect` checks the URI scheme and gives a verified driver (E304 unreachable or
unknown database, E305 bad credentials). :class:`BatchWriter` cuts each statement's rows
into batches and runs every batch as one managed transaction (``execute_write``), so a
failed batch is rolled back as a whole and the driver may retry it; the batches of one
statement run one at a time, or on several sessions at once where the caller says so (only
ever for CREATE: see ``kg.neo4j.push``). Progress is counted in rows.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from kg.errors import E, StoreError

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
Progress = Callable[[int, int], None]
Done = Callable[[int, list[Any], list[Any]], None]  # job index, batch rows, what the batch returned


def check_uri(uri: str) -> None:
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in SCHEMES:
        raise StoreError(E.E304, uri=uri, detail=f"unsupported URI scheme {scheme or uri!r}; "
                         f"use one of {', '.join(s + '://' for s in SCHEMES)}")


@contextmanager
def connect(uri: str, auth: tuple[str, str] | None = None, database: str | None = None,
            retry_time: float = 30.0) -> Iterator[Driver]:
    """A verified driver; E304 unreachable or unknown database, E305 bad credentials."""
    check_uri(uri)
    import neo4j
    from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError

    try:
        driver = neo4j.GraphDatabase.driver(
            uri, auth=auth, max_transaction_retry_time=retry_time,
            notifications_min_severity="OFF", connection_timeout=min(retry_time, 15.0))
    except (ValueError, DriverError) as exc:
        raise StoreError(E.E304, uri=uri, detail=str(exc)) from exc
    try:
        try:
            with driver.session(database=database) as s:
                s.run("RETURN 1").consume()
        except AuthError as exc:
            raise StoreError(E.E305, uri=uri) from exc
        except ClientError as exc:
            raise StoreError(E.E304, uri=uri, detail=exc.message or str(exc)) from exc
        except (DriverError, Neo4jError, OSError) as exc:
            raise StoreError(E.E304, uri=uri, detail=error_detail(exc)) from exc
        yield driver
    finally:
        driver.close()


def error_detail(exc: BaseException) -> str:
    """A driver error as one line of at most 300 characters, for a ``StoreError`` detail."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def write_batch(tx: ManagedTransaction, query: str, rows: list[Any]) -> list[Any]:
    """Run one batch; the ``v`` list it returns (element ids of created nodes), else []."""
    record = tx.run(query, rows=rows).single(strict=False)
    return list(record["v"]) if record is not None else []


def _read_list(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> list[Any]:
    """The one list value of a ``RETURN collect(...) AS v`` query."""
    return list(tx.run(query, params).single(strict=True)["v"])


class BatchWriter:
    """Statements over rows on one database, ``batch`` rows per transaction; ``progress(done,
    total)`` after each batch, ``total`` being set by the caller."""

    def __init__(self, driver: Driver, database: str | None, batch: int,
                 progress: Progress | None) -> None:
        self.driver, self.database, self.batch = driver, database, max(1, batch)
        self.progress, self.done, self.total = progress, 0, 0
        self.lock = threading.Lock()

    def write(self, query: str, rows: list[Any]) -> None:
        self.write_all([(query, rows)])

    def write_all(self, jobs: list[tuple[str, list[Any]]], workers: int = 1,
                  done: Done | None = None) -> None:
        """Every batch of every job, one transaction each, job after job; with ``workers`` > 1 the
        batches of one job run that many at a time (only ever for CREATE: see ``kg.neo4j.push``).
        ``done(job index, batch, what the batch returned)`` after each batch."""
        for i, (query, rows) in enumerate(jobs):
            chunks = list(_batches(rows, self.batch))

            def finish(chunk: list[Any], out: list[Any], i: int = i) -> None:
                with self.lock:
                    if done:
                        done(i, chunk, out)
                    self.done += len(chunk)
                    if self.progress:
                        self.progress(self.done, self.total)

            if workers <= 1 or len(chunks) <= 1:
                with self.driver.session(database=self.database) as s:
                    for chunk in chunks:
                        finish(chunk, s.execute_write(write_batch, query, chunk))  # a transaction each
            else:
                self._parallel(query, chunks, workers, finish)

    def _parallel(self, query: str, chunks: list[list[Any]], workers: int,
                  finish: Callable[[list[Any], list[Any]], None]) -> None:
        todo: queue.SimpleQueue[list[Any]] = queue.SimpleQueue()
        for chunk in chunks:
            todo.put(chunk)
        errors: list[BaseException] = []

        def work() -> None:
            try:
                with self.driver.session(database=self.database) as s:
                    while not errors:
                        try:
                            chunk = todo.get_nowait()
                        except queue.Empty:
                            return
                        finish(chunk, s.execute_write(write_batch, query, chunk))
            except BaseException as exc:  # re-raised in the calling thread
                errors.append(exc)

        threads = [threading.Thread(target=work, daemon=True) for _ in range(min(workers, len(chunks)))]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        if errors:
            raise errors[0]

    def read_list(self, query: str, **params: Any) -> list[Any]:
        with self.driver.session(database=self.database) as s:
            return s.execute_read(_read_list, query, params)
