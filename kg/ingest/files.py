"""Which files a build reads, and reading them without being led out of the input.

Issue 21: a symlink ``notes.txt -> /proc/self/environ`` inside an input folder looked like
a regular file of size 0, so the size cap let it through and the process environment
(``KG_NEO4J_PASSWORD`` included) landed in the graph. The rules here (docs/input.md):

- only regular files are read; a FIFO, socket or device is E114 (a FIFO would block the
  build forever, ``/dev/zero`` would never end);
- a symlink found inside a folder is not followed unless ``--follow-symlinks``; a path
  named on the command line is taken as named (symlink or not). Either way a followed
  symlink must end at a regular file outside ``/proc``, ``/sys`` and ``/dev`` (E115);
  a loop or a symlink to a folder is E114 / E115, a dangling one E115 (E109 when named);
- the file is opened once and checked on that open descriptor (``fstat``: regular, not
  on the filesystem of ``/proc``, ``/sys`` or ``/dev``), so a swap between the walk and
  the read changes nothing; the size cap is checked on the bytes actually read too.

``shown(path)`` is how a path appears in the graph and in messages: a name whose bytes
are not UTF-8 (``caf\\xe9.txt`` from an old Latin-1 disk) keeps those bytes as ``\\xe9``
escapes, since a surrogate-escaped ``str`` cannot be written as JSON or RDF.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Collection, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import IO

from kg.errors import E, InputError

#: where the kernel's own files live: never read, whatever points there
SYSTEM_ROOTS = ("/proc", "/sys", "/dev")
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a folder"))
FOLLOW_HINT = "pass --follow-symlinks to read what it points to"


def shown(path: Path | str) -> str:
    """``path`` as text that is valid UTF-8: bytes that are not become ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


@cache
def _system_devices() -> frozenset[int]:
    out = set()
    for root in SYSTEM_ROOTS:
        with contextlib.suppress(OSError):  # a system without one of them
            out.add(os.stat(root).st_dev)
    return frozenset(out)


def _in_system_root(real: str) -> bool:
    return any(real == root or real.startswith(root + "/") for root in SYSTEM_ROOTS)


def check_target(path: Path) -> InputError | None:
    """Why the symlink ``path`` may not be read (E114 / E115), or None: it ends at a regular
    file outside /proc, /sys and /dev."""
    label = shown(path)
    real = os.path.realpath(path)
    try:
        st = os.stat(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return InputError(E.E114, path=label, kind="a symlink loop")
        return InputError(E.E115, path=label, target=shown(real), why="it points to nothing")
    if _in_system_root(real) or st.st_dev in _system_devices():
        return InputError(E.E115, path=label, target=shown(real),
                          why="kg never reads under /proc, /sys or /dev")
    if not stat.S_ISREG(st.st_mode):
        return InputError(E.E115, path=label, target=shown(real),
                          why=f"it points to {_kind(st.st_mode)}; only regular files are read")
    return None


def check_named(path: Path) -> InputError | None:
    """A path named on the command line that is not a folder: None if it may be read."""
    try:
        st = os.lstat(path)
    except OSError:
        return InputError(E.E109, path=shown(path))
    if stat.S_ISLNK(st.st_mode):
        if not os.path.exists(path) and not _loops(path):
            return InputError(E.E109, path=shown(path))  # dangling: as if missing
        return check_target(path)
    if not stat.S_ISREG(st.st_mode):
        return InputError(E.E114, path=shown(path), kind=_kind(st.st_mode))
    return None


def _loops(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as err:
        return err.errno == errno.ELOOP
    return False


def walk(folder: Path, suffixes: Collection[str], follow_symlinks: bool) -> Iterator[Path | InputError]:
    """The files under ``folder`` with one of ``suffixes``, sorted, and a coded warning for
    each entry that would have been read but is not a regular file (or a symlink not
    followed). Symlinks to folders are never walked into. A folder with neither is E208."""
    found: dict[Path, Path | InputError] = {}  # each entry: the path to read, or why not
    pending = [folder]
    while pending:
        here = pending.pop()
        try:
            with os.scandir(here) as it:
                entries = list(it)
        except OSError as err:
            found[here] = InputError(E.E113, path=shown(here), detail=err.strerror or str(err))
            continue
        for entry in entries:
            path = Path(entry.path)
            candidate = path.suffix.lower() in suffixes
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as err:
                found[path] = InputError(E.E113, path=shown(path), detail=err.strerror or str(err))
                continue
            if stat.S_ISDIR(mode):
                pending.append(path)
            elif stat.S_ISLNK(mode):
                problem = _symlink_problem(path, candidate, follow_symlinks)
                if problem is not None:
                    found[path] = problem
                elif candidate:
                    found[path] = path
            elif candidate:
                found[path] = path if stat.S_ISREG(mode) else InputError(E.E114, path=shown(path),
                                                                         kind=_kind(mode))
    for path in sorted(found):
        yield found[path]
    if not found:
        yield InputError(E.E208, detail=f"{shown(folder)} holds no .txt, .md, .html or .jsonl file")


def _symlink_problem(path: Path, candidate: bool, follow: bool) -> InputError | None:
    """What to say about a symlink met in a folder (None: read it, or ignore it quietly
    when its name has no supported suffix and it is no folder, loop or dangling link)."""
    try:
        target_is_dir = stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        target_is_dir = False
    if target_is_dir:
        return InputError(E.E115, path=shown(path), target=shown(os.path.realpath(path)),
                          why="symlinks to folders are not walked into; name the folder itself")
    if not candidate:
        return None
    if not follow:
        return InputError(E.E115, path=shown(path), target=shown(os.path.realpath(path)),
                          why=f"it lies inside an input folder; {FOLLOW_HINT}")
    return check_target(path)


def read_regular(path: Path, cap: int, env: str) -> bytes:
    """The bytes of ``path`` if it is (or a symlink ends at) a regular file outside /proc,
    /sys and /dev, of at most ``cap`` bytes; else E106 / E113 / E114 / E115. Checked on
    the open descriptor, and the cap on the bytes read, not only on ``stat``."""
    label = shown(path)
    if os.path.islink(path):
        problem = check_target(path)
        if problem is not None:
            raise problem
    try:
        # O_NONBLOCK: a FIFO swapped in after the walk must not block the open
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise InputError(E.E113, path=label, detail=err.strerror or str(err)) from err
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(E.E114, path=label, kind=_kind(st.st_mode))
        if st.st_dev in _system_devices():
            raise InputError(E.E115, path=label, target=shown(os.path.realpath(path)),
                             why="kg never reads under /proc, /sys or /dev")
        if st.st_size > cap:
            raise InputError(E.E106, path=label, size=st.st_size, cap=cap, unit="bytes", env=env)
        try:
            data = _read_upto(fh, cap + 1)
        except OSError as err:
            raise InputError(E.E113, path=label, detail=err.strerror or str(err)) from err
    if len(data) > cap:  # grew since stat, or a file system that under-reports sizes
        raise InputError(E.E106, path=label, size=f"over {cap}", cap=cap, unit="bytes", env=env)
    return data


def _read_upto(fh: IO[bytes], limit: int) -> bytes:
    """At most ``limit`` bytes, read until end of file or the limit."""
    chunks, size = [], 0
    while size < limit:
        chunk = fh.read(min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def named_or_walked(paths: Iterable[Path], suffixes: Collection[str],
                    follow_symlinks: bool) -> Iterator[Path | InputError]:
    """The files to ingest: each folder walked (``walk``), each other path checked
    (``check_named``)."""
    for path in paths:
        if path.is_dir():
            yield from walk(path, suffixes, follow_symlinks)
        else:
            problem = check_named(path)
            yield path if problem is None else problem
