"""Provides `OutputBuffer` and `TerminalFilter`: snippet output as a terminal shows it, made safe.

A snippet's output arrives raw, in pieces of any size: text, newlines, carriage returns (a
progress bar rewriting its line), ANSI colours (SGR, `ESC [ ... m`) and any other control or
escape sequence. Both classes keep newline, tab and SGR colours, and show every other control
character or escape sequence inert (`tracker.domain.terminal_text.inert`), so that nothing a
snippet prints can move the cursor, clear the screen or set the clipboard. A sequence cut between
two pieces is held back until its end arrives.

- `OutputBuffer` (for the app's snippet pane) applies carriage returns itself: `\\r` goes back to
  the start of the current line, which the next text overwrites. It keeps complete lines until
  they are taken, at most `max_lines` of them (older ones are only counted), so that a reader
  that takes every 50 ms has bounded work however fast the snippet prints. `feed` and `take` may
  be called from different threads.
- `TerminalFilter` (for `study run`) passes `\\r` through to the real terminal.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass

from tracker.domain.terminal_text import inert

__all__ = ["OutputBuffer", "OutputUpdate", "TerminalFilter"]

_TOKEN = re.compile(
    r"(\x1b\[[0-?]*[ -/]*[@-~]"  # a CSI sequence (SGR when it ends in m)
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # an OSC sequence (window title, clipboard, links)
    r"|\x1b[ -/]*[0-~]"  # any other escape sequence
    r"|\r\n|\r|\n"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f])"  # a lone control character (tab excepted)
)
"""One match per thing that is not plain text."""
_SGR = re.compile(r"\x1b\[[0-9;:]*m\Z")
_RESET = re.compile(r"\x1b\[0*m")
_UNFINISHED = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[ -/]*)?\Z")
"""An escape sequence that the piece ends in the middle of."""
_SPECIAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Anything but plain text and newlines: when a piece has none, it takes the fast path."""
MAX_HELD = 256
"""An unfinished sequence longer than this is shown as it is (inert), not held back."""


class _Splitter:
    """Cuts pieces of output into tokens, holding back a sequence cut between two pieces."""

    def __init__(self) -> None:
        self.held = ""

    def tokens(self, text: str, *, final: bool = False) -> list[str]:
        """The tokens of `text` (after what was held): plain text, `\\n`, `\\r`, sequences."""
        if self.held:
            text, self.held = self.held + text, ""
        if not final:
            unfinished = _UNFINISHED.search(text)
            if unfinished is not None and len(text) - unfinished.start() <= MAX_HELD:
                text, self.held = text[: unfinished.start()], text[unfinished.start() :]
        return [token for token in _TOKEN.split(text) if token]


@dataclass(frozen=True, slots=True)
class OutputUpdate:
    """What changed in an `OutputBuffer` since the last `take`."""

    lines: tuple[str, ...]
    """New complete lines, oldest first (safe: only SGR colour sequences are left in them)."""
    skipped: int
    """Complete lines that arrived but were dropped, oldest first, to keep `lines` bounded."""
    current: str
    """The line being written (no newline yet), as it stands: a progress bar's latest state."""


class OutputBuffer:
    """Snippet output as lines on a terminal: carriage returns applied, colours kept, bounded.

    Example:
        >>> buffer = OutputBuffer()
        >>> buffer.feed("epoch 1\\n 10%\\r 55%")
        >>> buffer.feed("\\r100%\\n")
        >>> buffer.take()
        OutputUpdate(lines=('epoch 1', '100%'), skipped=0, current='')
    """

    def __init__(self, *, max_lines: int = 200, max_line_chars: int = 2_000) -> None:
        """Creates an empty buffer.

        Args:
            max_lines: At most this many complete lines wait to be taken; older ones are dropped
                and counted in `OutputUpdate.skipped`.
            max_line_chars: Longer lines are cut here (and marked with " …").
        """
        self.max_lines = max_lines
        self.max_line_chars = max_line_chars
        self._lock = threading.Lock()
        self._splitter = _Splitter()
        self._lines: deque[str] = deque()
        self._skipped = 0
        self._line = ""
        self._column = 0
        self._is_cut = False
        self._has_news = False
        self.total_lines = 0
        """Complete lines fed since the last `clear` (taken, waiting or skipped)."""

    def feed(self, text: str) -> None:
        """Adds a piece of raw output (any size, cut anywhere)."""
        with self._lock:
            self._feed(self._splitter.tokens(text))

    def finish(self) -> None:
        """Ends the output: a sequence still held back is shown as it is."""
        with self._lock:
            self._feed(self._splitter.tokens("", final=True))

    def take(self) -> OutputUpdate | None:
        """What changed since the last call (None: nothing), and forgets the lines it returns."""
        with self._lock:
            if not self._has_news:
                return None
            update = OutputUpdate(tuple(self._lines), self._skipped, self._shown_line())
            self._lines.clear()
            self._skipped = 0
            self._has_news = False
            return update

    def clear(self) -> None:
        """Forgets everything (a new run)."""
        with self._lock:
            self._splitter = _Splitter()
            self._lines.clear()
            self._skipped = 0
            self._line, self._column, self._is_cut = "", 0, False
            self._has_news = False
            self.total_lines = 0

    # --- internals (lock held) -----------------------------------------------------------------

    def _feed(self, tokens: list[str]) -> None:
        for token in tokens:
            if token == "\n" or token == "\r\n":
                self._commit()
            elif token == "\r":
                self._column = 0
            elif token[0] == "\x1b" and _SGR.match(token):
                self._write(token)
            else:
                self._write(inert(token))
        if tokens:
            self._has_news = True

    def _write(self, text: str) -> None:
        line, column = self._line, self._column
        if column >= len(line):
            line += text
        elif "\x1b" in line or "\x1b" in text:  # colours inside: rewrite from the cursor on
            line = line[:column] + text
        else:
            line = line[:column] + text + line[column + len(text) :]
        if len(line) > self.max_line_chars:
            line, self._is_cut = line[: self.max_line_chars], True
        self._line, self._column = line, min(column + len(text), len(line))

    def _commit(self) -> None:
        if len(self._lines) >= self.max_lines:
            self._lines.popleft()
            self._skipped += 1
        self._lines.append(self._shown_line())
        self.total_lines += 1
        self._line, self._column, self._is_cut = "", 0, False

    def _shown_line(self) -> str:
        line = self._line
        last = line.rfind("\x1b[")
        if last >= 0 and _RESET.match(line, last) is None:
            line += "\x1b[0m"  # a colour left on ends with its line
        return line + " …" if self._is_cut else line


class TerminalFilter:
    """Makes pieces of raw output safe for a real terminal: keeps `\\n`, `\\r`, tab and colours.

    Example:
        >>> shown = TerminalFilter()
        >>> shown.feed("\\x1b[31mred\\x1b[0m \\x1b]0;title\\x07 50%\\r")
        '\\x1b[31mred\\x1b[0m \\\\x1b]0;title\\\\x07 50%\\r'
    """

    def __init__(self) -> None:
        self._splitter = _Splitter()

    def feed(self, text: str, *, final: bool = False) -> str:
        """The safe form of `text` (a sequence cut at its end is held back unless `final`)."""
        if not final and not self._splitter.held and _SPECIAL.search(text) is None:
            return text
        shown = []
        for token in self._splitter.tokens(text, final=final):
            if token in ("\n", "\r", "\r\n") or (token[0] == "\x1b" and _SGR.match(token)):
                shown.append(token)
            else:
                shown.append(inert(token))
        return "".join(shown)
