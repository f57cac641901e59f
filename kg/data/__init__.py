"""Vocabulary data files (TOML): users extend these to cover another story."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from kg.errors import E, KGError


@cache
def load(name: str) -> dict[str, Any]:
    """Parse ``kg/data/NAME.toml`` (cached); a broken file is error E403."""
    ref = resources.files("kg.data").joinpath(f"{name}.toml")
    try:
        return tomllib.loads(ref.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise KGError(E.E403, path=str(ref), detail=str(err)) from err


def table(name: str, key: str) -> dict[str, Any]:
    """The table ``[key]`` of ``kg/data/NAME.toml``; empty when it is missing or not a table."""
    value = load(name).get(key, {})
    return value if isinstance(value, dict) else {}
