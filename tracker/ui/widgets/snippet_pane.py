"""Provides `SnippetPane`: a snippet's editable code, run live in the runner, output streaming in."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive, var
from textual.widgets import Label, RichLog, Static, TextArea

from tracker.errors import RunnerError
from tracker.runner.result import RunResult, RunStatus

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from tracker.domain.curriculum import Snippet
    from tracker.runner.runner import Runner

__all__ = ["SnippetPane"]

FLUSH_SECONDS = 0.05
"""How often streamed output is moved from the run thread into the log."""
FLUSH_CHARS = 8_192
"""At most this much output is written to the log per flush, so that keys stay responsive."""
FINAL_CHARS = 65_536
"""When a run ends with more than this waiting, only the tail is shown (the head already is)."""
FINAL_LINES = 1_000
"""... and at most this many lines of it, so that the log keeps the note about the cut."""
LINE_CHARS = 2_000
"""Longer lines are cut in the log (the whole output is in the run's result)."""
STYLES = {"stdout": "", "stderr": "red", "note": "italic"}
"""How each stream is shown in the log."""
STDERR_STYLE = STYLES["stderr"]


class SnippetPane(Vertical):
    """A snippet to read, edit and run: code, status line and output log.

    Runs go through a thread worker; the runner's output callback only appends to a buffer,
    which a timer moves into the log every 50 ms, a bounded amount at a time.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run", "Run"),
        Binding("ctrl+g", "interrupt", "Stop"),
        Binding("ctrl+o", "reset", "Mentor's code"),
        Binding("ctrl+l", "restart", "New worker"),
        Binding("f2", "toggle_scratch", "Scratch"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | ctrl+r | Run the code as it is in the editor. |
    | ctrl+g | Stop the run (interrupt; the worker is killed if the snippet ignores it). |
    | ctrl+o | Put the mentor's code back in the editor. |
    | ctrl+l | Replace the worker with a fresh one (clears scratch state). |
    | f2 | Scratch mode on/off: keep variables between runs, on purpose. |

    ctrl+c stays with the editor (copy) and the app; escape moves focus out of the editor.
    """

    DEFAULT_CSS = """
    SnippetPane { height: auto; border: round $primary 40%; padding: 0 1; margin-bottom: 1; }
    SnippetPane:focus-within { border: round $primary; }
    SnippetPane > .snippet-pane--title { text-style: bold; width: 1fr; }
    SnippetPane > TextArea { height: auto; max-height: 24; }
    SnippetPane > #status { height: 1; color: $text-muted; }
    SnippetPane > #status.-running { color: $warning; }
    SnippetPane > #status.-failed { color: $error; }
    SnippetPane > RichLog { height: auto; min-height: 1; max-height: 16; background: $boost; }
    """

    worker_status: reactive[str] = reactive("stopped")
    """The runner's status: warming, ready, running, crashed or stopped."""
    is_running: var[bool] = var(False)
    """Whether this pane has a run in progress."""
    result: var[RunResult | None] = var(None)
    """The last run's result."""
    is_scratch: var[bool] = var(False)
    """Whether runs share the runner's scratch namespace (state kept) instead of a fresh one."""

    class RunStarted(Message):
        """A run of the pane's code started."""

        def __init__(self, pane: SnippetPane, code: str) -> None:
            super().__init__()
            self.pane = pane
            self.code = code
            """The code as it was sent."""

        @property
        def control(self) -> SnippetPane:
            return self.pane

    class RunFinished(Message):
        """A run ended (any status); its output is in the log."""

        def __init__(self, pane: SnippetPane, result: RunResult) -> None:
            super().__init__()
            self.pane = pane
            self.result = result

        @property
        def control(self) -> SnippetPane:
            return self.pane

    def __init__(
        self,
        snippet: Snippet,
        runner: Runner,
        *,
        scratch: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Creates the pane.

        Args:
            snippet: The mentor's snippet (its code, seed and limits).
            runner: The shared runner (`SnippetRunner`, or `FakeRunner` in tests).
            scratch: Run in the runner's scratch namespace, which keeps state between runs.
            name: The widget's name.
            id: The widget's id.
            classes: The widget's classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.snippet = snippet
        self.runner = runner
        self.set_reactive(SnippetPane.is_scratch, scratch)
        self._lock = threading.Lock()
        self._pending: list[tuple[str, str]] = []
        self._carry: tuple[str, str] | None = None
        self._is_skipping = False
        self._token = object()
        """Names this pane's runs, so that stopping one pane never stops another's run."""

    def compose(self) -> ComposeResult:
        title = self.snippet.title.get() if self.snippet.title else ""
        yield Label(
            f"{self.snippet.id}" + (f" · {title}" if title else ""),
            classes="snippet-pane--title",
            markup=False,
        )
        yield TextArea.code_editor(self.snippet.code, language="python", id="code")
        yield Static("", id="status", markup=False)
        yield RichLog(id="output", max_lines=5_000, wrap=False, markup=False, highlight=False)

    def on_mount(self) -> None:
        self.worker_status = self.runner.status
        self.set_interval(0.25, self._poll_status, name="runner status")
        self.set_interval(FLUSH_SECONDS, self._flush, name="flush output")

    def on_unmount(self) -> None:
        if self.is_running:
            self.runner.interrupt(self._token)

    def watch_worker_status(self) -> None:
        self._show_status()

    def watch_is_running(self) -> None:
        self._show_status()

    def watch_result(self) -> None:
        self._show_status()

    def watch_is_scratch(self) -> None:
        self._show_status()

    def action_run(self) -> None:
        """Runs the editor's code (ignored while a run is in progress)."""
        if self.is_running:
            self.app.bell()
            return
        code = self.code
        self.query_one(RichLog).clear()
        self._carry, self._is_skipping = None, False
        self.is_running = True
        self.post_message(self.RunStarted(self, code))
        self._run(code)

    def action_interrupt(self) -> None:
        """Stops the run in progress."""
        if self.is_running:
            self.runner.interrupt(self._token)

    def action_reset(self) -> None:
        """Puts the mentor's code back in the editor."""
        self.query_one(TextArea).load_text(self.snippet.code)

    def action_restart(self) -> None:
        """Replaces the worker with a fresh one."""
        self._restart()

    def action_toggle_scratch(self) -> None:
        """Switches between a fresh namespace per run and the scratch namespace."""
        self.is_scratch = not self.is_scratch

    @property
    def code(self) -> str:
        """The code in the editor."""
        return self.query_one(TextArea).text

    @property
    def output(self) -> str:
        """The log's text, as shown (for tests and copying)."""
        return "\n".join(line.text for line in self.query_one(RichLog).lines)

    # --- runs ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="snippet-run")
    def _run(self, code: str) -> None:
        snippet = self.snippet
        try:
            result = self.runner.run(
                code,
                seed=snippet.seed,
                timeout=snippet.timeout,
                memory_mb=snippet.memory_mb,
                scratch=self.is_scratch,
                on_output=self._collect,
                filename=f"<snippet {snippet.id}>",
                token=self._token,
            )
        except RunnerError as exc:
            result = RunResult(RunStatus.KILLED, message=str(exc), seed=snippet.seed)
        self.post_message(self.RunFinished(self, result))

    @work(thread=True, group="snippet-restart")
    def _restart(self) -> None:
        self.runner.restart()

    def _collect(self, stream: str, text: str) -> None:
        """The runner's output callback (run thread): only buffers."""
        with self._lock:
            self._pending.append((stream, text))

    @on(RunFinished)
    def _finished(self, event: SnippetPane.RunFinished) -> None:
        if event.pane is not self:
            return
        self._flush(everything=True)
        log = self.query_one(RichLog)
        if event.result.error:
            log.write(Text(event.result.error.rstrip("\n"), style=STDERR_STYLE))
        if event.result.truncated_bytes:
            log.write(Text(f"[{event.result.truncated_bytes:,} bytes of output cut]", "italic"))
        self.result = event.result
        self.is_running = False

    def _flush(self, everything: bool = False) -> None:
        """Moves buffered output into the log: whole lines, a bounded amount per call."""
        skipped = 0
        with self._lock:
            if not self._pending and not (everything and self._carry):
                return
            if everything:
                skipped = self._skip_to_tail()
            taken: list[tuple[str, str]] = []
            budget = FLUSH_CHARS
            while self._pending and (everything or budget > 0):
                stream, text = self._pending.pop(0)
                if not everything and len(text) > budget:
                    self._pending.insert(0, (stream, text[budget:]))
                    text = text[:budget]
                taken.append((stream, text))
                budget -= len(text)
        pieces: list[tuple[str, str]] = []
        if skipped:
            if self._carry is not None:
                pieces.append(self._carry)
            self._carry, self._is_skipping = None, False
            pieces.append(("note", f"[… {skipped:,} characters not shown here …]"))
        for stream, text in taken:
            self._lines(stream, text, pieces)
        if everything and self._carry is not None:
            pieces.append(self._carry)
            self._carry = None
        if pieces:
            joined = Text.assemble(
                *((line + "\n", STYLES.get(stream, "")) for stream, line in pieces)
            )
            joined.right_crop(1)
            self.query_one(RichLog).write(joined)

    def _skip_to_tail(self) -> int:
        """Drops waiting output beyond the last `FINAL_CHARS`/`FINAL_LINES`; returns the count."""
        skipped = 0
        waiting = sum(len(text) for _, text in self._pending)
        excess = sum(text.count("\n") for _, text in self._pending) - FINAL_LINES
        while self._pending and (waiting > FINAL_CHARS or excess > 0):
            stream, text = self._pending.pop(0)
            cut = min(len(text), max(waiting - FINAL_CHARS, 0))
            if excess > 0:
                newlines = text.count("\n", 0, cut)
                if newlines < excess:
                    position = cut - 1
                    for _ in range(excess - newlines):
                        position = text.find("\n", position + 1)
                        if position < 0:
                            break
                    cut = len(text) if position < 0 else position + 1
            excess -= text.count("\n", 0, cut)
            skipped, waiting = skipped + cut, waiting - cut
            if cut < len(text):
                self._pending.insert(0, (stream, text[cut:]))
        return skipped

    def _lines(self, stream: str, text: str, pieces: list[tuple[str, str]]) -> None:
        """Splits `text` into complete lines (appended to `pieces`), carrying the partial end."""
        if self._carry is not None and self._carry[0] != stream:
            pieces.append(self._carry)
            self._carry, self._is_skipping = None, False
        start = 0
        while start <= len(text):
            end = text.find("\n", start)
            part = text[start:] if end < 0 else text[start:end]
            if self._is_skipping:
                if end >= 0:
                    self._is_skipping = False
            else:
                carried = (self._carry[1] if self._carry else "") + part
                if len(carried) > LINE_CHARS:
                    pieces.append((stream, carried[:LINE_CHARS] + " …"))
                    self._carry, self._is_skipping = None, end < 0
                elif end >= 0:
                    pieces.append((stream, carried))
                    self._carry = None
                else:
                    self._carry = (stream, carried) if carried else None
            if end < 0:
                break
            start = end + 1

    def _poll_status(self) -> None:
        self.worker_status = self.runner.status

    def _show_status(self) -> None:
        if not self.is_mounted:
            return
        status = self.query_one("#status", Static)
        result = self.result
        words = self.worker_status
        if self.is_running:
            words = "running… (ctrl+g stops)" if self.worker_status != "warming" else "warming up…"
        elif result is not None:
            words = f"{words} · last run: {result.summary()}"
            if result.message:
                words += f" · {result.message}"
        if self.is_scratch:
            words += " · scratch: variables kept between runs (f2)"
        problem = self.runner.problem
        if problem and problem not in words:
            words += f" · {problem}"
        status.update(words)
        status.set_class(self.is_running, "-running")
        status.set_class(
            not self.is_running
            and (self.worker_status == "crashed" or (result is not None and not result.is_ok)),
            "-failed",
        )
