"""Provides the snippet worker: a zygote that imports torch once and forks one process per run.

Started by `SnippetRunner` as `PYTHON child.py SOCKET_FD` in a session of its own. This is the only
module of the tracker that imports torch, and it imports nothing from the tracker, so it runs
under any Python 3.8+ that the mentee points it at.

Two kinds of process run this file:

- **The zygote** imports torch and numpy and never runs a torch operation (a process must not fork
  after OpenMP has started its threads). It is a child subreaper (`PR_SET_CHILD_SUBREAPER`), so
  every process a snippet starts stays its descendant however it detaches; it kills what a run
  leaves behind, and everything when the runner's socket closes (the app ended, even by SIGKILL).
  It talks to the runner over a Unix socket: `fork` requests carry the new child's three pipes
  as SCM_RIGHTS descriptors, and the sources the last run compiled, which the zygote compiles
  (never runs) so that later children find them compiled; it answers `forked` and, when a
  child ends, `exited`.
- **A run child** is forked ahead of need and warms itself up (a first tiny model, off the
  critical path), then waits for one `run` request, runs it and exits: every run starts from the
  same pristine process. A scratch child keeps serving scratch runs, keeping their state.

A run child's fds 1 and 2 are one pipe to the runner, so `print`, `os.write` and subprocesses
interleave in the order written, as in a terminal. Its protocol pipes are separate; its `done`
message carries the run's nonce and is sent with functions bound before the snippet ran, so a
snippet that rebinds builtins or modules cannot garble it, and one that forges or suppresses it
only spoils its own run (the runner checks the nonce, and that the child then exits).

Wire format: frames of a 4-byte big-endian length and UTF-8 JSON (`tracker/runner/protocol.py`).
"""

from __future__ import annotations

import array
import builtins
import contextlib
import gc
import io
import json
import linecache
import os
import random
import select
import signal
import socket
import struct
import sys
import threading
import time
import traceback
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # (this script runs under any Python 3.8+: no runtime generics here)
    from collections.abc import Callable

    Hook = Callable[[str, dict[str, Any], dict[str, Any]], dict[str, Any] | None]
    """A per-run hook of a run child (see `RunChild.hooks`)."""

HEADER = struct.Struct(">I")
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
OWNER = os.getpid()
"""The pid of the process that runs snippets; a process forked by a snippet must stay silent."""
PRISTINE_BUILTINS = dict(builtins.__dict__)
"""The builtins as they were before any snippet ran: the namespace a code question's checks get."""

_write = os.write
_read = os.read
_dumps = json.dumps
_loads = json.loads
_pack = HEADER.pack
_unpack = HEADER.unpack
_exit = os._exit
_getpid = os.getpid
_len = len
_memoryview = memoryview


def send_frame(fd: int, message: dict[str, Any]) -> None:
    """Writes one frame to `fd` with functions bound at import (a snippet may rebind them)."""
    body = _dumps(message, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )
    data = _memoryview(_pack(_len(body)) + body)
    while data:
        data = data[_write(fd, data) :]


def receive_frame(fd: int) -> dict[str, Any] | None:
    """The next frame read from `fd`, or None at end of file."""
    header = _read_exactly(fd, HEADER.size)
    if header is None:
        return None
    body = _read_exactly(fd, _unpack(header)[0])
    if body is None:
        return None
    message: dict[str, Any] = _loads(body.decode("utf-8", "surrogatepass"))
    return message


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        try:
            chunk = _read(fd, min(size, 1 << 20))
        except OSError:
            return None
        if not chunk:
            return None
        chunks.append(chunk)
        size -= _len(chunk)
    return b"".join(chunks)


# --- the zygote -------------------------------------------------------------------------------


class Zygote:
    """Forks run children on request; reaps them, reports their ends, and kills what they leave."""

    def __init__(self, sock: socket.socket, torch_module: Any, numpy_module: Any) -> None:
        self.sock = sock
        self.torch = torch_module
        self.numpy = numpy_module
        self.children: dict[int, int] = {}
        """pid -> request id of every run child that has not been reaped."""
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        signal.set_wakeup_fd(self.wake_w)

    def serve(self) -> int:
        """Answers requests until the runner's socket closes, then kills every descendant."""
        poller = select.poll()
        poller.register(self.sock.fileno(), select.POLLIN)
        poller.register(self.wake_r, select.POLLIN)
        while True:
            for fd, _event in poller.poll():
                if fd == self.wake_r:
                    with contextlib.suppress(OSError):
                        os.read(self.wake_r, 4096)
                    self.reap()
                    continue
                try:
                    data, ancillary, _flags, _address = self.sock.recvmsg(
                        65536, socket.CMSG_SPACE(8 * 4)
                    )
                except (ConnectionError, OSError):
                    data, ancillary = b"", []
                if not data:
                    kill_tree(os.getpid())
                    return 0
                fds = array.array("i")
                for level, kind, payload in ancillary:
                    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                        fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
                request = json.loads(data.decode("utf-8"))
                if request.get("op") == "fork" and len(fds) == 3:
                    learn(request.get("learn") or [])
                    self.fork(request["id"], request.get("warm", True), *fds)
                else:
                    for fd_number in fds:
                        os.close(fd_number)
                    if request.get("op") == "sweep":
                        self.sweep()

    def fork(self, request_id: int, warm: bool, ctl_r: int, msg_w: int, out_w: int) -> None:
        """Forks a run child wired to the given pipes; answers with its pid."""
        # A signal that arrives while the kernel copies the zygote makes it throw the copy away
        # and start again (ERESTARTNOINTR): SIGCHLD (a run child ending) waits until it is done.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
        try:
            pid = os.fork()
        except OSError as exc:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            for fd in (ctl_r, msg_w, out_w):
                os.close(fd)
            self.say({"op": "forked", "id": request_id, "pid": None, "error": str(exc)})
            return
        if pid != 0:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        if pid == 0:
            try:
                self.become_child(warm, ctl_r, msg_w, out_w)
            finally:
                _exit(70)
        for fd in (ctl_r, msg_w, out_w):
            os.close(fd)
        self.children[pid] = request_id
        self.say({"op": "forked", "id": request_id, "pid": pid})

    def become_child(self, warm: bool, ctl_r: int, msg_w: int, out_w: int) -> None:
        """In the new child: drop the zygote's ends, wire fds 0-2, warm up, then serve runs."""
        zygote = os.getppid()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        os.close(self.wake_r)
        os.close(self.wake_w)
        self.sock.close()
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != zygote:
            _exit(1)
        for fd in (ctl_r, msg_w):
            os.set_inheritable(fd, False)
        global OWNER
        OWNER = os.getpid()
        random.seed()  # a fresh process seeds `random` from the OS, and so does each run child
        if self.numpy is not None:
            self.numpy.random.seed()
        if self.torch is not None:
            self.torch.seed()  # (torch's generator, too, draws its seed from the OS at import)
        for fd, mode in ((0, os.O_RDONLY), (1, os.O_WRONLY), (2, os.O_WRONLY)):
            null = os.open(os.devnull, mode)
            os.dup2(null, fd)
            os.close(null)
        runner = RunChild(ctl_r, msg_w, self.torch, self.numpy)
        if warm:
            runner.rehearse()  # what it might print goes nowhere: it is no run's output
        os.dup2(out_w, 1)
        os.dup2(out_w, 2)
        os.close(out_w)
        _exit(runner.serve())

    def reap(self) -> None:
        """Reaps every ended child; reports run children and sweeps what they left."""
        ended = False
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            request_id = self.children.pop(pid, None)
            if request_id is not None:
                ended = True
                code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
                self.say({"op": "exited", "id": request_id, "pid": pid, "code": code})
        if ended:
            self.sweep()

    def sweep(self) -> None:
        """Kills every descendant that is not under a live run child (what ended runs left)."""
        strays = [pid for pid in children_of(os.getpid()) if pid not in self.children]
        if strays:
            kill_tree(None, strays)

    def say(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            self.sock.send(json.dumps(message).encode("utf-8"))


COMPILED: dict[tuple[str, str], Any] = {}
"""(filename, source) -> code object: sources the zygote compiled for its children, so that a
run of the same code again (the mentee runs a snippet again, or a question's checks) skips the
compile. Oldest first; at most `COMPILED_KEPT`."""

COMPILED_KEPT = 32


def learn(sources: list[Any]) -> None:
    """In the zygote: compiles `[filename, source]` pairs that a run child compiled before.

    Only sources that compile without a warning are kept (a run compiles the others itself,
    so that its output shows the warning); the zygote never runs them.
    """
    import warnings

    for pair in sources:
        if not isinstance(pair, list) or len(pair) != 2:
            continue
        key = (str(pair[0]), str(pair[1]))
        code = COMPILED.pop(key, None)
        if code is None:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    code = compile(key[1], key[0], "exec", dont_inherit=True)
            except Exception:  # not kept ahead: the run compiles it and reports the error itself
                continue
        COMPILED[key] = code
        while len(COMPILED) > COMPILED_KEPT:
            del COMPILED[next(iter(COMPILED))]


def _compile(source: str, filename: str) -> Any:
    """`source` compiled as `python -c` would (the zygote's copy when it has one)."""
    code = COMPILED.get((filename, source))
    if code is None:
        code = compile(source, filename, "exec", dont_inherit=True)
    return code


def children_of(pid: int) -> list[int]:
    """The pids of `pid`'s live children (from /proc; zombies included)."""
    found: list[int] = []
    try:
        tasks = os.listdir("/proc/" + str(pid) + "/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open("/proc/" + str(pid) + "/task/" + task + "/children", "rb") as listing:
                found.extend(int(word) for word in listing.read().split())
        except OSError:
            return _children_by_scan(pid)
    return found


def _children_by_scan(pid: int) -> list[int]:
    found: list[int] = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/" + entry + "/stat", "rb") as stat:
                    data = stat.read()
            except OSError:
                continue
            if int(data[data.rfind(b")") + 2 :].split()[1]) == pid:
                found.append(int(entry))
    return found


def descendants_of(pid: int) -> list[int]:
    """Every live descendant of `pid`, parents before children."""
    found: list[int] = []
    queue = [pid]
    while queue:
        for child in children_of(queue.pop()):
            if child not in found:
                found.append(child)
                queue.append(child)
    return found


def _name(pid: int) -> str:
    try:
        with open("/proc/" + str(pid) + "/stat", "rb") as stat:
            data = stat.read().decode("utf-8", "replace")
    except OSError:
        return "?"
    return data[data.find("(") + 1 : data.rfind(")")]


def kill_tree(root: int | None, extra: list[int] | tuple[int, ...] = ()) -> list[int]:
    """Stops then kills `extra` and every descendant of them and of `root` (not `root` itself).

    SIGSTOP first, so that nothing forks while the tree is being walked; repeated until nothing
    is left. Returns the pids killed.
    """
    killed: list[int] = []
    for _round in range(20):
        targets = list(extra)
        for pid in list(extra):
            targets += descendants_of(pid)
        if root is not None:
            targets += descendants_of(root)
        targets = [pid for pid in targets if pid not in killed and _is_alive(pid)]
        if not targets:
            break
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for pid in targets:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, sig)
        killed += targets
        if root is not None:
            with contextlib.suppress(ChildProcessError):
                while os.waitpid(-1, os.WNOHANG)[0]:
                    pass
        time.sleep(0.001)
    return killed


def _is_alive(pid: int) -> bool:
    try:
        with open("/proc/" + str(pid) + "/stat", "rb") as stat:
            data = stat.read()
    except OSError:
        return False
    return data[data.rfind(b")") + 2 :].split()[0] not in (b"Z", b"X")


# --- a run child ------------------------------------------------------------------------------


class RunChild:
    """Serves runs in a forked child: one fresh run and exit, or scratch runs until told to stop."""

    def __init__(self, ctl_r: int, msg_w: int, torch_module: Any, numpy_module: Any) -> None:
        self.ctl_r = ctl_r
        self.msg_w = msg_w
        self.torch = torch_module
        self.numpy = numpy_module
        self.is_running = False
        self.scratch: dict[str, Any] | None = None
        self.figures = FigureCapture()
        """Saves the run's matplotlib figures as PNGs (its `figures` extra)."""
        self.hooks: list[Hook] = [self.figures]
        """Per-run extras (capturing figures, say): each is called as `hook(phase, request,
        namespace)` with phase "before" the snippet runs (in its process, its namespace ready) and
        "after" it ended; a dict returned "after" goes back to the runner in the `done` message's
        `extras`. A hook that raises is ignored; the snippet's own result stands."""
        sys.stdout = _stream(1)
        sys.stderr = _stream(2)
        setattr(sys, "__stdout__", sys.stdout)  # noqa: B010 - code that restores sys.stdout keeps ours
        setattr(sys, "__stderr__", sys.stderr)  # noqa: B010 - (the names are Final to type checkers)
        signal.signal(signal.SIGINT, self.on_sigint)

    def on_sigint(self, signum: int, frame: Any) -> None:
        """Interrupts the snippet; ignored between runs."""
        if self.is_running:
            raise KeyboardInterrupt

    def serve(self) -> int:
        """Says ready, then runs requests; returns the exit code."""
        send_frame(self.msg_w, {"op": "ready", "pid": _getpid()})
        while True:
            request = receive_frame(self.ctl_r)
            if request is None or request.get("op") != "run":
                return 0
            nonce = request.get("nonce")
            done = self.run(request)
            _flush_streams()
            done["nonce"] = nonce
            try:
                send_frame(self.msg_w, done)
            except Exception:
                return 75  # the snippet closed or replaced the channel: the runner says so
            if not request.get("scratch"):
                return 0

    def rehearse(self) -> None:
        """Goes through `WARM_UP_ROUNDS` runs of `WARM_UP` as the runner would ask for them.

        The first torch operations of a process (thread pools, dispatch tables, the code paths
        of a small model and of printing) cost tens of milliseconds, and the first pass through
        any code in a forked child faults its pages in: a spare pays both ahead of need, for
        the snippet's torch calls and for this class's own path (the request and result frames
        go through a pipe of its own). Python specializes a function's bytecode after a few
        calls, so the rounds leave that path specialized too. The torch seed is set back, and
        nothing of the rehearsal is left for the snippet to see.
        """
        if self.torch is None:
            return
        seed = self.torch.initial_seed()
        request = {"op": "run", "code": WARM_UP, "filename": "<warm-up>", "nonce": "warm-up"}
        read_end, write_end = os.pipe()
        try:
            for _round in range(WARM_UP_ROUNDS):
                send_frame(write_end, request)
                done = self.run(receive_frame(read_end) or request)
                _flush_streams()
                send_frame(write_end, done)
                receive_frame(read_end)
        finally:
            os.close(read_end)
            os.close(write_end)
        self.torch.manual_seed(seed)
        linecache.cache.pop("<warm-up>", None)
        gc.collect()
        gc.freeze()  # what the rehearsal left is not traversed again by the run's collections

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        """Runs one `run` request and returns its `done` message."""
        code = request["code"]
        filename = request.get("filename") or "<snippet>"
        checks = request.get("checks")
        if request.get("scratch"):
            if self.scratch is None:
                self.scratch = _namespace()
            namespace = self.scratch
        else:
            namespace = _namespace()
        if request.get("seed") is not None:
            self.seed(int(request["seed"]))
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        threads = set(threading.enumerate())
        status = "ok"
        error: str | None = None
        checked: bool | None = None
        is_compiled = False
        for hook in self.hooks:
            with contextlib.suppress(Exception):
                hook("before", request, namespace)
        try:
            try:
                compiled = _compile(code, filename)
                checks_code = None
                if checks is not None:
                    checks_name = filename + " checks"
                    linecache.cache[checks_name] = (
                        len(checks),
                        None,
                        checks.splitlines(True),
                        checks_name,
                    )
                    checks_code = _compile(checks, checks_name)
                    checked = False
                is_compiled = True
                self.is_running = True
                exec(compiled, namespace)
                if checks_code is not None:
                    _flush_streams()
                    checks_namespace = dict(namespace)
                    checks_namespace["__builtins__"] = dict(PRISTINE_BUILTINS)
                    exec(checks_code, checks_namespace)
                    checked = True
            finally:
                self.is_running = False
        except KeyboardInterrupt as exc:
            status, error = "interrupted", _format(exc)
        except SystemExit as exc:
            if checks is not None:
                status = "exited"
                error = "SystemExit: " + str(exc.code) + "\n"
            elif exc.code not in (None, 0):
                status, error = "error", "SystemExit: " + str(exc.code) + "\n"
        except BaseException as exc:
            status, error = "error", _format(exc)
        finally:
            if _getpid() != OWNER:
                _exit(0)  # a process forked by the snippet ends here, silently
        extras: dict[str, Any] = {}
        for hook in self.hooks:
            with contextlib.suppress(Exception):
                extras.update(hook("after", request, namespace) or {})
        leftovers = _stop_children()
        extra = [t.name for t in threading.enumerate() if t not in threads and t.is_alive()]
        return {
            "op": "done",
            "status": status,
            "error": error,
            "checked": checked,
            "compiled": is_compiled,
            "leftovers": leftovers,
            "threads": extra,
            "extras": extras,
        }

    def seed(self, seed: int) -> None:
        random.seed(seed)
        if self.torch is not None:
            self.torch.manual_seed(seed)
        if self.numpy is not None:
            self.numpy.random.seed(seed % 2**32)


class FigureCapture:
    """Saves each matplotlib figure a run draws as a PNG: at every `plt.show()` and at its end.

    The zygote sets `MPLBACKEND=Agg`, so nothing tries to open a window. A run's request names
    the directory (`figures`); the PNGs are `figure-1.png`, `figure-2.png`, ... in the order
    drawn, and the `done` message lists them. When the code mentions matplotlib, pyplot is
    imported before it runs so that `plt.show()` saves (and closes) the figures drawn so far;
    whatever is still open at the end is saved then.
    """

    def __init__(self) -> None:
        self.directory: str | None = None
        self.saved: list[str] = []

    def __call__(
        self, phase: str, request: dict[str, Any], namespace: dict[str, Any]
    ) -> dict[str, Any] | None:
        if phase == "before":
            self.directory = request.get("figures") or None
            self.saved = []
            if self.directory and "matplotlib" in request.get("code", ""):
                try:
                    import matplotlib.pyplot as pyplot
                except Exception:
                    return None  # the snippet's own import says what is missing

                def show(*args: Any, **kwargs: Any) -> None:
                    """Saves the figures drawn so far as PNGs, and closes them."""
                    self.show()

                pyplot.show = show  # a function: pyplot sets `__signature__` on it
            return None
        if self.directory:
            pyplot = sys.modules.get("matplotlib.pyplot")
            if pyplot is not None:
                self.save(pyplot)
        return {"figures": list(self.saved)} if self.saved else None

    def show(self) -> None:
        """`plt.show()` in a run: saves the open figures and closes them."""
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None and self.directory:
            self.save(pyplot)

    def save(self, pyplot: Any) -> None:
        numbers = pyplot.get_fignums()
        if not numbers or self.directory is None:
            return
        os.makedirs(self.directory, exist_ok=True)
        for number in numbers:
            path = os.path.join(self.directory, "figure-" + str(len(self.saved) + 1) + ".png")
            pyplot.figure(number).savefig(path, bbox_inches="tight")
            self.saved.append(path)
        pyplot.close("all")


def _stream(fd: int) -> io.TextIOWrapper:
    """A line-buffered text stream on `fd`, as Python gives a script whose output is a terminal."""
    return io.TextIOWrapper(
        open(fd, "wb", closefd=False),
        encoding="utf-8",
        errors="backslashreplace" if fd == 2 else "strict",
        line_buffering=True,
    )


def _flush_streams() -> None:
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.flush()


def _namespace() -> dict[str, Any]:
    return {"__name__": "__main__", "__builtins__": builtins, "__doc__": None}


def _format(exc: BaseException) -> str:
    """The traceback of `exc` without the worker's own frames (its runner, its SIGINT handler)."""
    report = traceback.TracebackException.from_exception(exc)
    seen = set()
    level: traceback.TracebackException | None = report
    while level is not None and id(level) not in seen:
        seen.add(id(level))
        kept = [frame for frame in level.stack if frame.filename != __file__]
        level.stack = traceback.StackSummary.from_list(kept)
        level = level.__cause__ or level.__context__
    return "".join(report.format())


def _stop_children() -> list[str]:
    """Kills every process the snippet left behind; returns them in words.

    When the snippet left no child at all this costs one `waitpid` call.
    """
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        return []
    found = [_name(pid) + " pid " + str(pid) for pid in descendants_of(os.getpid())]
    kill_tree(os.getpid())
    return found


# --- start-up ---------------------------------------------------------------------------------


WARM_UP = """
import torch

class _WarmUp(torch.nn.Module):
    def __init__(self, inputs, outputs):
        super().__init__()
        self.layers = torch.nn.Sequential(
            torch.nn.Linear(inputs, 8), torch.nn.ReLU(), torch.nn.Linear(8, outputs)
        )

    def forward(self, x):
        return self.layers(x)

_model = _WarmUp(4, 2)
_loss = _model(torch.ones(3, 4)).softmax(dim=-1).sum()
_loss.backward()
_text = [repr(_model), repr(_model.layers[0]), str(torch.ones(2, 3)), str(torch.arange(4))]
_count = sum(p.numel() for p in _model.parameters() if p.requires_grad)
_names = [f"{name:16s} {str(tuple(p.shape)):10s} {p.numel()}" for name, p in _model.named_parameters()]
_x = torch.randn(5, 3) @ torch.randn(3, 2)
_y = (torch.arange(6).view(2, 3).t().contiguous().float().mean(), torch.zeros(1).item())
"""
"""What a spare runs before it is handed a snippet (see `RunChild.rehearse`)."""

WARM_UP_ROUNDS = 3
"""How many times a spare runs `WARM_UP`."""


_PRCTL: Any = None
"""libc's `prctl`, looked up once by the zygote (each run child calls it right after its fork)."""


def _prctl(option: int, value: int) -> None:
    global _PRCTL
    try:
        if _PRCTL is None:
            import ctypes

            _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
        _PRCTL(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _import_torch() -> tuple[Any, Any, str | None]:
    """Imports torch and numpy without running any torch operation; returns them and a problem."""
    torch_module: Any = None
    numpy_module: Any = None
    problem: str | None = None
    with contextlib.suppress(ImportError):
        import numpy as numpy_module
        import numpy.random  # lazy in numpy 2: imported here, not by each child's reseed
    try:
        import torch as torch_module
        import torch.nn
        import torch.nn.functional  # noqa: F401
    except ImportError as exc:
        torch_module = None
        problem = "torch is not installed for " + sys.executable + " (" + str(exc) + ")"
    return torch_module, numpy_module, problem


HUGE_PAGES = "glibc.malloc.hugetlb=1"


def _forget_huge_pages() -> None:
    """Takes out of the environment the glibc tunable the runner added for the zygote alone.

    glibc read it when the zygote started (malloc asks for huge pages, so forks copy fewer page
    tables); snippets and the processes they start see the environment as the user has it.
    """
    if os.environ.pop("STUDY_HUGE_PAGES", None) is None:
        return
    tunables = os.environ.get("GLIBC_TUNABLES", "")
    if tunables == HUGE_PAGES:
        del os.environ["GLIBC_TUNABLES"]
    elif tunables.endswith(":" + HUGE_PAGES):
        os.environ["GLIBC_TUNABLES"] = tunables[: -len(HUGE_PAGES) - 1]


def _forget_wait_policy() -> None:
    """Takes out of the environment the OpenMP wait policy the runner added, once torch is in.

    OpenMP read it as torch loaded it; snippets and the processes they start see the
    environment as the user has it.
    """
    if os.environ.pop("STUDY_OMP_WAIT_POLICY", None) is not None:
        os.environ.pop("OMP_WAIT_POLICY", None)


def main(argv: list[str]) -> int:
    """The zygote: imports torch, says ready, then forks run children until the socket closes."""
    sock = socket.socket(fileno=int(argv[1]))
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    os.set_inheritable(sock.fileno(), False)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    os.environ["MPLBACKEND"] = "Agg"  # figures are saved as PNGs (FigureCapture), never shown
    _forget_huge_pages()
    import faulthandler

    faulthandler.enable(file=2, all_threads=False)  # fd 2: in a run child, its output
    torch_module, numpy_module, problem = _import_torch()
    _forget_wait_policy()
    zygote = Zygote(sock, torch_module, numpy_module)
    zygote.say(
        {
            "op": "ready",
            "torch": None if torch_module is None else str(torch_module.__version__),
            "python": sys.version.split()[0],
            "executable": sys.executable,
            "pid": os.getpid(),
            "problem": problem,
        }
    )
    gc.collect()
    gc.freeze()  # children do not touch (and so copy) the zygote's objects when they collect
    return zygote.serve()


if __name__ == "__main__":
    code = main(sys.argv)
    sys.stderr.flush()
    # Every descendant is killed by now and nothing is left to tidy: skipping the teardown of an
    # interpreter that holds torch shortens the wait of whoever closes the runner (the app's quit).
    _exit(code)
