"""Provides the worker processes as the runner sees them: the `Zygote` and each `RunChild`.

The zygote (`child.py`) imports torch once and forks one `RunChild` per run. This module starts
it, reads its socket in a thread (`forked`, `exited`), and hands each run child three fresh
pipes: requests in, messages out, and the child's fds 1 and 2 together (its output).
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import select
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tracker.errors import RunnerError
from tracker.runner.protocol import FrameDecoder, encode

__all__ = ["CHILD", "RunChild", "Zygote", "describe_exit", "resident_kb"]

CHILD = Path(__file__).resolve().with_name("child.py")
"""The worker's script, started by path so that any Python can run it."""

WARM_TIMEOUT = 300.0
"""Seconds the zygote may take to import torch, and a child to warm up, before it is given up."""

HUGE_PAGES = "glibc.malloc.hugetlb=1"
"""A glibc tunable for the zygote: malloc asks for transparent huge pages, so that most of the
memory torch allocates at import is mapped by 2 MiB entries. A fork copies the page tables, so
it then copies about 60% fewer of them: the fork of each run child costs a third as much (glibc
2.35 and later; other C libraries ignore it)."""

OMP_WAIT_POLICY = "passive"
"""OpenMP's wait policy for the zygote, unless the user set one: torch's threads sleep as soon
as a parallel region ends, instead of spinning on a core for several milliseconds (libgomp's
default). On a 2-core machine a spinning thread takes the core the app and the runner need:
the warm round trip went from 2.1-3.3 ms to 1.4-1.6 ms median (at a load of 2)."""

LEARN_BYTES = 48 * 1024
"""The longest fork request (with the sources to compile ahead); the zygote reads 64 KiB."""

OUTPUT_PIPE_BYTES = 1 << 20
"""The size asked for the output pipe, so that a flood crosses it in few reads."""

_F_SETPIPE_SZ = 1031
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


def resident_kb(pid: int) -> int:
    """`pid`'s resident memory that is not file-backed, in KiB (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            fields = statm.read().split()
    except OSError:
        return 0
    return (int(fields[1]) - int(fields[2])) * _PAGE_KB


def children_of(pid: int) -> list[int]:
    """The pids of `pid`'s children (zombies included), from /proc."""
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children", "rb") as f:
                found.extend(int(word) for word in f.read().split())
    return found


def descendants_of(pid: int) -> list[int]:
    """Every descendant of `pid`, from /proc."""
    found: list[int] = []
    queue = [pid]
    while queue:
        for child in children_of(queue.pop()):
            if child not in found:
                found.append(child)
                queue.append(child)
    return found


class RunChild:
    """One forked child as the runner sees it: its pipes, pid, warm-up, memory and end.

    Only one thread reads a child's pipes at a time: the warm-up thread until `ready` is set,
    then the thread that runs a snippet in it. `kill` may be called from any thread.
    """

    def __init__(self, request_id: int, ctl_w: int, msg_r: int, out_r: int) -> None:
        self.id = request_id
        self.ctl_w, self.msg_r, self.out_r = ctl_w, msg_r, out_r
        self.pid: int | None = None
        self._pidfd: int | None = None
        self.decoder = FrameDecoder()
        self.forked = threading.Event()
        """Set once the zygote has said the child's pid (or that it could not fork)."""
        self.ready = threading.Event()
        """Set once the child has warmed up and waits for a run, or has failed to."""
        self.exited = threading.Event()
        """Set once the zygote has reaped the child (`exit_code` says how it ended)."""
        self.exit_code: int | None = None
        self.failed: str | None = None
        """Why the child could not get ready, in words."""
        self.kill_reason: str | None = None
        """Set before a deliberate kill, so that the run in progress reports it."""
        self.baseline_kb = 0
        """Resident memory when ready: what the snippet's memory is counted from."""
        self.reader = threading.RLock()
        """Held by the thread that reads the pipes."""
        self._is_closed = False
        self._lock = threading.Lock()

    # --- called by the zygote's reader thread -------------------------------------------------

    def _on_forked(self, pid: int | None, error: str | None) -> None:
        with self._lock:
            self.pid = pid
            if pid is not None:
                with contextlib.suppress(OSError):
                    self._pidfd = os.pidfd_open(pid)
            else:
                self.failed = f"the worker could not fork: {error}"
                self.exited.set()
        self.forked.set()

    def _on_exited(self, code: int | None) -> None:
        with self._lock:
            self.exit_code = code
            if self._pidfd is not None:
                os.close(self._pidfd)
                self._pidfd = None
        self.exited.set()

    # --- used by the runner -------------------------------------------------------------------

    def warm(self, timeout: float = WARM_TIMEOUT) -> None:
        """Waits for the child's `ready` message (the calling thread reads its pipe meanwhile)."""
        with self.reader:
            deadline = time.monotonic() + timeout
            while not self._is_closed and time.monotonic() < deadline:
                if self.exited.is_set() and not _readable(self.msg_r, 0):
                    break
                if not _readable(self.msg_r, 100):
                    continue
                try:
                    data = os.read(self.msg_r, 65536)
                except OSError:
                    break
                if not data:
                    break
                try:
                    messages = self.decoder.feed(data)
                except ValueError:
                    break
                if any(message.get("op") == "ready" for message in messages):
                    self.forked.wait(5.0)
                    if self.pid is not None:
                        self.baseline_kb = resident_kb(self.pid)
                    self.ready.set()
                    return
            if self.failed is None:
                self.exited.wait(1.0)
                words = self.kill_reason or describe_exit(self.exit_code)
                self.failed = f"the worker did not get ready: {words}"
            self.ready.set()
        self.kill()

    def send(self, message: dict[str, Any]) -> bool:
        """Sends one request; False if the child is gone."""
        data = memoryview(encode(message))
        try:
            while data:
                data = data[os.write(self.ctl_w, data) :]
        except OSError:
            return False
        return True

    def signal(self, signum: int) -> None:
        """Sends `signum` to the child (through its pidfd, so never to a recycled pid)."""
        with self._lock:
            if self._pidfd is not None:
                with contextlib.suppress(ProcessLookupError, OSError):
                    signal.pidfd_send_signal(self._pidfd, signum)

    def interrupt(self) -> None:
        """SIGINT: the snippet sees KeyboardInterrupt."""
        self.signal(signal.SIGINT)

    def is_alive(self) -> bool:
        """Whether the child has not ended."""
        return not self.exited.is_set()

    def memory_kb(self, *, with_children: bool) -> int:
        """Resident memory the snippet added: the child's above its baseline, plus children's."""
        pid = self.pid
        if pid is None:
            return 0
        used = resident_kb(pid) - self.baseline_kb
        if with_children:
            used += sum(resident_kb(child) for child in descendants_of(pid))
        return max(used, 0)

    def kill(self, reason: str | None = None) -> None:
        """Kills the child (the zygote then kills what it leaves) and closes the pipes.

        Args:
            reason: Words for the run in progress, if any ("the worker was restarted").
        """
        if reason and self.kill_reason is None:
            self.kill_reason = reason
        self.signal(signal.SIGKILL)
        self.close()

    def close(self) -> None:
        """Closes this side's pipes (waiting for the reading thread to let go of them)."""
        with self.reader:
            if self._is_closed:
                return
            self._is_closed = True
            for fd in (self.ctl_w, self.msg_r, self.out_r):
                with contextlib.suppress(OSError):
                    os.close(fd)

    @property
    def is_closed(self) -> bool:
        """Whether the pipes have been closed."""
        return self._is_closed


class Zygote:
    """The zygote process: started with `python child.py FD`, it forks `RunChild`s on request."""

    def __init__(
        self,
        python: str,
        *,
        cwd: str | None = None,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        """Starts the zygote (it imports torch in the background; `ready` is set when done).

        Raises:
            RunnerError: `python` cannot be started.
        """
        self.python = python
        self._on_change = on_change
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        tunables = env.get("GLIBC_TUNABLES", "")
        if "glibc.malloc.hugetlb" not in tunables:  # the zygote takes it out again (child.py)
            env["GLIBC_TUNABLES"] = f"{tunables}:{HUGE_PAGES}" if tunables else HUGE_PAGES
            env["STUDY_HUGE_PAGES"] = "1"
        if "OMP_WAIT_POLICY" not in env:  # OpenMP reads it as torch loads; the zygote takes it out
            env["OMP_WAIT_POLICY"] = OMP_WAIT_POLICY
            env["STUDY_OMP_WAIT_POLICY"] = "1"
        try:
            self.proc = subprocess.Popen(
                [python, str(CHILD), str(theirs.fileno())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,
                cwd=cwd,
                env=env,
            )
        except OSError as exc:
            ours.close()
            raise RunnerError(f"cannot start the worker with {python}: {exc.strerror}") from exc
        finally:
            theirs.close()
        self.pid = self.proc.pid
        self.sock = ours
        self.ready = threading.Event()
        """Set once the zygote has imported torch, or has failed to start."""
        self.info: dict[str, Any] = {}
        """The `ready` message: torch version, python, pid, problem."""
        self.failed: str | None = None
        """Why the zygote is gone or could not start, in words."""
        self._children: dict[int, RunChild] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._diagnostics = bytearray()
        self._is_closing = False
        self._reader = threading.Thread(target=self._read_forever, name="study-zygote", daemon=True)
        self._reader.start()

    @property
    def torch_version(self) -> str | None:
        """The worker's torch version, None without torch or before it is ready."""
        return self.info.get("torch")

    @property
    def problem(self) -> str | None:
        """A problem with the worker's Python in words (cannot start, no torch), or None."""
        return self.failed or self.info.get("problem")

    def fork(self, *, warm_up: bool = True, learn: Sequence[tuple[str, str]] = ()) -> RunChild:
        """Asks for a new run child (`RunChild.warm` waits until it is ready).

        Args:
            warm_up: Have the child run a first tiny model before it says ready.
            learn: `[filename, source]` pairs a run child compiled: the zygote compiles them
                first, so that this child and later ones find them compiled (left out when
                they would make the request longer than `LEARN_BYTES`).
        """
        ctl_r, ctl_w = os.pipe()
        msg_r, msg_w = os.pipe()
        out_r, out_w = os.pipe()
        with contextlib.suppress(OSError):
            fcntl.fcntl(out_w, _F_SETPIPE_SZ, OUTPUT_PIPE_BYTES)
        os.set_blocking(out_r, False)
        child = RunChild(next(self._ids), ctl_w, msg_r, out_r)
        with self._lock:
            self._children[child.id] = child
        fork = {
            "op": "fork",
            "id": child.id,
            "warm": warm_up,
            "learn": [list(pair) for pair in learn],
        }
        request = json.dumps(fork).encode("utf-8")
        if len(request) > LEARN_BYTES:
            request = json.dumps(dict(fork, learn=[])).encode("utf-8")
        try:
            if self.failed:
                raise OSError(self.failed)
            socket.send_fds(self.sock, [request], [ctl_r, msg_w, out_w])
        except OSError as exc:
            child._on_forked(None, self.failed or str(exc))
        finally:
            for fd in (ctl_r, msg_w, out_w):
                os.close(fd)
        return child

    def sweep(self) -> None:
        """Asks the zygote to kill whatever ended runs left behind (it answers nothing)."""
        with contextlib.suppress(OSError):
            self.sock.send(b'{"op":"sweep"}')

    def close(self, wait: float = 3.0) -> None:
        """Ends the zygote: it kills every descendant first, then exits; a kill after `wait`.

        A zygote that is not ready yet (still importing torch) is killed at once: it has forked
        nothing, and it would read the request to end only after the import (seconds, which
        quitting the app waited for).
        """
        self._is_closing = True
        if not self.ready.is_set():
            with contextlib.suppress(OSError):
                self.proc.kill()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        try:
            self.proc.wait(wait)
        except subprocess.TimeoutExpired:
            for pid in descendants_of(self.pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            self.proc.kill()
            self.proc.wait()
        self._reader.join(wait)
        self.sock.close()
        if self.proc.stderr is not None:
            self.proc.stderr.close()

    def _read_forever(self) -> None:
        assert self.proc.stderr is not None
        err = self.proc.stderr.fileno()
        poller = select.poll()
        poller.register(self.sock.fileno(), select.POLLIN)
        poller.register(err, select.POLLIN)
        is_open = True
        while is_open:
            for fd, _event in poller.poll():
                if fd == err:
                    data = os.read(err, 65536)
                    if not data:
                        poller.unregister(err)
                    else:
                        self._diagnostics += data
                        del self._diagnostics[:-65536]
                    continue
                try:
                    data = self.sock.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    is_open = False
                    break
                self._handle(json.loads(data.decode("utf-8")))
        self._ended()
        self.sock.close()
        self.proc.stderr.close()

    def _handle(self, message: dict[str, Any]) -> None:
        op = message.get("op")
        if op == "ready":
            self.info = message
            self.ready.set()
            self._on_change()
            return
        with self._lock:
            child = self._children.get(int(message.get("id", 0)))
            if op == "exited":
                self._children.pop(int(message["id"]), None)
        if child is None:
            return
        if op == "forked":
            child._on_forked(message.get("pid"), message.get("error"))
        elif op == "exited":
            child._on_exited(message.get("code"))

    def _ended(self) -> None:
        """The socket closed: the zygote is gone; every child it had is gone with it."""
        self.proc.wait()
        if not self._is_closing:
            tail = self._diagnostics.decode("utf-8", "replace").strip().splitlines()[-3:]
            words = describe_exit(self.proc.returncode)
            if not self.ready.is_set():
                words = f"the worker ({self.python}) did not start: {words}"
            self.failed = words + (": " + " | ".join(tail) if tail else "")
        else:
            self.failed = "the runner was closed"
        with self._lock:
            children, self._children = list(self._children.values()), {}
        for child in children:
            if child.kill_reason is None and not self._is_closing:
                child.kill_reason = f"{self.failed}; a fresh worker is starting"
            if not child.forked.is_set():
                child._on_forked(None, self.failed)
            child._on_exited(None)
        self.ready.set()
        self._on_change()


def _readable(fd: int, timeout_ms: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(timeout_ms))
