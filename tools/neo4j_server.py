"""Build and start the development Neo4j Community server in ``tools/neo4j-server``.

The server is Neo4j 5.26 LTS run in-process by ``neo4j-harness`` (Maven Central artifacts),
bound to 127.0.0.1 with auth off. See ``docs/neo4j.md``. Only the standard library is used.
"""

from __future__ import annotations

import collections
import contextlib
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
_OUTPUT_TAIL = 80
_URI_LINE = re.compile(r"\b(BOLT_URI|HTTP_URI)=(\S+)")


class Neo4jServerError(RuntimeError):
    """The server could not be built or started."""


class Neo4jToolsMissing(Neo4jServerError):
    """Java or Maven is not installed."""


def tool_dir(root: Path = REPO_ROOT) -> Path:
    return root / "tools" / "neo4j-server"


def is_built(root: Path = REPO_ROOT) -> bool:
    target = tool_dir(root) / "target"
    return (target / ".built").is_file() and (target / "classes" / "kg" / "neo4j").is_dir()


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        raise Neo4jToolsMissing(
            f"'{tool}' not found on PATH: the dev Neo4j server needs Java 17+ and Maven 3.8+ "
            "(Debian: apt-get install openjdk-17-jdk-headless maven)"
        )


def build_server(root: Path = REPO_ROOT, *, force: bool = False) -> None:
    """Build tools/neo4j-server with Maven if it is missing or out of date (or ``force``)."""
    _require("java")
    if is_built(root) and not force and shutil.which("mvn") is None:
        return  # built already; cannot tell staleness without Maven, run what is there
    _require("mvn")
    script = tool_dir(root) / "run.sh"
    proc = subprocess.run(
        ["bash", str(script), "--build-only" if force else "--ensure-built"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    if proc.returncode != 0 or not is_built(root):
        tail = "\n".join(proc.stdout.splitlines()[-_OUTPUT_TAIL:])
        raise Neo4jServerError(
            f"Maven build of {script.parent} failed (exit {proc.returncode}):\n{tail}"
        )


@dataclass
class Neo4jServer:
    """A running server process; ``output`` keeps the tail of its stdout+stderr."""

    bolt_uri: str
    http_uri: str
    process: subprocess.Popen[str]
    output: collections.deque[str] = field(
        default_factory=lambda: collections.deque(maxlen=_OUTPUT_TAIL)
    )

    def kill(self) -> None:
        """SIGKILL: no clean shutdown (the next start on the same data dir runs recovery)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def stop(self, timeout: float = 60) -> None:
        """SIGTERM and wait for the clean shutdown; SIGKILL if it takes longer than timeout."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()


def _launch(cmd: list[str], timeout: float) -> Neo4jServer:
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    tail: collections.deque[str] = collections.deque(maxlen=_OUTPUT_TAIL)
    uris: dict[str, str] = {}
    ready = threading.Event()

    def pump() -> None:  # keep draining the pipe for the life of the process
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.rstrip("\n")
            tail.append(line)
            match = _URI_LINE.search(line)  # may follow build noise on the same line
            if match and not ready.is_set():
                uris[match[1]] = match[2]
                if len(uris) == 2:
                    ready.set()
        ready.set()  # EOF: the process is gone

    threading.Thread(target=pump, name="kg-neo4j-output", daemon=True).start()
    deadline = time.monotonic() + timeout
    while not ready.wait(0.2):
        if time.monotonic() > deadline:
            break
    if len(uris) == 2 and proc.poll() is None:
        return Neo4jServer(uris["BOLT_URI"], uris["HTTP_URI"], proc, tail)
    if len(uris) < 2 and ready.is_set():  # output ended: the process is exiting
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)
    code = proc.poll()
    Neo4jServer("", "", proc, tail).kill()
    why = f"exited with code {code}" if code is not None else f"not ready after {timeout:.0f}s"
    raise Neo4jServerError(f"Neo4j dev server {why}: {' '.join(cmd)}\n" + "\n".join(tail))


@contextlib.contextmanager
def start_server(
    data_dir: Path | None = None,
    port: int = 0,
    timeout: float = 180,
    *,
    http_port: int = 0,
    extra_args: Sequence[str] = (),
    root: Path = REPO_ROOT,
) -> Iterator[Neo4jServer]:
    """Build if needed, start the server, yield it, and stop it (SIGTERM) on exit.

    ``data_dir`` persists the databases across starts; without it they live in a temporary
    working directory removed afterwards. Port 0 picks a free port.
    """
    build_server(root)
    work = Path(tempfile.mkdtemp(prefix="kg-neo4j-work-"))
    cmd = ["bash", str(tool_dir(root) / "run.sh"), "--port", str(port)]
    cmd += ["--http-port", str(http_port), "--work", str(work)]
    if data_dir is not None:
        cmd += ["--data", str(Path(data_dir).resolve())]
    cmd += list(extra_args)  # e.g. ["--pagecache", "256m"]
    try:
        attempts = 3 if port == 0 else 1  # a free port picked by the server can be raced away
        for attempt in range(attempts):
            try:
                server = _launch(cmd, timeout)
                break
            except Neo4jServerError as exc:
                if attempt + 1 == attempts or "already in use" not in str(exc).lower():
                    raise
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
