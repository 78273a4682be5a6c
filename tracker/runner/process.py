"""Provides `WorkerProcess`: one worker (`child.py`) as the parent sees it, and /proc helpers."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from tracker.errors import RunnerError
from tracker.runner.protocol import FrameDecoder, encode

__all__ = ["CHILD", "WorkerProcess", "describe_exit", "process_group"]

CHILD = Path(__file__).resolve().with_name("child.py")
"""The worker's script, started by path so that any Python can run it."""

WARM_TIMEOUT = 300.0
"""Seconds a worker may take to import torch before it is given up."""

_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
_SIGNAL_WORDS = {
    signal.SIGSEGV: "the worker crashed: segmentation fault (SIGSEGV)",
    signal.SIGBUS: "the worker crashed: bus error (SIGBUS)",
    signal.SIGFPE: "the worker crashed: floating-point exception (SIGFPE)",
    signal.SIGILL: "the worker crashed: illegal instruction (SIGILL)",
    signal.SIGABRT: "the worker aborted (SIGABRT)",
    signal.SIGKILL: "the worker was killed (SIGKILL), perhaps by the system for lack of memory",
}


def describe_exit(returncode: int | None) -> str:
    """A worker's end in words, from its return code."""
    if returncode is None:
        return "the worker stopped answering"
    if returncode < 0:
        number = -returncode
        if number in _SIGNAL_WORDS:
            return _SIGNAL_WORDS[signal.Signals(number)]
        with contextlib.suppress(ValueError):
            return f"the worker was killed by {signal.Signals(number).name}"
        return f"the worker was killed by signal {number}"
    return f"the snippet ended the worker process (exit code {returncode})"


def process_group(pid: int) -> list[int]:
    """Every live process in `pid`'s process group or descended from `pid`, except `pid` itself."""
    parents: dict[int, int] = {}
    members: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                data = stat.read()
        except OSError:
            continue
        fields = data[data.rfind(b")") + 2 :].split()
        if fields[0] == b"Z":
            continue
        child = int(entry)
        parents[child] = int(fields[1])
        if int(fields[2]) == pid and child != pid:
            members.append(child)
    for child in parents:
        ancestor, hops = parents.get(child), 0
        while ancestor and ancestor != pid and hops < 64:
            ancestor, hops = parents.get(ancestor), hops + 1
        if ancestor == pid and child not in members:
            members.append(child)
    return members


def resident_kb(pid: int) -> int:
    """`pid`'s resident memory that is not file-backed, in KiB (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            fields = statm.read().split()
    except OSError:
        return 0
    return (int(fields[1]) - int(fields[2])) * _PAGE_KB


class WorkerProcess:
    """A started `child.py`: its pipes, its warm-up, its memory, and how to kill it.

    Only one thread reads a worker's pipes at a time: the warm-up thread until `ready` is set,
    then whichever thread runs a snippet. `kill` may be called from any thread.
    """

    def __init__(self, python: str, *, cwd: str | None = None) -> None:
        """Starts the worker (it imports torch in the background; see `warm`).

        Raises:
            RunnerError: `python` cannot be started.
        """
        ctl_r, ctl_w = os.pipe()
        msg_r, msg_w = os.pipe()
        life_r, life_w = os.pipe()
        try:
            self.proc = subprocess.Popen(
                [python, str(CHILD), str(ctl_r), str(msg_w), str(life_r)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(ctl_r, msg_w, life_r),
                start_new_session=True,
                cwd=cwd,
            )
        except OSError as exc:
            for fd in (ctl_w, msg_r, life_w):
                os.close(fd)
            raise RunnerError(f"cannot start the worker with {python}: {exc.strerror}") from exc
        finally:
            for fd in (ctl_r, msg_w, life_r):
                os.close(fd)
        self.python = python
        self.pid = self.proc.pid
        self.ctl_w, self.msg_r, self.life_w = ctl_w, msg_r, life_w
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.out_r = self.proc.stdout.fileno()
        self.err_r = self.proc.stderr.fileno()
        self.decoder = FrameDecoder()
        self.ready = threading.Event()
        """Set once the worker has imported torch, or has failed to."""
        self.info: dict[str, Any] = {}
        """The `ready` message: torch version, python, pid, problem."""
        self.failed: str | None = None
        """Why the worker could not get ready, in words."""
        self.baseline_kb = 0
        """Resident memory when ready: what the snippet's memory is counted from."""
        self.kill_reason: str | None = None
        """Set before a deliberate kill, so that the run in progress reports it."""
        self.has_run = False
        self.reader = threading.RLock()
        """Held by the thread that reads the pipes."""
        self._is_closed = False

    @property
    def torch_version(self) -> str | None:
        """The worker's torch version, None without torch or before it is ready."""
        return self.info.get("torch")

    @property
    def problem(self) -> str | None:
        """A problem with the worker's Python in words (no torch), or None."""
        return self.failed or self.info.get("problem")

    def warm(self) -> None:
        """Waits for the `ready` message (the thread that calls this reads the pipes meanwhile)."""
        diagnostics = bytearray()
        with self.reader:
            deadline = time.monotonic() + WARM_TIMEOUT
            poller = self.poller()
            is_eof = False
            while not (is_eof or self._is_closed) and time.monotonic() < deadline:
                for fd, _event in poller.poll(100):
                    data = os.read(fd, 65536)
                    if fd != self.msg_r:
                        diagnostics += data[: 65536 - len(diagnostics)]
                        continue
                    is_eof = is_eof or not data
                    for message in self.decoder.feed(data):
                        if message.get("op") == "ready":
                            self.info = message
                            self.baseline_kb = resident_kb(self.pid)
                            self.ready.set()
                            return
                is_eof = is_eof or self.proc.poll() is not None
            tail = diagnostics.decode("utf-8", "replace").strip().splitlines()[-3:]
            words = self.kill_reason or describe_exit(self.proc.poll())
            self.failed = f"the worker ({self.python}) did not start: {words}" + (
                ": " + " | ".join(tail) if tail else ""
            )
            self.ready.set()
        self.kill()

    def poller(self) -> select.poll:
        """A poll object on the protocol pipe and the worker's own stdout and stderr."""
        poller = select.poll()
        for fd in (self.msg_r, self.out_r, self.err_r):
            poller.register(fd, select.POLLIN)
        return poller

    def send(self, message: dict[str, Any]) -> bool:
        """Sends one request; False if the worker is gone."""
        data = memoryview(encode(message))
        try:
            while data:
                data = data[os.write(self.ctl_w, data) :]
        except (BrokenPipeError, OSError):
            return False
        return True

    def interrupt(self) -> None:
        """Sends SIGINT to the worker (the snippet sees KeyboardInterrupt)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGINT)

    def memory_kb(self, *, with_children: bool) -> int:
        """Resident memory the snippet added: the worker's above its baseline, plus children's."""
        used = resident_kb(self.pid) - self.baseline_kb
        if with_children:
            used += sum(resident_kb(pid) for pid in process_group(self.pid))
        return max(used, 0)

    @property
    def is_closed(self) -> bool:
        """Whether the pipes have been closed (after `kill`)."""
        return self._is_closed

    def is_alive(self) -> bool:
        """Whether the worker process is still running."""
        return self.proc.poll() is None

    def kill(self, reason: str | None = None) -> None:
        """Kills the worker, its process group and every descendant, then closes the pipes.

        Args:
            reason: Words for the run in progress, if any ("the worker was restarted").
        """
        if reason and self.kill_reason is None:
            self.kill_reason = reason
        for _ in range(3):
            stragglers = process_group(self.pid) if self.proc.poll() is None else []
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
            for pid in stragglers:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            if not stragglers:
                break
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self.proc.wait()
        with self.reader:
            if self._is_closed:
                return
            self._is_closed = True
            for fd in (self.ctl_w, self.msg_r, self.life_w):
                with contextlib.suppress(OSError):
                    os.close(fd)
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()
