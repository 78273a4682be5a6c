"""Provides `run_on_pty`: runs a command on a pseudo-terminal, as a user's terminal would run it.

The benchmarks measure the app from outside: what it draws (the terminal's output, with escape
sequences taken out) and when it exits, with its peak memory from `wait4`. Nothing in the app
knows it is being measured.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SIZE = (34, 110)
"""Rows, columns."""

_ESCAPES = re.compile(
    rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)"
)


@dataclass
class Screen:
    """What a command drew on the terminal so far, and when each text first appeared."""

    started: float
    """`time.perf_counter()` when the command was started."""
    text: bytearray = field(default_factory=bytearray)
    """Everything written, escape sequences taken out."""
    seen: dict[bytes, float] = field(default_factory=dict)
    """Each awaited text -> seconds from the start to its first appearance."""
    wanted: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class Finished:
    """How a command run on the pty ended."""

    seen: Mapping[bytes, float]
    """Each awaited text -> seconds from the start to when it was first drawn."""
    exited: float
    """Seconds from the start to the process's exit."""
    max_rss_mib: float
    """The process's peak resident memory (its children's not included)."""
    cpu: float
    """The process's CPU seconds, user and system (its children's not included)."""
    returncode: int
    tail: str = ""
    """The last of what was drawn (escape sequences taken out), to say why a run failed."""


def run_on_pty(
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    wanted: Sequence[str],
    keys: Callable[[int, Screen], None] | None = None,
    timeout: float = 120.0,
) -> Finished:
    """Runs `command` on a pty of `SIZE`, noting when each of `wanted` is first drawn.

    Args:
        command: The program and its arguments.
        env: Its environment (`TERM` is set to xterm-256color).
        cwd: Its working directory.
        wanted: Texts to wait for, in the order they should appear.
        keys: Called with the pty's fd and the screen each time output arrives (to type keys,
            e.g. quit once the last text is drawn).
        timeout: Seconds before the process is killed (the run then fails).

    Returns:
        When each text was drawn and when the process exited, with its peak memory.
    """
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", *SIZE, 0, 0))
    screen = Screen(started=time.perf_counter(), wanted=tuple(w.encode() for w in wanted))
    process = subprocess.Popen(
        list(command),
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env={**env, "TERM": "xterm-256color"},
        cwd=cwd,
        start_new_session=True,
    )
    screen.started = time.perf_counter()
    os.close(secondary)
    reader = threading.Thread(target=_read, args=(primary, screen, keys), daemon=True)
    reader.start()
    timer = threading.Timer(timeout, lambda: os.killpg(process.pid, signal.SIGKILL))
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
        exited = time.perf_counter() - screen.started
    finally:
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    reader.join(timeout=5)
    tail = bytes(screen.text[-2000:]).decode(errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Finished(
        dict(screen.seen), exited, usage.ru_maxrss / 1024, cpu, process.returncode, tail
    )


def _read(fd: int, screen: Screen, keys: Callable[[int, Screen], None] | None) -> None:
    pending = b""
    try:
        while chunk := os.read(fd, 65536):
            now = time.perf_counter() - screen.started
            pending += chunk
            cut = pending.rfind(b"\x1b")
            if cut >= 0 and len(pending) - cut < 64:  # an escape sequence may continue
                done, pending = pending[:cut], pending[cut:]
            else:
                done, pending = pending, b""
            screen.text += _ESCAPES.sub(b"", done)
            for text in screen.wanted:
                if text not in screen.seen and text in screen.text:
                    screen.seen[text] = now
            if keys is not None:
                keys(fd, screen)
    except OSError:
        pass
    finally:
        os.close(fd)


def compile_package(root: Path) -> None:
    """Writes the bytecode of the package under `root` (`tracker/`), as an installed package has
    it (pip compiles it on install, and a first run writes it).

    With `PYTHONDONTWRITEBYTECODE` set, as on the machines the figures come from, every run of
    the app would compile its hundred modules from source (0.2-0.4 s of a start) while Textual's,
    installed, come compiled: that would time the compiler, not the app.
    """
    import compileall

    compileall.compile_dir(root / "tracker", quiet=1)
