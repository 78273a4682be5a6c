"""Provides `stream_export`: a progress export's top-level fields and records, read as the file
streams, in memory that does not grow with the file.

The top-level object is walked here; each value of a list section (`events`, `notes`, ...) or an
object section (`states`, `cards`) is handed over as soon as it is decoded, with its index or key,
so a reader can check it (`tracker.report.export_schema`) and keep only what it needs. Values are
decoded by the standard `json` decoder, many at a time where the file has one entry per line (as
`study export` writes it), one at a time otherwise. A syntax error is a `json.JSONDecodeError`
with the line and column of the whole file, worded as `json.loads` words it.

A file whose top level is not an object, or that names a field twice, cannot be streamed field by
field: `NotStreamable` says so, and the caller reads the file whole instead (it is then no
progress export, and the whole-file reader gives the same messages as before).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

__all__ = ["LIST_SECTIONS", "OBJECT_SECTIONS", "NotStreamable", "Piece", "stream_export"]

LIST_SECTIONS = frozenset({"notes", "questions", "reviews", "events"})
OBJECT_SECTIONS = frozenset({"states", "cards"})

_CHUNK = 1 << 20
"""Bytes read at a time."""
_BATCH = 1 << 20
"""Characters of entries decoded at once (about 10,000 events)."""
_MAX_VALUE = 16 << 20
"""The longest single value read ahead for before its decoding error is taken as final."""
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()

Piece = tuple[str, str, Any]
"""What the stream yields: `("value", field, value)` for a top-level field given whole;
`("list", section, (first index, [values]))`; `("object", section, [(key, value), ...])`;
`("start", section, None)` when a section begins (so that an empty one is seen)."""


class NotStreamable(Exception):
    """The file cannot be read field by field; read it whole."""


class _Buffer:
    """The decoded text of the file, a window at a time, with the place of every character."""

    def __init__(self, stream: BinaryIO, limit: int, too_big: Callable[[int], Exception]) -> None:
        self._stream = stream
        self._limit = limit
        self._too_big = too_big
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._read = 0
        self.text = ""
        self.pos = 0
        self.eof = False
        self._lines = 0  # newlines in the text dropped from the front
        self._column = 0  # characters since the last dropped newline
        self.single_until = 0
        """Up to here, entries are decoded one at a time (a batch failed there)."""

    def more(self) -> bool:
        """Reads another chunk into the text; False at the end of the file."""
        if self.eof:
            return False
        data = self._stream.read(_CHUNK)
        self._read += len(data)
        if self._read > self._limit:
            raise self._too_big(self._read)
        try:
            text = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            error.start += self._read - len(data)  # where in the file
            raise
        if not data:
            self.eof = True
        if self.pos > _CHUNK:  # drop what was read, keeping the count of lines
            dropped = self.text[: self.pos]
            newlines = dropped.count("\n")
            if newlines:
                self._lines += newlines
                self._column = len(dropped) - dropped.rfind("\n") - 1
            else:
                self._column += len(dropped)
            self.text = self.text[self.pos :]
            self.single_until -= self.pos
            self.pos = 0
        self.text += text
        return bool(data) or bool(text)

    def peek(self) -> str:
        """The next character after any whitespace ('' at the end of the file)."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text) or not self.more():
                return self.text[self.pos : self.pos + 1]

    def error(self, message: str, pos: int | None = None) -> json.JSONDecodeError:
        """The syntax error at `pos` (default: here), placed in the whole file."""
        at = self.pos if pos is None else pos
        error = json.JSONDecodeError(message, self.text, at)
        before = self.text.count("\n", 0, at)
        error.lineno = self._lines + before + 1
        error.colno = at - self.text.rfind("\n", 0, at) if before else self._column + at + 1
        return error

    def value(self) -> Any:
        """Decodes the value that starts here (reading on as far as it needs)."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                if self.eof or len(self.text) - self.pos > _MAX_VALUE:
                    raise self.error(error.msg, error.pos) from None
                self.more()  # the value may go on in the next chunk: decode it again
                continue
            if end == len(self.text) and not self.eof and self.more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return value

    def batch(self, opening: str, closing: str) -> Any | None:
        """Decodes the whole lines of entries ahead at once; None when they do not decode so
        (the entries go on over several lines, or something in them is wrong): the entries up
        to where the batch failed are then decoded one at a time."""
        if self.pos < self.single_until:
            return None
        if len(self.text) - self.pos < _BATCH and not self.eof:
            self.more()
        end = self.text.rfind("\n", self.pos, self.pos + _BATCH)
        chunk = self.text[self.pos : end] if end > self.pos else ""
        for _ in range(2):
            chunk = chunk.rstrip(" \t\r\n")
            if chunk.endswith(","):
                chunk = chunk[:-1]
            if not chunk.strip():
                break
            try:
                values = json.loads(opening + chunk + closing)
            except json.JSONDecodeError as error:
                # Most often the section ends in the batch: decode the lines before that.
                chunk = chunk[: max(chunk.rfind("\n", 0, error.pos - 1), 0)]
                continue
            except (ValueError, RecursionError):
                break
            self.pos += len(chunk)
            return values
        self.single_until = max(end, self.pos + 1)
        return None


def stream_export(
    stream: BinaryIO, limit: int, too_big: Callable[[int], Exception]
) -> Iterator[Piece]:
    """Walks an export's top-level object, yielding its fields and its sections' entries.

    Args:
        stream: The file, opened for binary reading.
        limit: The most bytes read (more is an error).
        too_big: The exception to raise with the size read when it goes over `limit`.

    Yields:
        `Piece`s, in file order.

    Raises:
        json.JSONDecodeError: The text is not JSON (placed in the whole file).
        UnicodeDecodeError: The file is not UTF-8 (`start` is the byte in the whole file).
        ValueError, RecursionError: A number is thousands of digits long; a value is nested
            too deeply.
        NotStreamable: The top level is not an object, or names a field twice.
    """
    buf = _Buffer(stream, limit, too_big)
    if buf.peek() != "{":
        raise NotStreamable
    buf.pos += 1
    seen: set[str] = set()
    if buf.peek() == "}":
        buf.pos += 1
    else:
        while True:
            if buf.peek() != '"':
                raise buf.error("Expecting property name enclosed in double quotes")
            name = buf.value()
            if name in seen:
                raise NotStreamable
            seen.add(name)
            if buf.peek() != ":":
                raise buf.error("Expecting ':' delimiter")
            buf.pos += 1
            first = buf.peek()
            if name in LIST_SECTIONS and first == "[":
                yield "start", name, None
                yield from _entries(buf, name, "[", "]")
            elif name in OBJECT_SECTIONS and first == "{":
                yield "start", name, None
                yield from _entries(buf, name, "{", "}")
            else:
                yield "value", name, buf.value()
            following = buf.peek()
            if following == "}":
                buf.pos += 1
                break
            if following != ",":
                raise buf.error("Expecting ',' delimiter")
            buf.pos += 1
    if buf.peek():
        raise buf.error("Extra data")


def _entries(buf: _Buffer, name: str, opening: str, closing: str) -> Iterator[Piece]:
    """The entries of one section, whose opening bracket is at `buf.pos`."""
    is_list = opening == "["
    buf.pos += 1
    if buf.peek() == closing:
        buf.pos += 1
        return
    index = 0
    while True:
        # Here an entry starts: many at once where they are one per line, else this one.
        values = buf.batch(opening, closing)
        if values is not None:
            if is_list:
                yield "list", name, (index, values)
                index += len(values)
            else:
                yield "object", name, list(values.items())
        elif is_list:
            yield "list", name, (index, [buf.value()])
            index += 1
        else:
            if buf.peek() != '"':
                raise buf.error("Expecting property name enclosed in double quotes")
            key = buf.value()
            if buf.peek() != ":":
                raise buf.error("Expecting ':' delimiter")
            buf.pos += 1
            buf.peek()
            yield "object", name, [(key, buf.value())]
        following = buf.peek()
        if following == closing:
            buf.pos += 1
            return
        if following != ",":
            raise buf.error("Expecting ',' delimiter")
        buf.pos += 1
        buf.peek()
