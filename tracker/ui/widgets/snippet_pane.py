"""Provides `SnippetPane`: a snippet's editable code, run live in the runner, output streaming in."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive, var
from textual.widget import Widget
from textual.widgets import Label, RichLog, Static, TextArea

from tracker.domain.packages import install_command, missing_module
from tracker.domain.terminal_output import OutputBuffer, OutputUpdate
from tracker.errors import RunnerError
from tracker.runner.result import RunResult, RunStatus, WorkerStatus, install_hint
from tracker.ui.widgets.figure_view import FigureView

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from tracker.domain.curriculum import Snippet
    from tracker.runner.runner import Runner

__all__ = ["SnippetPane"]

FLUSH_SECONDS = 0.05
"""How often streamed output is moved from the buffer into the log."""
FLUSH_LINES = 200
"""At most this many lines reach the log per flush (older ones are counted, not drawn), so that
the work per flush is bounded however fast the snippet prints."""
LOG_LINES = 5_000
"""Lines the log keeps."""
LINE_CHARS = 2_000
"""Longer lines are cut in the log (the whole output is in the run's result)."""
ERROR_STYLE = "red"
NOTE_STYLE = "italic"


class RestartState(StrEnum):
    """Where a new worker asked for with ctrl+l is."""

    STARTING = "starting"
    """The old runs and scratch state are being ended (or a dead worker started again)."""
    DONE = "done"
    """Ended: the new worker is ready once the runner says so."""


STATUS_WORDS: dict[WorkerStatus, str] = {
    WorkerStatus.WARMING: "warming up the worker (importing torch)…",
    WorkerStatus.READY: "ready: ctrl+r runs the code",
    WorkerStatus.STOPPED: "the worker starts once the curriculum is loaded…",
}
"""The status line before the first run (after it, the last run's summary follows the status)."""


class SnippetPane(Vertical):
    """A snippet to read, edit and run: code, status line, output log and the line being written.

    The runner's output callback (in the run's thread) only feeds an `OutputBuffer`, which
    applies carriage returns and makes escape sequences inert; a timer moves what changed into
    the log every 50 ms, a bounded amount at a time. The line still being written (a progress
    bar) is shown below the log and rewritten in place. The runner tells the pane when its
    status changes (`RunnerStatusChanged`).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave editor", priority=True),  # before the editor's own
        Binding("ctrl+r", "run", "Run"),
        Binding("ctrl+down", "next_snippet", "Next snippet", tooltip="The next snippet's editor"),
        Binding("ctrl+up", "previous_snippet", "Previous snippet", show=False),
        Binding("ctrl+g", "interrupt", "Stop"),
        Binding("ctrl+o", "reset", "Mentor's code"),
        Binding("ctrl+l", "restart", "New worker"),
        Binding("f2", "toggle_scratch", "Scratch"),
        Binding("o", "open_figure", "Open figure", tooltip="Open the last figure in the viewer"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | escape | Leave the editor (and the pane): `Left` tells the screen, which moves the focus. |
    | ctrl+r | Run the code as it is in the editor. |
    | ctrl+down, ctrl+up | Go to the next (previous) snippet shown beside this one, round. |
    | ctrl+g | Stop the run (interrupt; its process is killed if the snippet ignores it). |
    | ctrl+o | Put the mentor's code back in the editor. |
    | ctrl+l | End any run and the scratch state (the next run starts in a fresh process). |
    | f2 | Scratch mode on/off: keep variables between runs, on purpose. |
    | o | Open the last run's last figure (outside the editor, where `o` types). |

    ctrl+c stays with the editor (copy) and the app. The editor's border says ctrl+r and escape.
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
    SnippetPane > #live { height: 1; background: $boost; display: none; }
    SnippetPane > #live.-shown { display: block; }
    SnippetPane > #figures { height: auto; }
    """

    worker_status: reactive[WorkerStatus] = reactive(WorkerStatus.STOPPED)
    """The runner's status: warming, ready, running, crashed or stopped."""
    is_running: var[bool] = var(False)
    """Whether this pane has a run in progress."""
    result: var[RunResult | None] = var(None)
    """The last run's result."""
    is_scratch: var[bool] = var(False)
    """Whether runs share the runner's scratch process (state kept) instead of a fresh one."""

    class PaneMessage(Message):
        """A message about one pane (`control` is the pane)."""

        def __init__(self, pane: SnippetPane) -> None:
            super().__init__()
            self.pane = pane

        @property
        def control(self) -> SnippetPane:
            return self.pane

    class RunStarted(PaneMessage):
        """A run of the pane's code started."""

        def __init__(self, pane: SnippetPane, code: str) -> None:
            super().__init__(pane)
            self.code = code
            """The code as it was sent."""

    class RunFinished(PaneMessage):
        """A run ended (any status); its output is in the log."""

        def __init__(self, pane: SnippetPane, result: RunResult) -> None:
            super().__init__(pane)
            self.result = result

    class Left(PaneMessage):
        """The user left the pane (escape): the screen puts the focus somewhere useful."""

    class Restarted(PaneMessage):
        """`ctrl+l` ended the runs and the scratch state (posted from the restart's thread)."""

    class RunnerStatusChanged(PaneMessage):
        """The runner's status changed (posted from the runner's threads)."""

        def __init__(self, pane: SnippetPane, status: WorkerStatus) -> None:
            super().__init__(pane)
            self.status = status

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
            scratch: Run in the runner's scratch process, which keeps state between runs.
            name: The widget's name.
            id: The widget's id.
            classes: The widget's classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.snippet = snippet
        self.runner = runner
        self.set_reactive(SnippetPane.is_scratch, scratch)
        self.buffer = OutputBuffer(max_lines=FLUSH_LINES, max_line_chars=LINE_CHARS)
        """The output on its way to the log (fed by the run's thread)."""
        self._current = ""
        self._is_shown_on_resize = False
        """Whether the next resize (output arriving) scrolls the status and output into view."""
        self._restart: RestartState | None = None
        """Where a `ctrl+l` is: the status line says it until the next run."""
        self._token = object()
        """Names this pane's runs, so that stopping one pane never stops another's run."""

    def compose(self) -> ComposeResult:
        title = self.snippet.title.get() if self.snippet.title else ""
        yield Label(
            f"{self.snippet.id}" + (f" · {title}" if title else ""),
            classes="snippet-pane--title",
            markup=False,
        )
        editor = TextArea.code_editor(self.snippet.code, id="code")
        editor.language = "python"  # given to code_editor, it is parsed and highlighted twice
        editor.border_subtitle = "ctrl+r run · esc leave the editor"
        yield editor
        yield Static("", id="status", markup=False)
        yield RichLog(id="output", max_lines=LOG_LINES, wrap=False, markup=False, highlight=False)
        yield Static("", id="live", markup=False)
        yield Vertical(id="figures")

    def on_mount(self) -> None:
        self.runner.add_status_listener(self._status_changed)
        self.worker_status = self.runner.status
        self.call_later(self._show_status)  # also when it is the default (stopped): never blank
        self.call_after_refresh(self.screen.refresh_bindings)  # a second snippet: ctrl+down
        self.set_interval(FLUSH_SECONDS, self._flush, name="flush output")

    def on_unmount(self) -> None:
        self.runner.remove_status_listener(self._status_changed)
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
        self.buffer.clear()
        self._show_current("")
        self.query_one("#figures").remove_children()
        self.is_running = True
        self._restart = None
        self._show_status()
        self.post_message(self.RunStarted(self, code))
        self._is_shown_on_resize = True
        self.call_after_refresh(self._bring_into_view)
        self._run(code)

    def action_leave(self) -> None:
        """Leaves the editor: the screen hears `Left`."""
        self.post_message(self.Left(self))

    def action_interrupt(self) -> None:
        """Stops the run in progress."""
        if self.is_running:
            self.runner.interrupt(self._token)

    def action_reset(self) -> None:
        """Puts the mentor's code back in the editor."""
        self.query_one(TextArea).load_text(self.snippet.code)

    def action_restart(self) -> None:
        """Ends any run and the scratch state; the status line says when the new worker is ready."""
        self._restart = RestartState.STARTING
        self._show_status()
        self._start_new_worker()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`o` only when the last run drew a figure (else the key goes on to the screen)."""
        if action == "open_figure":
            return bool(self.figures)
        if action in ("next_snippet", "previous_snippet"):
            return len(self.group) > 1  # else the key goes on to the screen
        return True

    @property
    def group(self) -> list[SnippetPane]:
        """The snippet panes shown beside this one (a topic's), this one among them, in order."""
        parent = self.parent
        return list(parent.query_children(SnippetPane)) if isinstance(parent, Widget) else [self]

    def action_next_snippet(self) -> None:
        """Goes to the next snippet beside this one (after the last, the first)."""
        self._go_to_sibling(1)

    def action_previous_snippet(self) -> None:
        """Goes to the previous snippet beside this one (before the first, the last)."""
        self._go_to_sibling(-1)

    def _go_to_sibling(self, step: int) -> None:
        panes = self.group
        if self in panes and len(panes) > 1:
            panes[(panes.index(self) + step) % len(panes)].enter()

    def enter(self) -> None:
        """Focuses the editor and scrolls the pane's top (its title) to the top of the view."""
        self.query_one("#code").focus(scroll_visible=False)  # not the focus's animated scroll
        # After the layout (the topic list may fold away), and at once then: a scroll left for
        # the next refresh would come after whatever a run shows meanwhile.
        self.call_after_refresh(self.scroll_visible, top=True, animate=False, immediate=True)

    @property
    def figures(self) -> list[FigureView]:
        """The last run's figures, in the order it drew them (none while the pane is composed)."""
        return list(self.query(FigureView))

    def action_open_figure(self) -> None:
        """Opens the last run's last figure (a focused figure opens itself: its own `o`)."""
        if figures := self.figures:
            figures[-1].scroll_visible(animate=False)
            figures[-1].action_open()

    def action_toggle_scratch(self) -> None:
        """Switches between a fresh process per run and the scratch process."""
        self.is_scratch = not self.is_scratch

    @property
    def code(self) -> str:
        """The code in the editor."""
        return self.query_one(TextArea).text

    @property
    def output(self) -> str:
        """The output as shown: the log's lines, then the line being written (for tests, copying)."""
        lines = [line.text for line in self.query_one(RichLog).lines]
        if self._current:
            lines.append(Text.from_ansi(self._current).plain)
        return "\n".join(lines)

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
                on_output=self.buffer.feed,
                filename=f"<snippet {snippet.id}>",
                token=self._token,
            )
        except RunnerError as exc:
            result = RunResult(RunStatus.KILLED, message=str(exc), seed=snippet.seed)
        self.buffer.finish()
        self.post_message(self.RunFinished(self, result))

    @work(thread=True, group="snippet-restart")
    def _start_new_worker(self) -> None:
        self.runner.restart()
        self.post_message(self.Restarted(self))

    @on(Restarted)
    def _restarted(self, event: SnippetPane.Restarted) -> None:
        if event.pane is self and self._restart is RestartState.STARTING:
            self._restart = RestartState.DONE
            self._show_status()

    def _bring_into_view(self) -> None:
        """Scrolls the status line, the output and the first figure's top into view, as much as
        fits with the status line on the screen (after ctrl+r, and when the run ends: a long
        snippet leaves them below the screen). The output and the figures grow the pane:
        `on_resize` scrolls again once the layout has its new height."""
        self.query_one(RichLog).scroll_visible(animate=False, immediate=True)
        figure = next(iter(self.figures), None)  # taller than the screen: its top
        if figure is not None and figure.size:  # unsized, Textual would scroll to it later
            figure.scroll_visible(animate=False, immediate=True)
        self.query_one("#status").scroll_visible(animate=False, immediate=True)

    def on_resize(self) -> None:
        if self._is_shown_on_resize:
            self._is_shown_on_resize = self.is_running  # the run's end resizes it once more
            self._bring_into_view()

    def _status_changed(self, status: WorkerStatus) -> None:
        """The runner's listener (any thread): only posts a message."""
        self.post_message(self.RunnerStatusChanged(self, status))

    @on(RunnerStatusChanged)
    def _runner_status_changed(self, event: SnippetPane.RunnerStatusChanged) -> None:
        if event.pane is self:
            self.worker_status = event.status

    @on(RunFinished)
    async def _finished(self, event: SnippetPane.RunFinished) -> None:
        if event.pane is not self:
            return
        self._flush()
        log = self.query_one(RichLog)
        if self._current:  # the run is over: its last unfinished line stays in the log
            log.write(_rendered(self._current))
            self._show_current("")
        if event.result.error:
            log.write(Text(event.result.error.rstrip("\n"), style=ERROR_STYLE))
            if missing := missing_module(event.result.error):
                log.write(_advice(self.install_hint(missing)))
        if event.result.truncated_bytes:
            log.write(Text(f"[{event.result.truncated_bytes:,} bytes of output cut]", NOTE_STYLE))
        hint = install_hint(event.result, getattr(self.runner, "python", None) or sys.executable)
        if hint:
            log.write(_advice(hint))
        mounting = self.query_one("#figures").mount_all(
            FigureView(Path(path), number) for number, path in enumerate(event.result.figures, 1)
        )
        self.call_after_refresh(self.screen.refresh_bindings)  # `o` opens a figure now
        self.result = event.result
        self.is_running = False
        self._is_shown_on_resize = True
        self.call_after_refresh(self._bring_into_view)
        if event.result.figures:
            await mounting
            self.call_after_refresh(self._bring_into_view)  # once they are laid out

    def install_hint(self, module: str) -> str:
        """What to install when a run fails on a missing module, and into which Python."""
        python = getattr(self.runner, "python", None)
        into = f" into the snippet worker's Python ({python})" if python else ""
        needs = dict.fromkeys((module, *self.snippet.requires))
        return f"This snippet needs {', '.join(needs)}: run {install_command(needs)}{into}."

    def _flush(self) -> None:
        """Moves what changed in the buffer into the log and the live line."""
        update = self.buffer.take()
        if update is None:
            return
        self._write(update)
        self._show_current(update.current)

    def _write(self, update: OutputUpdate) -> None:
        texts: list[Text] = []
        if update.skipped:
            texts.append(Text(f"[… {update.skipped:,} lines not shown here …]", NOTE_STYLE))
        texts += [_rendered(line) for line in update.lines]
        if texts:
            self.query_one(RichLog).write(Text("\n").join(texts))

    def _show_current(self, line: str) -> None:
        if line == self._current:
            return
        self._current = line
        live = self.query_one("#live", Static)
        live.update(_rendered(line))
        live.set_class(bool(line), "-shown")

    def _show_status(self) -> None:
        if not self.is_mounted:
            return
        status = self.query_one("#status", Static)
        result = self.result
        words = STATUS_WORDS.get(self.worker_status, str(self.worker_status))
        if self._restart is not None:
            words = (
                "new worker ready: the next run starts fresh"
                if self._restart is RestartState.DONE and self.worker_status is WorkerStatus.READY
                else "starting a new worker…"
            )
        if self.is_running:
            words = (
                "warming up…"
                if self.worker_status is WorkerStatus.WARMING
                else "running… (ctrl+g stops)"
            )
        elif result is not None and self._restart is None:
            words = f"{self.worker_status!s} · last run: {result.summary()}"
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
            and (
                self.worker_status is WorkerStatus.CRASHED
                or (result is not None and not result.is_ok)
            ),
            "-failed",
        )


def _rendered(line: str) -> Text:
    """A buffer line as Rich text: its SGR colours applied (nothing else is left in it)."""
    return Text.from_ansi(line) if "\x1b" in line else Text(line)


def _advice(words: str) -> Group:
    """The app's own advice in the output (what to install, into which Python), wrapped to the
    pane's width. The log does not wrap a `Text` (a snippet's output keeps its lines: a tensor's
    rows stay rows), so the advice goes in as a group, which it wraps."""
    return Group(Text(words, NOTE_STYLE))
