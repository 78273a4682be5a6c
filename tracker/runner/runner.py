"""Provides `SnippetRunner`: snippets run in a pre-warmed worker process, with limits on every run.

The worker (`child.py`) imports torch once; `start()` begins that in the background. A spare
worker warms up as soon as the first is ready, so that a fresh one takes over right after a
kill. Every run gets a wall-clock timeout (SIGINT first, then SIGKILL of the whole process group
after a grace period), a memory cap (resident memory read from /proc by this process, every
50 ms) and an output cap (enforced in the worker: what is cut never crosses the pipe).
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Protocol

from tracker.errors import RunnerError
from tracker.runner.limits import Limits
from tracker.runner.process import WorkerProcess, describe_exit
from tracker.runner.result import RunResult, RunStatus

__all__ = ["OutputCallback", "Runner", "SnippetRunner"]

OutputCallback = Callable[[str, str], None]
"""Called with (stream, text) as the snippet prints; stream is "stdout" or "stderr"."""

TICK = 0.05
"""Seconds between checks of the deadline, the interrupt flag and memory during a run."""


class Runner(Protocol):
    """What the UI needs from a runner: `SnippetRunner`, or `FakeRunner` in tests.

    `SnippetRunner` documents each member; the fake keeps to the same contract.
    """

    @property
    def status(self) -> str:
        """One of "warming", "ready", "running", "crashed", "stopped"."""

    @property
    def problem(self) -> str | None:
        """What is wrong with the runner's Python, in words, or None."""

    def start(self) -> None:
        """Starts warming up; returns at once."""

    def run(
        self,
        code: str,
        *,
        seed: int | None = None,
        timeout: float | None = None,
        memory_mb: int | None = None,
        scratch: bool = False,
        on_output: OutputCallback | None = None,
        filename: str = "<snippet>",
        token: object | None = None,
    ) -> RunResult:
        """Runs `code` to its end and returns how it went (see `SnippetRunner.run`)."""

    def interrupt(self, token: object | None = None) -> None:
        """Interrupts the run given `token` (any run when None)."""

    def restart(self) -> None:
        """Replaces the worker with a fresh one, ending any run."""

    def close(self) -> None:
        """Stops every worker; the runner cannot be used afterwards."""


class SnippetRunner:
    """Runs snippets in a warm worker process, one at a time, each within its limits.

    `run` blocks: call it from a thread (the UI uses a thread worker). `interrupt`, `restart`,
    `close` and `status` may be called from any thread.
    """

    def __init__(
        self,
        *,
        python: str | None = None,
        limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
        spare: bool = True,
        cwd: str | None = None,
    ) -> None:
        """Prepares a runner; no process starts until `start` or the first `run`.

        Args:
            python: The worker's Python; default `$STUDY_PYTHON`, else this interpreter.
            limits: The default limits of every run.
            spare: Keep a second worker warm so that one is ready right after a kill.
            cwd: The worker's working directory (default: this process's).
        """
        self.python = python or os.environ.get("STUDY_PYTHON") or sys.executable
        """The Python that runs the worker."""
        self.limits = limits
        """The default limits; a run may override the timeout and the memory cap."""
        self._has_spare = spare
        self._cwd = cwd
        self._lock = threading.RLock()
        self._run_lock = threading.Lock()
        self._current: WorkerProcess | None = None
        self._spare: WorkerProcess | None = None
        self._running: WorkerProcess | None = None
        self._interrupt_at: float | None = None
        self._active_token: object | None = None
        self._waiting: set[object] = set()
        self._cancelled: set[object] = set()
        self._is_started = False
        self._is_closed = False
        self._has_crashed = False
        self._problem: str | None = None

    def __enter__(self) -> SnippetRunner:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def status(self) -> str:
        """One of "warming", "ready", "running", "crashed", "stopped"."""
        with self._lock:
            if self._is_closed or not self._is_started:
                return "stopped"
            if self._running is not None:
                return "running"
            worker = self._current
            if worker is None or worker.failed:
                return "crashed"
            if worker.ready.is_set():
                return "ready"
            return "crashed" if self._has_crashed else "warming"

    @property
    def problem(self) -> str | None:
        """What is wrong with the worker's Python, in words (it cannot start, or has no torch)."""
        with self._lock:
            worker = self._current
            if worker is not None and worker.ready.is_set() and worker.problem:
                return worker.problem
            return self._problem

    @property
    def torch_version(self) -> str | None:
        """The ready worker's torch version (None while warming or without torch)."""
        worker = self._current
        return worker.torch_version if worker is not None else None

    @property
    def worker_pids(self) -> tuple[int, ...]:
        """The pids of the current worker and the spare, if any (for diagnostics and tests)."""
        with self._lock:
            return tuple(w.pid for w in (self._current, self._spare) if w is not None)

    @property
    def is_spare_ready(self) -> bool:
        """Whether a warm spare is waiting to take over after a kill."""
        with self._lock:
            spare = self._spare
            return spare is not None and spare.ready.is_set() and not spare.failed

    def start(self) -> None:
        """Starts warming a worker in the background; returns at once. Idempotent.

        Raises:
            RunnerError: The runner is closed.
        """
        with self._lock:
            if self._is_closed:
                raise RunnerError("the runner is closed")
            if self._is_started:
                return
            self._is_started = True
            atexit.register(self.close)
            self._current = self._spawn()

    def run(
        self,
        code: str,
        *,
        seed: int | None = None,
        timeout: float | None = None,
        memory_mb: int | None = None,
        scratch: bool = False,
        on_output: OutputCallback | None = None,
        filename: str = "<snippet>",
        token: object | None = None,
    ) -> RunResult:
        """Runs `code` and returns how it went; blocks until it ends (call it from a thread).

        Runs are one at a time: a second caller waits for the first to end.

        Args:
            code: Python source.
            seed: Seed torch, random and numpy with this first.
            timeout: Seconds (default: `limits.timeout`); waiting for a warm worker is not counted.
            memory_mb: MiB the snippet may add (default: `limits.memory_mb`).
            scratch: Run in the scratch namespace, which keeps its variables between scratch runs.
            on_output: Called with (stream, text) as the snippet prints, in order.
            filename: The name tracebacks show for the code.
            token: Any hashable object naming this run, so that `interrupt(token)` stops this
                run only (also while it waits for another caller's run to end).

        Returns:
            The result; a crash, a kill or a timeout is a result, not an exception.

        Raises:
            RunnerError: No worker can be started (the message says why), or the runner is closed.
            ValueError: `timeout` or `memory_mb` is not positive.
        """
        limits = self.limits.override(timeout=timeout, memory_mb=memory_mb)
        interrupted = RunResult(RunStatus.INTERRUPTED, message="interrupted", seed=seed)
        if not self._acquire(token):
            return interrupted
        try:
            self._interrupt_at = None
            worker = self._ready_worker()
            if worker is None:
                return interrupted
            request = {
                "op": "run",
                "code": code,
                "filename": filename,
                "seed": seed,
                "scratch": scratch,
                "output_bytes": limits.output_bytes,
            }
            with self._lock:
                self._running = worker
                self._has_crashed = False
            try:
                return _Run(self, worker, limits, seed, on_output).execute(request)
            finally:
                with self._lock:
                    self._running = None
        finally:
            with self._lock:
                self._active_token = None
            self._run_lock.release()

    def interrupt(self, token: object | None = None) -> None:
        """Interrupts a run: SIGINT now, a kill after `limits.grace` if it persists.

        Args:
            token: Interrupt only the run given this token (if it is waiting for its turn, it
                returns INTERRUPTED without running); None: whichever run is in progress.
        """
        with self._lock:
            if token is not None and token is not self._active_token:
                if token in self._waiting:
                    self._cancelled.add(token)
                return
            self._interrupt_at = time.monotonic()
            worker = self._running
        if worker is not None:
            worker.interrupt()

    def restart(self) -> None:
        """Replaces the current worker with a fresh one (the spare, if warm); ends any run."""
        with self._lock:
            if self._is_closed or not self._is_started:
                return
            old = self._current
            self._current = None
            self._promote()
        if old is not None:
            old.kill("the worker was restarted")

    def close(self) -> None:
        """Kills every worker and its children; the runner cannot be used afterwards."""
        with self._lock:
            self._is_closed = True
            workers = [w for w in (self._current, self._spare) if w is not None]
            self._current = self._spare = None
        for worker in workers:
            worker.kill("the runner was closed")
        with contextlib.suppress(Exception):
            atexit.unregister(self.close)

    # --- internals ----------------------------------------------------------------------------

    def _acquire(self, token: object | None) -> bool:
        """Takes the run lock (False: the run with `token` was interrupted while waiting)."""
        if token is None:
            self._run_lock.acquire()
            return True
        with self._lock:
            self._waiting.add(token)
        try:
            while not self._run_lock.acquire(timeout=TICK):
                if token in self._cancelled:
                    return False
            with self._lock:
                if token in self._cancelled:
                    self._run_lock.release()
                    return False
                self._active_token = token
            return True
        finally:
            with self._lock:
                self._waiting.discard(token)
                self._cancelled.discard(token)

    def _spawn(self) -> WorkerProcess | None:
        """Starts a worker warming in a background thread; None (and `problem`) if it cannot."""
        try:
            worker = WorkerProcess(self.python, cwd=self._cwd)
        except RunnerError as exc:
            self._problem = str(exc)
            return None
        threading.Thread(target=self._warm, args=(worker,), name="study-warm", daemon=True).start()
        return worker

    def _warm(self, worker: WorkerProcess) -> None:
        worker.warm()
        with self._lock:
            if worker.failed:
                self._problem = worker.failed
                return
            self._problem = None
            if (
                self._has_spare
                and not self._is_closed
                and worker is self._current
                and self._spare is None
            ):
                self._spare = self._spawn()

    def _promote(self) -> None:
        """Makes the spare current (or starts a new current worker); starts a new spare."""
        if self._is_closed:
            return
        if self._spare is not None and not self._spare.failed:
            self._current, self._spare = self._spare, None
            if self._has_spare and self._current.ready.is_set():
                self._spare = self._spawn()
        else:
            self._current = self._spawn()

    def _replace(self, worker: WorkerProcess, reason: str) -> None:
        """Kills `worker` and puts a fresh one in its place."""
        with self._lock:
            self._has_crashed = True
            if self._current is worker:
                self._current = None
                self._promote()
        worker.kill(reason)

    def _ready_worker(self) -> WorkerProcess | None:
        """The current worker once warm; None if interrupted while waiting.

        Raises:
            RunnerError: No worker can be started, or the runner is closed.
        """
        self.start()
        for _attempt in range(2):
            with self._lock:
                if self._is_closed:
                    raise RunnerError("the runner is closed")
                if self._current is None or self._current.failed:
                    self._current = None
                    self._promote()
                worker = self._current
            if worker is None:
                raise RunnerError(self._problem or "the worker cannot be started")
            while not worker.ready.wait(TICK):
                if self._interrupt_at is not None:
                    return None
            if not worker.failed:
                return worker
        raise RunnerError(worker.failed or "the worker cannot be started")


class _Run:
    """One run in progress: reads the worker's pipes, enforces the limits, builds the result."""

    def __init__(
        self,
        runner: SnippetRunner,
        worker: WorkerProcess,
        limits: Limits,
        seed: int | None,
        on_output: OutputCallback | None,
    ) -> None:
        self.runner = runner
        self.worker = worker
        self.limits = limits
        self.seed = seed
        self.on_output = on_output
        self.callback_error: BaseException | None = None
        self.parts: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self.kept = 0
        self.raw_dropped = 0
        self.decoders = {
            worker.out_r: ("stdout", codecs.getincrementaldecoder("utf-8")("replace")),
            worker.err_r: ("stderr", codecs.getincrementaldecoder("utf-8")("replace")),
        }

    def execute(self, request: dict[str, object]) -> RunResult:
        worker, limits = self.worker, self.limits
        with worker.reader:
            worker.has_run = True
            start = time.monotonic()
            if not worker.send(request):
                return self._died(start)
            deadline = start + limits.timeout
            stop_at: float | None = None
            reason: RunStatus | None = None
            poller = worker.poller()
            next_memory, ticks = start + TICK, 0
            while True:
                now = time.monotonic()
                if reason is None:
                    interrupt_at = self.runner._interrupt_at
                    if interrupt_at is not None:
                        reason, stop_at = RunStatus.INTERRUPTED, interrupt_at + limits.grace
                        worker.interrupt()
                    elif now >= deadline:
                        reason, stop_at = RunStatus.TIMEOUT, now + limits.grace
                        worker.interrupt()
                if stop_at is not None and now >= stop_at:
                    assert reason is not None
                    return self._stuck(start, reason)
                wait = min(TICK, max(0.0, (stop_at or deadline) - now))
                is_eof = False
                for fd, _event in poller.poll(wait * 1000):
                    data = os.read(fd, 65536)
                    if fd == worker.msg_r:
                        if not data:
                            is_eof = True
                            continue
                        try:
                            messages = worker.decoder.feed(data)
                        except ValueError:
                            worker.kill("the worker's messages were garbled")
                            return self._died(start)
                        for message in messages:
                            if message["op"] == "out":
                                for stream, text in message["chunks"]:
                                    self._emit(stream, text)
                            elif message["op"] == "done":
                                return self._done(start, message, reason)
                    else:
                        self._raw(fd, data)
                if is_eof or not worker.is_alive():
                    return self._died(start)
                now = time.monotonic()
                if now >= next_memory:
                    ticks += 1
                    used_kb = worker.memory_kb(with_children=ticks % 5 == 0)
                    if used_kb > limits.memory_mb * 1024:
                        return self._over_memory(start, used_kb)
                    next_memory = now + TICK

    # --- output -------------------------------------------------------------------------------

    def _emit(self, stream: str, text: str) -> None:
        if not text:
            return
        self.parts[stream].append(text)
        self.kept += len(text)
        if self.on_output is not None and self.callback_error is None:
            try:
                self.on_output(stream, text)
            except Exception as exc:  # re-raised once the run is over and the pipes are quiet
                self.callback_error = exc

    def _raw(self, fd: int, data: bytes) -> None:
        """Output written to the worker's own fds 1 and 2 (C code, subprocesses, crash dumps)."""
        stream, decoder = self.decoders[fd]
        room = self.limits.output_bytes - self.kept
        if len(data) > room:
            self.raw_dropped += len(data) - max(room, 0)
            data = data[: max(room, 0)]
        self._emit(stream, decoder.decode(data, final=not data))

    def _drain_raw(self, seconds: float) -> None:
        """Reads what is waiting on fds 1 and 2 (after a crash: the dump), for up to `seconds`."""
        poller = self.worker.poller()
        poller.unregister(self.worker.msg_r)
        open_fds, end = {self.worker.out_r, self.worker.err_r}, time.monotonic() + seconds
        for _round in range(64):
            events = poller.poll(max(0.0, end - time.monotonic()) * 1000)
            if not events:
                return
            for fd, _event in events:
                data = os.read(fd, 65536)
                if not data:
                    open_fds.discard(fd)
                    poller.unregister(fd)
                else:
                    self._raw(fd, data)
            if not open_fds:
                return

    # --- endings ------------------------------------------------------------------------------

    def _result(
        self,
        start: float,
        status: RunStatus,
        message: str,
        *,
        error: str | None = None,
        truncated: int = 0,
    ) -> RunResult:
        problem = self.worker.problem
        if problem and problem not in message:
            message = f"{message}; {problem}" if message else problem
        if self.callback_error is not None:
            raise self.callback_error
        return RunResult(
            status=status,
            stdout="".join(self.parts["stdout"]),
            stderr="".join(self.parts["stderr"]),
            error=error,
            message=message,
            duration_ms=(time.monotonic() - start) * 1000,
            truncated_bytes=truncated + self.raw_dropped,
            torch_version=self.worker.torch_version,
            device="cpu",
            seed=self.seed,
        )

    def _done(
        self, start: float, message: dict[str, object], reason: RunStatus | None
    ) -> RunResult:
        self._drain_raw(0)
        error = message.get("error")
        error_text = error if isinstance(error, str) else None
        truncated = int(message.get("truncated") or 0)  # type: ignore[call-overload]
        words: list[str] = []
        if reason is RunStatus.TIMEOUT:
            status = RunStatus.TIMEOUT
            words.append(f"stopped at the time limit of {self.limits.timeout:g} s")
        elif reason is RunStatus.INTERRUPTED:
            status = RunStatus.INTERRUPTED
            words.append("interrupted")
        elif message.get("status") == "error":
            status = RunStatus.ERROR
            last = (error_text or "").strip().splitlines()[-1:] or ["an exception"]
            words.append(f"the snippet raised {last[0]}")
        elif message.get("status") == "interrupted":
            status = RunStatus.INTERRUPTED
            words.append("interrupted")
        else:
            status = RunStatus.OK
        leftovers = message.get("leftovers") or []
        threads = message.get("threads") or []
        if leftovers:
            assert isinstance(leftovers, list)
            count = f"{len(leftovers)} process" + ("es" if len(leftovers) > 1 else "")
            words.append(f"the snippet left {count} running ({', '.join(leftovers)}); stopped")
        if threads:
            assert isinstance(threads, list)
            words.append(
                f"the snippet left threads running ({', '.join(map(str, threads))});"
                " the worker was replaced"
            )
            self.runner._replace(self.worker, "the snippet left threads running")
        if truncated + self.raw_dropped:
            words.append(f"output cut after {self.limits.output_bytes:,} bytes")
        return self._result(start, status, "; ".join(words), error=error_text, truncated=truncated)

    def _stuck(self, start: float, reason: RunStatus) -> RunResult:
        """The snippet did not stop within the grace period after SIGINT: kill and replace."""
        grace = f"did not stop within {self.limits.grace:g} s of an interrupt"
        if reason is RunStatus.TIMEOUT:
            words = f"stopped at the time limit of {self.limits.timeout:g} s (it {grace})"
        else:
            words = f"interrupted (the snippet {grace})"
        self.runner._replace(self.worker, words)
        return self._result(start, reason, f"{words}; the worker was killed and replaced")

    def _over_memory(self, start: float, used_kb: int) -> RunResult:
        words = (
            f"memory limit of {self.limits.memory_mb} MiB exceeded"
            f" (the snippet was using {used_kb // 1024} MiB); the worker was killed and replaced"
        )
        self.runner._replace(self.worker, words)
        return self._result(start, RunStatus.KILLED, words)

    def _died(self, start: float) -> RunResult:
        """The worker ended during the run (a crash, `os._exit`, the OS, a restart)."""
        worker = self.worker
        try:
            worker.proc.wait(1.0)
        except subprocess.TimeoutExpired:  # the pipe closed but the process lives on
            worker.kill()
        if not worker.is_closed:
            self._drain_raw(0.2)
        words = worker.kill_reason or describe_exit(worker.proc.returncode)
        self.runner._replace(worker, words)
        return self._result(start, RunStatus.KILLED, f"{words}; a fresh worker took over")
