"""Provides the snippet worker process: imports torch once, then runs snippets sent over a pipe.

Started by `SnippetRunner` as `PYTHON child.py CTL_FD MSG_FD LIFELINE_FD` in a session (and so a
process group) of its own. This is the only module of the tracker that imports torch, and it
imports nothing from the tracker, so it runs under any Python 3.8+ that the mentee points it at.
The wire format (length-prefixed JSON) is described in `tracker/runner/protocol.py`.

The snippet's `sys.stdout`/`sys.stderr` are writers that stream chunks back as `out` messages in
the order they were printed, up to the run's output cap; what is printed beyond the cap is only
counted. The process's own fds 1 and 2 are separate pipes that the parent reads as well.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import linecache
import os
import random
import signal
import struct
import sys
import threading
import time
import traceback
import warnings

HEADER = struct.Struct(">I")
OWNER = os.getpid()
"""The worker's pid: a process forked by a snippet has another one and must stay silent."""
SEND_LOCK = threading.Lock()


class Channel:
    """Reads requests from one pipe and writes messages to another, whole frames at a time."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self.read_fd = read_fd
        self.write_fd = write_fd

    def receive(self):
        """The next request, or None at end of file (the parent has gone)."""
        header = self._read_exactly(HEADER.size)
        if header is None:
            return None
        body = self._read_exactly(HEADER.unpack(header)[0])
        if body is None:
            return None
        return json.loads(body.decode("utf-8", "surrogatepass"))

    def send(self, message) -> None:
        """Writes one frame (never interleaved with another thread's)."""
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8", "surrogatepass"
        )
        data = memoryview(HEADER.pack(len(body)) + body)
        with SEND_LOCK:
            while data:
                data = data[os.write(self.write_fd, data) :]

    def _read_exactly(self, size: int):
        chunks = []
        while size:
            chunk = os.read(self.read_fd, min(size, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)


class Outbox:
    """Collects what a snippet prints and sends it in order, in batches, up to a byte cap."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.pending = []
        self.limit = 0
        self.used = 0
        self.dropped = 0
        self.is_open = False
        thread = threading.Thread(target=self._flush_forever, name="study-outbox", daemon=True)
        thread.start()

    def begin(self, limit: int) -> None:
        """Opens the outbox for a run that may print `limit` bytes."""
        with self.lock:
            self.pending, self.limit, self.used, self.dropped = [], limit, 0, 0
            self.is_open = True

    def end(self) -> int:
        """Sends what is left, closes the outbox and returns how many bytes were cut."""
        self.flush()
        with self.lock:
            self.is_open = False
            return self.dropped

    def write(self, stream: str, text: str) -> None:
        """Queues `text` for `stream`, or only counts it once the cap is reached."""
        if not self.is_open or os.getpid() != OWNER:
            return
        size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
        with self.lock:
            room = self.limit - self.used
            if size <= room:
                self.pending.append((stream, text))
                self.used += size
            else:
                head = _head(text, room) if room > 0 else ""
                kept = len(head.encode("utf-8", "surrogatepass"))
                if head:
                    self.pending.append((stream, head))
                self.used = self.limit
                self.dropped += size - kept
        if not self.wake.is_set():
            self.wake.set()

    def flush(self) -> None:
        """Sends everything queued, as one `out` message with same-stream pieces merged."""
        with self.lock:
            if not self.pending:
                return
            chunks = []
            for stream, text in self.pending:
                if chunks and chunks[-1][0] == stream:
                    chunks[-1][1] += text
                else:
                    chunks.append([stream, text])
            self.pending = []
            self.channel.send({"op": "out", "chunks": chunks})

    def _flush_forever(self) -> None:
        while True:
            self.wake.wait()
            time.sleep(0.01)
            self.wake.clear()
            self.flush()


class Writer(io.TextIOBase):
    """A snippet's `sys.stdout` or `sys.stderr`: text goes to the outbox, tagged with the stream."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, outbox: Outbox, stream: str, fd: int) -> None:
        super().__init__()
        self._outbox = outbox
        self._stream = stream
        self._fd = fd

    @property
    def name(self) -> str:
        return "<" + self._stream + ">"

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not " + type(text).__name__)
        self._outbox.write(self._stream, text)
        return len(text)

    def flush(self) -> None:
        self._outbox.wake.set()

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd


class Worker:
    """Runs snippets one at a time: a fresh namespace each, or the scratch one on request."""

    def __init__(self, channel: Channel, torch_module, numpy_module) -> None:
        self.channel = channel
        self.torch = torch_module
        self.numpy = numpy_module
        self.outbox = Outbox(channel)
        self.stdout = Writer(self.outbox, "stdout", 1)
        self.stderr = Writer(self.outbox, "stderr", 2)
        self.is_running = False
        self.scratch = None
        self.cwd = os.getcwd()
        self.path = list(sys.path)
        self.argv = list(sys.argv)
        self.warning_filters = list(warnings.filters)

    def on_sigint(self, signum, frame) -> None:
        """Interrupts the snippet; ignored between runs."""
        if self.is_running:
            raise KeyboardInterrupt

    def run(self, request) -> dict:
        """Runs one `run` request and returns its `done` message."""
        code = request["code"]
        filename = request.get("filename") or "<snippet>"
        signal.signal(signal.SIGINT, self.on_sigint)
        if request.get("scratch"):
            if self.scratch is None:
                self.scratch = _namespace()
            namespace = self.scratch
        else:
            self.scratch = None
            namespace = _namespace()
            self._reset()
        if request.get("seed") is not None:
            self._seed(int(request["seed"]))
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        threads = set(threading.enumerate())
        self.outbox.begin(int(request.get("output_bytes", 1_000_000)))
        saved = sys.stdout, sys.stderr
        status, error = "ok", None
        sys.stdout, sys.stderr = self.stdout, self.stderr
        try:
            try:
                compiled = compile(code, filename, "exec")
                self.is_running = True
                exec(compiled, namespace)
            finally:
                self.is_running = False
        except KeyboardInterrupt as exc:
            status, error = "interrupted", _format(exc)
        except SystemExit as exc:
            if exc.code not in (None, 0):
                status, error = "error", "SystemExit: " + str(exc.code) + "\n"
        except BaseException as exc:
            status, error = "error", _format(exc)
        finally:
            if os.getpid() != OWNER:
                os._exit(0)  # a process forked by the snippet ends here, silently
            sys.stdout, sys.stderr = saved
        truncated = self.outbox.end()
        leftovers = _reap_children()
        extra = [t.name for t in threading.enumerate() if t not in threads and t.is_alive()]
        return {
            "op": "done",
            "status": status,
            "error": error,
            "truncated": truncated,
            "leftovers": leftovers,
            "threads": extra,
        }

    def _reset(self) -> None:
        """Undoes the global state a previous snippet may have changed."""
        if os.getcwd() != self.cwd:
            os.chdir(self.cwd)
        sys.path[:] = self.path
        sys.argv[:] = self.argv
        warnings.filters[:] = self.warning_filters
        torch = self.torch
        if torch is not None:
            if torch.get_default_dtype() is not torch.float32:
                torch.set_default_dtype(torch.float32)
            torch.set_grad_enabled(True)
            torch.set_printoptions(profile="default", sci_mode=None)

    def _seed(self, seed: int) -> None:
        random.seed(seed)
        if self.torch is not None:
            self.torch.manual_seed(seed)
        if self.numpy is not None:
            self.numpy.random.seed(seed % 2**32)


def _namespace() -> dict:
    return {"__name__": "__main__", "__builtins__": builtins, "__doc__": None}


def _head(text: str, size: int) -> str:
    """The longest start of `text` that fits in `size` UTF-8 bytes."""
    head = text[:size]
    data = head.encode("utf-8", "surrogatepass")
    if len(data) <= size:
        return head
    return data[:size].decode("utf-8", "ignore")


def _format(exc: BaseException) -> str:
    """The traceback of `exc` without the worker's own frames (its runner, its SIGINT handler)."""
    report = traceback.TracebackException.from_exception(exc)
    seen = set()
    level = report
    while level is not None and id(level) not in seen:
        seen.add(id(level))
        kept = [frame for frame in level.stack if frame.filename != __file__]
        level.stack = traceback.StackSummary.from_list(kept)
        level = level.__cause__ or level.__context__
    return "".join(report.format())


def _children(pid: int):
    """The (pid, name) of every live process whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/" + entry + "/stat", "rb") as stat:
                data = stat.read().decode("utf-8", "replace")
        except OSError:
            continue
        name = data[data.find("(") + 1 : data.rfind(")")]
        fields = data[data.rfind(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append((int(entry), name))
    return found


def _reap_children():
    """Kills and reaps every process the snippet left behind; returns them in words.

    The worker is a child subreaper, so orphaned grandchildren come back to it and are found
    here as well. When there are no children at all, this costs one `waitpid` call.
    """
    found = []
    for _ in range(200):
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return found
        if pid:
            continue
        for child, name in _children(os.getpid()):
            label = name + " pid " + str(child)
            if label not in found:
                found.append(label)
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        time.sleep(0.002)
    return found


def _watch_lifeline(fd: int) -> None:
    """Ends the worker's whole process group when the parent goes away (the pipe closes)."""
    try:
        while os.read(fd, 1):
            pass
    except OSError:
        pass
    if os.getpgrp() == os.getpid():
        os.killpg(0, signal.SIGKILL)
    os._exit(1)


def _become_subreaper() -> None:
    """Makes orphaned descendants re-parent to the worker (Linux), so they can be reaped."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _warm():
    """Imports torch and numpy and runs a first tiny op; returns them and a problem in words."""
    torch_module = numpy_module = None
    problem = None
    with contextlib.suppress(ImportError):
        import numpy as numpy_module
    try:
        import torch as torch_module

        layer = torch_module.nn.Linear(4, 2)
        layer(torch_module.ones(3, 4)).sum().backward()
        torch_module.manual_seed(0)
        str(torch_module.ones(2))
    except ImportError as exc:
        torch_module = None
        problem = "torch is not installed for " + sys.executable + " (" + str(exc) + ")"
    return torch_module, numpy_module, problem


def main(argv) -> int:
    """Serves run requests until the parent closes the pipe."""
    ctl_fd, msg_fd, lifeline_fd = (int(arg) for arg in argv[1:4])
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    for fd in (ctl_fd, msg_fd, lifeline_fd):
        os.set_inheritable(fd, False)
    threading.Thread(
        target=_watch_lifeline, args=(lifeline_fd,), name="study-lifeline", daemon=True
    ).start()
    _become_subreaper()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import faulthandler

    faulthandler.enable(file=sys.__stderr__, all_threads=False)
    channel = Channel(ctl_fd, msg_fd)
    torch_module, numpy_module, problem = _warm()
    worker = Worker(channel, torch_module, numpy_module)
    signal.signal(signal.SIGINT, worker.on_sigint)
    channel.send(
        {
            "op": "ready",
            "torch": None if torch_module is None else str(torch_module.__version__),
            "python": sys.version.split()[0],
            "executable": sys.executable,
            "pid": os.getpid(),
            "problem": problem,
        }
    )
    while True:
        request = channel.receive()
        if request is None:
            return 0
        if request.get("op") == "run":
            channel.send(worker.run(request))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
