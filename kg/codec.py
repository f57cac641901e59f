"""JSON for model records: the extraction cache and ``--format json`` output.

``dump(record)`` gives plain JSON data; ``write_json`` and ``read_json`` write a record
to a file and read it back (msgspec, in C, guided by the dataclass type hints).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import typing
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def dump(record: Any) -> Any:
    """Plain JSON-able data for a record (or list/tuple/dict of records)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: dump(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, list | tuple):
        return [dump(x) for x in list(record)]
    if isinstance(record, dict):
        return {str(k): dump(v) for k, v in record.items()}
    return record


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (bytes as they are, str as UTF-8) to a temporary file beside
    ``path``, fsync, then rename over it."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    write_atomic_with(path, lambda fh: fh.write(data))


def write_atomic_with(path: Path, write: typing.Callable[[typing.BinaryIO], object],
                      durable: bool = True) -> None:
    """Let ``write`` fill a temporary file beside ``path``; fsync, then rename it over
    ``path``. A failure (disk full, a kill) leaves the previous file as it was.
    ``durable=False`` skips the fsync: for caches that check their own contents when
    read (a power cut may leave them empty or torn, which they detect), where syncing
    hundreds of MB per build would cost seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, record: Any) -> None:
    """``record`` as compact UTF-8 JSON, written atomically. msgspec encodes dataclasses
    in C, field by field, the same JSON as ``dump`` (about 40 times faster)."""
    import msgspec

    write_atomic(path, msgspec.json.encode(record))


def read_json(path: Path, tp: type[T]) -> T:
    """The record of type ``tp`` in ``path`` (as ``write_json`` wrote it). msgspec decodes
    straight into the dataclasses and checks every field's type, about three times
    faster than building them from ``json.loads`` in Python; a file that is not valid
    JSON of that shape is ValueError."""
    import msgspec

    try:
        return typing.cast(T, _decoder(typing.cast(Any, tp)).decode(path.read_bytes()))
    except msgspec.MsgspecError as err:
        raise ValueError(f"{path}: {err}") from err


@cache
def _decoder(tp: Any) -> Any:
    import msgspec

    return msgspec.json.Decoder(tp)
