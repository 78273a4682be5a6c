"""A meeting's row title in the Meetings timeline, fitted to its width."""

from __future__ import annotations

from tracker.ui.widgets.timeline import fit_title

NEXT = "▶ Tue 15/12/2026 · For the next meeting  (next)"


def test_a_title_that_fits_is_padded_to_the_width() -> None:
    assert fit_title(NEXT, 60) == NEXT + " " * (60 - len(NEXT))


def test_a_long_title_gives_up_its_name_and_keeps_its_last_part() -> None:
    assert fit_title(NEXT, 40) == "▶ Tue 15/12/2026 · For the next…  (next)"
    assert fit_title(NEXT, 12) == "▶ T…  (next)"
    assert fit_title(NEXT, 6) == "▶ Tue…"  # no room for it: the title is cut with its sign
    assert fit_title("  Mon 08/04/2024 · Chapter two", 20) == "  Mon 08/04/2024 · …"
    assert all(len(fit_title(NEXT, width)) == width for width in range(1, 60))
