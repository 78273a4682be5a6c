"""Provides the wire format between the runner and its worker: length-prefixed JSON frames.

Each frame is a 4-byte big-endian length followed by that many bytes of UTF-8 JSON (one object).
The protocol travels on its own pair of pipes (not the worker's stdout/stderr), so nothing a
snippet or a C library prints can corrupt it. `child.py` keeps its own copy of `encode` because
it must run under any Python (the mentee's own), without importing the tracker.

Messages, parent to worker:

| op     | fields                                                        |
|--------|---------------------------------------------------------------|
| `run`  | `code`, `filename`, `seed`, `scratch`, `figures` (the directory for PNGs) |

Worker to parent:

| op      | fields                                                                  |
|---------|-------------------------------------------------------------------------|
| `ready` | `torch` (version or null), `python`, `pid`, `problem` (words or null)   |
| `out`   | `chunks`: `[[stream, text], ...]` in the order printed; stream is stdout/stderr |
| `done`  | `status` (ok, error, interrupted, exited), `error`, `checked`, `compiled` (the code and checks compiled: the zygote compiles them ahead for later runs), `leftovers`, `threads`, `extras` (`figures`: PNG paths), `nonce` |
"""

from __future__ import annotations

import json
import struct
from typing import Any

__all__ = ["HEADER", "FrameDecoder", "encode"]

HEADER = struct.Struct(">I")
"""The frame header: the body's length in bytes."""

MAX_FRAME = 64 * 1024 * 1024
"""A frame longer than this means the stream is corrupt."""


def encode(message: dict[str, Any]) -> bytes:
    """One frame: the header and the JSON body of `message`."""
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )
    return HEADER.pack(len(body)) + body


class FrameDecoder:
    """Turns bytes read from a pipe, in pieces of any size, into messages."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[dict[str, Any]]:
        """Adds `data` and returns every message it completed, in order.

        Raises:
            ValueError: The stream is corrupt (an impossible length or invalid JSON).
        """
        self._buffer += data
        messages: list[dict[str, Any]] = []
        while len(self._buffer) >= HEADER.size:
            (length,) = HEADER.unpack_from(self._buffer)
            if length > MAX_FRAME:
                raise ValueError(f"frame of {length} bytes")
            end = HEADER.size + length
            if len(self._buffer) < end:
                break
            body = bytes(self._buffer[HEADER.size : end])
            del self._buffer[:end]
            messages.append(json.loads(body.decode("utf-8", "surrogatepass")))
        return messages
