"""`OutputBuffer` and `TerminalFilter` without Textual: carriage returns, colours, inert escapes,
pieces cut anywhere, the line cap and coalescing."""

from __future__ import annotations

import threading

import pytest

from tracker.domain.terminal_output import OutputBuffer, OutputUpdate, TerminalFilter


def _fed(*pieces: str, **options: int) -> OutputBuffer:
    buffer = OutputBuffer(**options)
    for piece in pieces:
        buffer.feed(piece)
    return buffer


def test_lines_come_out_once_and_the_partial_line_is_current() -> None:
    buffer = _fed("one\ntwo\nthr", "ee")
    assert buffer.take() == OutputUpdate(("one", "two"), 0, "three")
    assert buffer.take() is None
    buffer.feed("\n")
    assert buffer.take() == OutputUpdate(("three",), 0, "")


def test_a_carriage_return_rewrites_the_current_line() -> None:
    buffer = _fed("epoch 1\n", " 10%|#         |", "\r 55%|#####     |")
    update = buffer.take()
    assert update is not None
    assert update.lines == ("epoch 1",) and update.current == " 55%|#####     |"
    buffer.feed("\r100%|##########|\n")
    assert buffer.take() == OutputUpdate(("100%|##########|",), 0, "")


def test_a_shorter_rewrite_overwrites_only_its_own_width_as_a_terminal_does() -> None:
    assert _fed("abcdef\rXY\n").take() == OutputUpdate(("XYcdef",), 0, "")


def test_crlf_ends_a_line_without_erasing_it() -> None:
    assert _fed("windows\r\nline\r", "\n").take() == OutputUpdate(("windows", "line"), 0, "")


def test_a_tqdm_run_never_shows_more_than_its_latest_state() -> None:
    buffer = OutputBuffer()
    for step in range(1, 1001):
        buffer.feed(f"\r{step / 10:5.1f}%")
    update = buffer.take()
    assert update is not None and update.lines == () and update.current == "100.0%"


def test_colours_are_kept_and_closed_at_the_end_of_their_line() -> None:
    update = _fed("\x1b[1;31merror\x1b[0m and \x1b[32mgreen\n").take()
    assert update is not None
    assert update.lines == ("\x1b[1;31merror\x1b[0m and \x1b[32mgreen\x1b[0m",)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J\x1b[Hcleared", "\\x1b[2J\\x1b[Hcleared"),
        ("\x1b]0;title\x07x", "\\x1b]0;title\\x07x"),
        ("\x1b]52;c;aGk=\x1b\\x", "\\x1b]52;c;aGk=\\x1b\\x"),
        ("bell\x07 back\x08", "bell\\x07 back\\x08"),
        ("\x9b31mC1", "\\x9b31mC1"),
        ("tab\tkept", "tab\tkept"),
        ("\u202eevil", "\\u202eevil"),
    ],
)
def test_every_other_control_or_escape_is_shown_inert(raw: str, shown: str) -> None:
    update = _fed(raw + "\n").take()
    assert update is not None and update.lines == (shown,)


@pytest.mark.parametrize("cut", range(1, 12))
def test_a_sequence_cut_between_pieces_is_still_recognised(cut: int) -> None:
    text = "a\x1b[31mred\x1b[0m\x1b[2Kz\n"
    update = _fed(text[:cut], text[cut:]).take()
    assert update is not None
    assert update.lines == ("a\x1b[31mred\x1b[0m\\x1b[2Kz",)


def test_an_unfinished_sequence_at_the_end_is_shown_when_the_output_ends() -> None:
    buffer = _fed("half \x1b[3")
    assert buffer.take() == OutputUpdate((), 0, "half ")
    buffer.finish()
    assert buffer.take() == OutputUpdate((), 0, "half \\x1b[3")


def test_a_long_line_is_cut_and_says_so() -> None:
    buffer = _fed("x" * 50, "y" * 50, "\n", "short\n", max_line_chars=60)
    update = buffer.take()
    assert update is not None
    assert update.lines == ("x" * 50 + "y" * 10 + " …", "short")


def test_a_rewrite_of_a_cut_line_starts_over() -> None:
    buffer = _fed("x" * 100, "\rfresh\n", max_line_chars=60)
    update = buffer.take()
    assert update is not None and update.lines == ("fresh" + "x" * 55 + " …",)


def test_a_flood_between_takes_keeps_only_the_newest_lines_and_counts_the_rest() -> None:
    buffer = OutputBuffer(max_lines=100)
    buffer.feed("".join(f"{i}\n" for i in range(100_000)))
    update = buffer.take()
    assert update is not None
    assert update.skipped == 99_900
    assert update.lines == tuple(str(i) for i in range(99_900, 100_000))
    assert buffer.total_lines == 100_000
    buffer.feed("next\n")
    assert buffer.take() == OutputUpdate(("next",), 0, "")


def test_feed_and_take_from_two_threads_lose_no_line() -> None:
    buffer = OutputBuffer(max_lines=1_000_000)
    taken: list[str] = []

    def writer() -> None:
        for i in range(20_000):
            buffer.feed(f"{i}\n")

    thread = threading.Thread(target=writer)
    thread.start()
    while thread.is_alive():
        update = buffer.take()
        if update is not None:
            taken += update.lines
    update = buffer.take()
    if update is not None:
        taken += update.lines
    thread.join()
    assert taken == [str(i) for i in range(20_000)]


def test_clear_starts_over() -> None:
    buffer = _fed("old\nhalf \x1b[")
    buffer.clear()
    buffer.feed("31mnew\n")
    assert buffer.take() == OutputUpdate(("31mnew",), 0, "")
    assert buffer.total_lines == 1


def test_the_terminal_filter_keeps_newlines_returns_and_colours_only() -> None:
    shown = TerminalFilter()
    pieces = ["plain\n", "\r50%", "\r\x1b[32m100%\x1b[0m\n", "\x1b[2J\x1b]0;t\x07", "\x1b[", "1A\n"]
    out = "".join(shown.feed(piece) for piece in pieces) + shown.feed("", final=True)
    assert out == "plain\n\r50%\r\x1b[32m100%\x1b[0m\n\\x1b[2J\\x1b]0;t\\x07\\x1b[1A\n"


def test_the_terminal_filter_passes_plain_text_through_untouched() -> None:
    text = "x" * 10_000 + "\n"
    assert TerminalFilter().feed(text) is text
