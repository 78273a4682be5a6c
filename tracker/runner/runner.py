"""Provides `SnippetRunner`: every snippet runs in a fresh process forked from a warm zygote.

The zygote (`child.py`) imports torch once; `start()` begins that in the background. A run
child is forked and warmed up ahead of need (the spare), so that a run costs a round trip over
a pipe, not a fork: each run starts from the same pristine process state, whatever the previous
one did to modules, builtins, the environment or descriptors. Scratch runs keep one child (and
its state) alive on purpose.

Every run gets a wall-clock timeout (SIGINT first, then SIGKILL after a grace period), a memory
cap (resident memory read from /proc by this process, every 50 ms) and an output cap on both
streams together (what is beyond it is read and counted, never kept). No process outlives its
run: the zygote is a child subreaper and kills what a run leaves, and everything when this
process goes away (see docs/snippets.md).
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import os
import queue
import secrets
import select
import shutil
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from tracker.errors import RunnerError
from tracker.runner.limits import Limits
from tracker.runner.process import RunChild, Zygote, describe_exit
from tracker.runner.result import RunResult, RunStatus, WorkerStatus

__all__ = ["OutputCallback", "Runner", "SnippetRunner", "StatusListener"]

OutputCallback = Callable[[str], None]
"""Called with text as the snippet writes it (stdout and stderr together, in the order written,
raw: carriage returns and escape sequences included). Called from the run's thread."""

StatusListener = Callable[[WorkerStatus], None]
"""Called with the runner's new status whenever it changes, from whichever thread changed it."""

TICK = 0.05
"""Seconds between checks of the deadline, the interrupt flag and memory during a run."""

OUTPUT_QUIET = 0.01
"""Seconds at the start of a run during which a write to its output does not wake the run's
thread: what a short snippet prints is read once, with its result (which wakes the thread at
once), so each `print` costs the snippet a write, not a wake-up of a reader on the other core.
After that the output is read as it comes (a flood is read as fast as it is written)."""

FIGURE_RUNS = 200
"""How many runs' figures the default figures directory keeps (older ones go when a runner starts)."""

EXIT_NO_CHANNEL = 75
"""A run child's exit code when it could not send its result (the snippet closed the channel)."""

_EXIT_WORDS = {
    70: "the snippet broke the worker before it could send its result",
    EXIT_NO_CHANNEL: "the snippet closed the runner's descriptors, so its result is missing",
}


class Runner(Protocol):
    """What the UI needs from a runner: `SnippetRunner`, or `FakeRunner` in tests.

    `SnippetRunner` documents each member; the fake keeps to the same contract.
    """

    @property
    def status(self) -> WorkerStatus:
        """Warming, ready, running, crashed or stopped."""

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
        checks: str | None = None,
    ) -> RunResult:
        """Runs `code` to its end and returns how it went (see `SnippetRunner.run`)."""

    def interrupt(self, token: object | None = None) -> None:
        """Interrupts the run given `token` (any run when None)."""

    def kill(self, token: object | None = None) -> None:
        """Kills the run given `token` at once (any run when None)."""

    def restart(self) -> None:
        """Ends any run and the scratch state; the next run starts in a fresh process."""

    def close(self) -> None:
        """Stops every process; the runner cannot be used afterwards."""

    def add_status_listener(self, listener: StatusListener) -> None:
        """Calls `listener` with every later change of `status`."""

    def remove_status_listener(self, listener: StatusListener) -> None:
        """Stops calling `listener`."""


class SnippetRunner:
    """Runs snippets in fresh processes forked from a warm zygote, one at a time, within limits.

    `run` blocks: call it from a thread (the UI uses a thread worker). `interrupt`, `kill`,
    `restart`, `close` and `status` may be called from any thread.
    """

    def __init__(
        self,
        *,
        python: str | None = None,
        limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
        spare: bool = True,
        cwd: str | None = None,
        figures: Path | None = None,
    ) -> None:
        """Prepares a runner; no process starts until `start` or the first `run`.

        Args:
            python: The worker's Python; default `$STUDY_PYTHON`, else this interpreter.
            limits: The default limits of every run.
            spare: Warm up the process forked ahead for the next run (a first tiny model), so
                that a run is a round trip, not a fork and a first torch operation. Off (a
                single run, or `check --run`, where runs follow each other at once): the next
                process is still forked ahead, but not warmed up, which costs less in all.
                (Forking it while a run is still going cost more than it saved on 2 cores.)
            cwd: The worker's working directory (default: this process's).
            figures: Where runs save their matplotlib figures, a directory per run (default:
                `figures/` in the user's data directory, keeping the last `FIGURE_RUNS` runs').
        """
        self.python = python or os.environ.get("STUDY_PYTHON") or sys.executable
        """The Python that runs the worker."""
        self.limits = limits
        """The default limits; a run may override the timeout and the memory cap."""
        self._has_spare = spare
        self._cwd = cwd
        self._figures = figures
        self._figure_root: str | None = None
        """`figures` as text, once its old runs are pruned (at the first run)."""
        self._lock = threading.RLock()
        self._run_lock = threading.Lock()
        self._zygote: Zygote | None = None
        self._spare: RunChild | None = None
        self._scratch: RunChild | None = None
        self._running: RunChild | None = None
        self._interrupt_at: float | None = None
        self._active_token: object | None = None
        self._waiting: set[object] = set()
        self._cancelled: set[object] = set()
        self._is_started = False
        self._is_closed = False
        self._problem: str | None = None
        self._listeners: list[StatusListener] = []
        self._told: WorkerStatus | None = None
        self._to_warm: queue.SimpleQueue[RunChild | int | None] = queue.SimpleQueue()
        """The keeper's work: a new child to read `ready` from, or the number of the run after
        which to fork the next spare (None: stop)."""
        self._runs = 0
        """How many runs have started; a spare asked for after run n is not forked once run n + 1
        has started, since that run's end asks again with what it compiled."""
        self._keeper: threading.Thread | None = None
        self._learn: list[tuple[str, str]] = []
        """What the last run compiled, for the zygote to compile ahead for the next ones."""

    def __enter__(self) -> SnippetRunner:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def status(self) -> WorkerStatus:
        """Warming, ready, running, crashed (the worker's Python cannot start) or stopped."""
        with self._lock:
            if self._is_closed or not self._is_started:
                return WorkerStatus.STOPPED
            if self._running is not None:
                return WorkerStatus.RUNNING
            zygote = self._zygote
            if zygote is None or (zygote.failed and zygote.ready.is_set()):
                return WorkerStatus.CRASHED
            if zygote.ready.is_set():
                return WorkerStatus.READY  # a run may still wait a few ms for its process
            return WorkerStatus.WARMING

    @property
    def problem(self) -> str | None:
        """What is wrong with the worker's Python, in words (it cannot start, or has no torch)."""
        with self._lock:
            zygote = self._zygote
            if zygote is not None and zygote.ready.is_set() and zygote.problem:
                return zygote.problem
            return self._problem

    @property
    def torch_version(self) -> str | None:
        """The worker's torch version (None while warming or without torch)."""
        zygote = self._zygote
        return zygote.torch_version if zygote is not None else None

    @property
    def worker_pids(self) -> tuple[int, ...]:
        """The pids of the zygote and of the spare and scratch children (for diagnostics)."""
        with self._lock:
            pids = [self._zygote.pid] if self._zygote is not None else []
            pids += [c.pid for c in (self._spare, self._scratch) if c is not None and c.pid]
            return tuple(pids)

    @property
    def is_spare_ready(self) -> bool:
        """Whether a warm child is waiting for the next run."""
        with self._lock:
            spare = self._spare
            return spare is not None and spare.ready.is_set() and not spare.failed

    def add_status_listener(self, listener: StatusListener) -> None:
        """Calls `listener(status)` after every later change of `status` (from any thread)."""
        with self._lock:
            self._listeners.append(listener)

    def remove_status_listener(self, listener: StatusListener) -> None:
        """Stops calling `listener` (no error if it was not added)."""
        with self._lock, contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def start(self) -> None:
        """Starts the zygote importing torch in the background; returns at once. Idempotent.

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
            self._keeper = threading.Thread(target=self._keep, name="study-warm", daemon=True)
            self._keeper.start()
            self._start_zygote()
        self._notify()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Waits until a warm process waits for the next run.

        Args:
            timeout: Seconds to wait at most (None: as long as it takes).

        Returns:
            True when one is ready; False after `timeout`, or when the worker cannot start.
        """
        self.start()
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                zygote = self._zygote
                if zygote is None:
                    return False
                event = zygote.ready
                if zygote.ready.is_set():
                    if zygote.failed:
                        return False
                    self._ensure_spare()
                    spare = self._spare
                    if spare is None:
                        return False
                    if spare.ready.is_set():
                        if spare.failed:
                            self._spare = None
                            return False
                        return True
                    event = spare.ready
            left = TICK if end is None else min(TICK, end - time.monotonic())
            if left <= 0:
                return False
            event.wait(left)

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
        checks: str | None = None,
    ) -> RunResult:
        """Runs `code` in a fresh process and returns how it went; blocks until it ends.

        Runs are one at a time: a second caller waits for the first to end.

        Args:
            code: Python source.
            seed: Seed torch, random and numpy with this first.
            timeout: Seconds (default: `limits.timeout`); waiting for a warm worker is not counted.
            memory_mb: MiB the snippet may add (default: `limits.memory_mb`).
            scratch: Run in the scratch process, which keeps its variables (and anything else the
                code changed) between scratch runs, until a fresh run or `restart`.
            on_output: Called with text as the snippet writes it (see `OutputCallback`).
            filename: The name tracebacks show for the code.
            token: Any hashable object naming this run, so that `interrupt(token)` stops this
                run only (also while it waits for another caller's run to end).
            checks: Code to run after `code`, in its namespace but with pristine builtins (a code
                question's checks). The run is OK only if the checks run to their end; `code`
                leaving early (`SystemExit`) is an error.

        Returns:
            The result; a crash, a kill, a timeout or a forged result is a result, not an
            exception.

        Raises:
            RunnerError: No worker can be started (the message says why), or the runner is closed.
            ValueError: `timeout` or `memory_mb` is not positive.
        """
        limits = self.limits
        if timeout is not None or memory_mb is not None:
            limits = limits.override(timeout=timeout, memory_mb=memory_mb)
        if not self._acquire(token):
            return RunResult(RunStatus.INTERRUPTED, message="interrupted", seed=seed)
        try:
            self._interrupt_at = None
            with self._lock:
                self._runs += 1
            child = self._child_for(scratch=scratch)
            if child is None:
                return RunResult(RunStatus.INTERRUPTED, message="interrupted", seed=seed)
            request: dict[str, object] = {
                "op": "run",
                "nonce": secrets.token_hex(16),
                "code": code,
                "filename": filename,
                "seed": seed,
                "scratch": scratch,
                "checks": checks,
                "figures": self._figure_directory(),
            }
            with self._lock:
                self._running = child
            self._notify()
            current = _Run(self, child, limits, seed, on_output)
            try:
                return current.execute(request)
            finally:
                with self._lock:
                    self._running = None
                    if self._has_spare:
                        self._learn = current.compiled  # compiled ahead for the next spares
                    if not scratch or child is not self._scratch or not child.is_alive():
                        if child is self._scratch:
                            self._scratch = None
                        child.close()
                    zygote = self._zygote
                    if scratch and zygote is not None:
                        zygote.sweep()
                    if not self._is_closed and self._spare is None:
                        self._to_warm.put(self._runs)  # forked by the keeper, after we return
                self._notify()
        finally:
            with self._lock:
                self._active_token = None
            self._run_lock.release()

    def _figure_directory(self) -> str:
        """A new directory for one run's figures (created by the worker when it saves one)."""
        if self._figure_root is None:
            root = self._figures
            if root is None:
                from tracker.paths import data_dir

                root = self._figures = data_dir() / "figures"
            prune_figures(root, FIGURE_RUNS)
            self._figure_root = str(root)
        return os.path.join(self._figure_root, secrets.token_hex(8))

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
            child = self._running
        if child is not None:
            child.interrupt()

    def kill(self, token: object | None = None) -> None:
        """Kills a run at once (its result is KILLED, "killed"); no grace period.

        Args:
            token: Kill only the run given this token; None: whichever run is in progress.
        """
        with self._lock:
            if token is not None and token is not self._active_token:
                if token in self._waiting:
                    self._cancelled.add(token)
                return
            child = self._running
        if child is not None:
            child.kill("killed")

    def restart(self) -> None:
        """Ends any run and the scratch state; a dead worker is started again."""
        with self._lock:
            if self._is_closed or not self._is_started:
                return
            victims = [c for c in (self._running, self._scratch) if c is not None]
            self._scratch = None
            zygote = self._zygote
            if zygote is None or (zygote.failed and zygote.ready.is_set()):
                self._start_zygote()
        for child in victims:
            child.kill("the worker was restarted")
        self._notify()

    def close(self) -> None:
        """Kills every worker process and what they started; the runner cannot be used again."""
        with self._lock:
            self._is_closed = True
            zygote, self._zygote = self._zygote, None
            children = [c for c in (self._spare, self._scratch, self._running) if c is not None]
            self._spare = self._scratch = None
        for child in children:
            child.kill("the runner was closed")
        self._to_warm.put(None)
        if zygote is not None:
            zygote.close()
        with contextlib.suppress(Exception):
            atexit.unregister(self.close)
        self._notify()

    # --- internals ----------------------------------------------------------------------------

    def _notify(self) -> None:
        """Tells the listeners the status, if it changed since they were last told."""
        status = self.status
        with self._lock:
            if status == self._told:
                return
            self._told = status
            listeners = list(self._listeners)
        for listener in listeners:
            listener(status)

    def _start_zygote(self) -> None:
        """Starts a zygote (lock held); the first spare is forked once it is ready."""
        self._spare = None
        try:
            self._zygote = Zygote(self.python, cwd=self._cwd, on_change=self._on_zygote_change)
        except RunnerError as exc:
            self._zygote = None
            self._problem = str(exc)

    def _on_zygote_change(self) -> None:
        with self._lock:
            zygote = self._zygote
            if zygote is not None and not zygote.failed and not self._is_closed:
                self._problem = None
                self._ensure_spare()
            elif zygote is not None and zygote.failed:
                if zygote.info and not self._is_closed:  # it had started: crashed or killed
                    self._start_zygote()
                else:
                    self._problem = zygote.failed
        self._notify()

    def _ensure_spare(self) -> None:
        """Forks the next spare if there is none (lock held)."""
        zygote = self._zygote
        if self._spare is not None or zygote is None or not zygote.ready.is_set():
            return
        if zygote.failed:
            return
        learn, self._learn = self._learn, []
        self._spare = zygote.fork(warm_up=self._has_spare, learn=learn)
        self._to_warm.put(self._spare)

    def _keep(self) -> None:
        """The keeper thread: forks the next spare after a run, and reads each new child's `ready`.

        (No thread is started per run; a run returns its result before the next spare is asked for.)
        """
        while (child := self._to_warm.get()) is not None:
            if isinstance(child, int):
                with self._lock:
                    if not self._is_closed and child == self._runs:
                        self._ensure_spare()
                continue
            assert isinstance(child, RunChild)
            child.warm()
            self._notify()

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

    def _child_for(self, *, scratch: bool) -> RunChild | None:
        """A warm child for the run (the scratch one, or the spare); None if interrupted.

        Raises:
            RunnerError: No worker can be started, or the runner is closed.
        """
        self.start()
        with self._lock:
            if self._is_closed:
                raise RunnerError("the runner is closed")
            old_scratch = self._scratch
            if scratch and old_scratch is not None and old_scratch.is_alive():
                return old_scratch
            self._scratch = None
        if old_scratch is not None:
            old_scratch.kill("a fresh run ended the scratch state")
        for _attempt in range(3):
            with self._lock:
                if self._is_closed:
                    raise RunnerError("the runner is closed")
                zygote = self._zygote
                if zygote is None or (zygote.failed and zygote.ready.is_set()):
                    if zygote is not None and zygote.ready.is_set() and not zygote.info:
                        raise RunnerError(zygote.failed or "the worker cannot be started")
                    self._start_zygote()
                    zygote = self._zygote
                if zygote is None:
                    raise RunnerError(self._problem or "the worker cannot be started")
            while not zygote.ready.wait(TICK):
                if self._interrupt_at is not None:
                    return None
            with self._lock:
                if zygote.failed:
                    if not zygote.info:
                        raise RunnerError(zygote.failed)
                    continue  # it died after starting: start another
                self._ensure_spare()
                child, self._spare = self._spare, None
            if child is None:
                continue
            while not child.ready.wait(TICK):
                if self._interrupt_at is not None:
                    with self._lock:
                        if self._spare is None:
                            self._spare = child
                    return None
            if not child.failed:
                if scratch:
                    with self._lock:
                        self._scratch = child
                return child
        raise RunnerError(self._problem or "the worker cannot be started")


class _Run:
    """One run in progress: reads the child's pipes, enforces the limits, builds the result."""

    def __init__(
        self,
        runner: SnippetRunner,
        child: RunChild,
        limits: Limits,
        seed: int | None,
        on_output: OutputCallback | None,
    ) -> None:
        self.runner = runner
        self.child = child
        self.limits = limits
        self.seed = seed
        self.on_output = on_output
        self.callback_error: BaseException | None = None
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.is_output_open = True
        self.nonce = ""
        self.has_checks = False
        self.figure_directory: str | None = None
        self.request: dict[str, object] = {}
        self.compiled: list[tuple[str, str]] = []
        """The `(filename, source)` pairs the child compiled (once it has said so)."""

    def execute(self, request: dict[str, object]) -> RunResult:
        child, limits = self.child, self.limits
        self.request = request
        self.nonce = str(request["nonce"])
        self.has_checks = request.get("checks") is not None
        self.figure_directory = str(request["figures"])
        poller = select.poll()
        poller.register(child.msg_r, select.POLLIN)
        stop_at: float | None = None
        reason: RunStatus | None = None
        with child.reader:
            start = time.monotonic()
            if child.is_closed or not child.send(request):
                return self._died(start)
            deadline = start + limits.timeout
            next_memory, ticks = start + TICK, 0
            quiet_until, is_watching = start + OUTPUT_QUIET, False
            while True:
                now = time.monotonic()
                if reason is None:
                    interrupt_at = self.runner._interrupt_at
                    if interrupt_at is not None:
                        reason, stop_at = RunStatus.INTERRUPTED, interrupt_at + limits.grace
                        child.interrupt()
                    elif now >= deadline:
                        reason, stop_at = RunStatus.TIMEOUT, now + limits.grace
                        child.interrupt()
                if stop_at is not None and now >= stop_at:
                    assert reason is not None
                    return self._stuck(start, reason)
                if not is_watching and now >= quiet_until and self.is_output_open:
                    poller.register(child.out_r, select.POLLIN)
                    is_watching = True
                left = TICK if is_watching else quiet_until - now
                wait = min(max(left, 0.0), max(0.0, (stop_at or deadline) - now))
                is_eof = False
                events = poller.poll(wait * 1000)
                has_output = self.is_output_open and (
                    not is_watching or any(fd == child.out_r for fd, _event in events)
                )
                if has_output and not self._read_output() and is_watching:
                    poller.unregister(child.out_r)
                if any(fd == child.msg_r for fd, _event in events):
                    ending = self._read_message(start, reason)
                    if ending is not None:
                        return ending
                    is_eof = True
                if not is_eof and not child.is_alive() and _is_readable(child.msg_r):
                    continue  # it ended after writing: read what it wrote first
                if is_eof or not child.is_alive():
                    return self._died(start)
                now = time.monotonic()
                if now >= next_memory:
                    ticks += 1
                    used_kb = child.memory_kb(with_children=ticks % 5 == 0)
                    if used_kb > limits.memory_mb * 1024:
                        return self._over_memory(start, used_kb)
                    next_memory = now + TICK

    def _read_message(self, start: float, reason: RunStatus | None) -> RunResult | None:
        """Reads the message pipe: the run's end if a frame arrived; None at end of file."""
        child = self.child
        while True:
            try:
                data = os.read(child.msg_r, 65536)
            except OSError:
                data = b""
            if not data:
                return None
            try:
                messages = child.decoder.feed(data)
            except ValueError:
                return self._forged(start, "garbled")
            for message in messages:
                if message.get("op") != "done" or message.get("nonce") != self.nonce:
                    return self._forged(start, "forged")
                return self._done(start, message, reason)
            if not _is_readable(child.msg_r):
                break
        return self._wait_for_rest(start, reason)

    def _wait_for_rest(self, start: float, reason: RunStatus | None) -> RunResult | None:
        """Part of a frame arrived: the rest follows at once, or the child is gone."""
        child = self.child
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            if _is_readable(child.msg_r, 50):
                return self._read_message(start, reason)
            if not child.is_alive():
                return None
        return None

    # --- output -------------------------------------------------------------------------------

    def _read_output(self, rounds: int = 16) -> bool:
        """Reads what the output pipe holds (up to `rounds` reads); False at its end."""
        for _round in range(rounds):
            try:
                data = os.read(self.child.out_r, 1 << 20)
            except BlockingIOError:
                return True
            except OSError:
                data = b""
            if not data:
                self._emit(self.decoder.decode(b"", final=True))
                self.is_output_open = False
                return False
            room = self.limits.output_bytes - self.kept
            if len(data) > room:
                self.dropped += len(data) - max(room, 0)
                data = data[: max(room, 0)]
            if data:
                self.kept += len(data)
                self._emit(self.decoder.decode(data))
        return True

    def _emit(self, text: str) -> None:
        if not text:
            return
        self.parts.append(text)
        if self.on_output is not None and self.callback_error is None:
            try:
                self.on_output(text)
            except Exception as exc:  # re-raised once the run is over and the pipes are quiet
                self.callback_error = exc

    def _drain(self, seconds: float = 0.0) -> None:
        """Reads what is left in the output pipe (after a crash: the dump), for up to `seconds`."""
        if self.child.is_closed or not self.is_output_open:
            return
        end = time.monotonic() + seconds
        while self._read_output(rounds=64) and self.kept < self.limits.output_bytes:
            left = end - time.monotonic()
            if left <= 0:
                break
            poller = select.poll()
            poller.register(self.child.out_r, select.POLLIN)
            if not poller.poll(left * 1000):
                break
        self._emit(self.decoder.decode(b"", final=True))

    # --- endings ------------------------------------------------------------------------------

    def _result(
        self,
        start: float,
        status: RunStatus,
        message: str,
        *,
        error: str | None = None,
        figures: tuple[str, ...] = (),
    ) -> RunResult:
        zygote = self.runner._zygote
        problem = zygote.info.get("problem") if zygote is not None else None
        if problem and problem not in message:
            message = f"{message}; {problem}" if message else problem
        if self.callback_error is not None:
            raise self.callback_error
        return RunResult(
            status=status,
            stdout="".join(self.parts),
            error=error,
            message=message,
            duration_ms=(time.monotonic() - start) * 1000,
            truncated_bytes=self.dropped,
            torch_version=zygote.torch_version if zygote is not None else None,
            device="cpu",
            seed=self.seed,
            figures=figures,
        )

    def _done(
        self, start: float, message: dict[str, object], reason: RunStatus | None
    ) -> RunResult:
        self._drain()
        if message.get("compiled") is True:
            self.compiled = [(str(self.request["filename"]), str(self.request["code"]))]
            if self.has_checks:
                name = f"{self.request['filename']} checks"
                self.compiled.append((name, str(self.request["checks"])))
        error = message.get("error")
        error_text = error if isinstance(error, str) else None
        words: list[str] = []
        state = message.get("status")
        if reason is RunStatus.TIMEOUT:
            status = RunStatus.TIMEOUT
            words.append(f"stopped at the time limit of {self.limits.timeout:g} s")
        elif reason is RunStatus.INTERRUPTED or state == "interrupted":
            status = RunStatus.INTERRUPTED
            words.append("interrupted")
        elif state == "exited":
            status = RunStatus.ERROR
            words.append(
                f"the code left the process ({(error_text or 'SystemExit').strip()})"
                " before the checks could run"
            )
        elif state == "error":
            status = RunStatus.ERROR
            last = (error_text or "").strip().splitlines()[-1:] or ["an exception"]
            words.append(f"the snippet raised {last[0]}")
        elif self.has_checks and message.get("checked") is not True:
            status = RunStatus.ERROR
            words.append("the checks did not run to their end")
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
                " they were stopped with its process"
            )
            self.child.kill()
        if self.dropped:
            words.append(f"output cut after {self.limits.output_bytes:,} bytes")
        extras = message.get("extras")
        figures = self._figures(extras.get("figures") if isinstance(extras, dict) else None)
        return self._result(start, status, "; ".join(words), error=error_text, figures=figures)

    def _figures(self, named: object) -> tuple[str, ...]:
        """The PNGs the `done` message names that are in this run's directory and exist."""
        if not isinstance(named, list) or self.figure_directory is None:
            return ()
        directory = Path(self.figure_directory)
        return tuple(
            str(path)
            for path in (Path(str(name)) for name in named)
            if path.parent == directory and path.suffix == ".png" and path.is_file()
        )

    def _forged(self, start: float, how: str) -> RunResult:
        """A message that is not the child's own result: the snippet wrote to the channel."""
        self.child.kill()
        self._drain()
        words = (
            f"the run's result was {how}: the snippet wrote to the runner's own channel,"
            " so what it printed cannot be trusted; the next run is not affected"
        )
        return self._result(start, RunStatus.ERROR, words)

    def _stuck(self, start: float, reason: RunStatus) -> RunResult:
        """The snippet did not stop within the grace period after SIGINT: kill it."""
        grace = f"did not stop within {self.limits.grace:g} s of an interrupt"
        if reason is RunStatus.TIMEOUT:
            words = f"stopped at the time limit of {self.limits.timeout:g} s (it {grace})"
        else:
            words = f"interrupted (the snippet {grace})"
        self.child.kill(words)
        self._drain()
        return self._result(start, reason, f"{words}; its process was killed")

    def _over_memory(self, start: float, used_kb: int) -> RunResult:
        words = (
            f"memory limit of {self.limits.memory_mb} MiB exceeded"
            f" (the snippet was using {used_kb // 1024} MiB); its process was killed"
        )
        self.child.kill(words)
        self._drain()
        return self._result(start, RunStatus.KILLED, words)

    def _died(self, start: float) -> RunResult:
        """The child ended without a result: a crash, `os._exit`, a kill, a closed channel."""
        child = self.child
        child.exited.wait(2.0)
        self._drain(0.2)
        code = child.exit_code
        if child.kill_reason:
            words = child.kill_reason
        elif code is not None and code in _EXIT_WORDS:
            words = _EXIT_WORDS[code]
        elif code == 0:
            words = "the run ended without its result (the snippet ended its process early)"
        else:
            words = describe_exit(code)
        child.kill()
        return self._result(start, RunStatus.KILLED, words)


def prune_figures(root: Path, keep: int) -> None:
    """Deletes all but the `keep` newest run directories under `root` (by modification time).

    Args:
        root: The figures directory; nothing happens when it does not exist.
        keep: How many runs' figures to keep.
    """
    try:
        runs = [entry for entry in root.iterdir() if entry.is_dir()]
    except OSError:
        return
    if len(runs) <= keep:
        return
    runs.sort(key=lambda entry: entry.stat().st_mtime, reverse=True)
    for entry in runs[keep:]:
        shutil.rmtree(entry, ignore_errors=True)


def _is_readable(fd: int, timeout_ms: int = 0) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(timeout_ms))
