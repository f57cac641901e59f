"""JSON for model records: the extraction cache and ``--format json`` output.

``dump(record)`` gives plain JSON data; ``load(Type, data)`` rebuilds the record,
guided by the dataclass type hints (tuples, lists, optionals, nested records).
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import types
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


@cache
def _hints(cls: type) -> dict[str, Any]:
    import kg.model

    return typing.get_type_hints(cls, vars(kg.model))


def load(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` from ``dump`` output."""
    origin = typing.get_origin(tp)
    if tp is Any or data is None:
        return data
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return load(options[0], data) if len(options) == 1 else data
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(load(args[0], x) for x in data)
        return tuple(load(a, x) for a, x in zip(args, data, strict=True))
    if origin is list:
        (arg,) = typing.get_args(tp)
        return [load(arg, x) for x in data]
    if origin is dict:
        _, vt = typing.get_args(tp)
        return {k: load(vt, v) for k, v in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        return tp(**{f.name: load(hints[f.name], data[f.name])
                     for f in dataclasses.fields(tp) if f.name in data})
    return data


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, fsync, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, record: Any) -> None:
    write_atomic(path, json.dumps(dump(record), ensure_ascii=False, separators=(",", ":")))


def read_json(path: Path, tp: type[T]) -> T:
    return typing.cast(T, load(tp, json.loads(path.read_text(encoding="utf-8"))))
