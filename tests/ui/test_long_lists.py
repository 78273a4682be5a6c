"""Pilot tests of the widgets that keep long lists cheap: a paged list and the meeting timeline."""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult
from textual.widgets import Label, ListItem

from tracker.ui.widgets.paged_list import PagedListView
from tracker.ui.widgets.timeline import MeetingLine, MeetingTimeline

ROWS = 500


class PagedApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PagedListView(id="rows")

    def on_mount(self) -> None:
        self.made: list[int] = []
        self.query_one(PagedListView).show_rows(ROWS, self.make)

    def make(self, index: int) -> ListItem:
        self.made.append(index)
        return ListItem(Label(f"row {index}"))


async def test_a_paged_list_mounts_rows_as_the_cursor_reaches_them() -> None:
    app = PagedApp()
    async with app.run_test(size=(40, 12)) as pilot:
        listing = app.query_one(PagedListView)
        assert listing.row_count == ROWS
        assert listing.mounted_count == PagedListView.PAGE == len(app.made)
        assert listing.index == 0
        for _ in range(PagedListView.PAGE):
            await pilot.press("down")
        await pilot.pause()
        assert listing.index == PagedListView.PAGE
        assert PagedListView.PAGE < listing.mounted_count < ROWS
        assert app.made == list(range(listing.mounted_count))  # each row made once, in order
        listing.mount_through(ROWS + 10)  # clamped to the list's length
        assert listing.mounted_count == ROWS == len(listing.children)


async def test_a_paged_list_shows_new_rows_from_the_first_page() -> None:
    app = PagedApp()
    async with app.run_test(size=(40, 12)) as pilot:
        listing = app.query_one(PagedListView)
        listing.show_rows(3, lambda i: ListItem(Label(f"new {i}")), index=2)
        await pilot.pause()
        assert listing.row_count == listing.mounted_count == 3 == len(listing.children)
        assert listing.index == 2


def _lines(count: int) -> list[MeetingLine]:
    return [
        MeetingLine(f"2020-01-{1 + n % 28:02d}#{n}", f"Meeting {n}", f"{n}/9 parts", n % 10, 9)
        for n in range(count)
    ]


class TimelineApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield MeetingTimeline(id="timeline")

    @on(MeetingTimeline.Chosen)
    def _chosen(self, event: MeetingTimeline.Chosen) -> None:
        self.chosen.append(event.day)


async def test_the_timeline_moves_its_cursor_and_chooses_the_meeting_under_it() -> None:
    app = TimelineApp()
    async with app.run_test(size=(80, 10)) as pilot:
        timeline = app.query_one(MeetingTimeline)
        lines = _lines(2000)
        timeline.show(lines, cursor=1995)
        timeline.focus()
        await pilot.pause()
        assert timeline.cursor == 1995
        assert timeline.scroll_offset.y > 1900  # the cursor's row is in view
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.chosen == [lines[1996].day]
        await pilot.press("home", "down", "enter")
        await pilot.pause()
        assert timeline.cursor == 1 and app.chosen[-1] == lines[1].day
        await pilot.press("end", "down", "enter")  # past the last row: stays on it
        await pilot.pause()
        assert app.chosen[-1] == lines[-1].day


async def test_the_timeline_draws_each_meeting_on_its_line() -> None:
    app = TimelineApp()
    async with app.run_test(size=(80, 6)) as pilot:
        timeline = app.query_one(MeetingTimeline)
        timeline.show(_lines(3), cursor=0)
        await pilot.pause()
        drawn = [timeline.render_line(y).text for y in range(4)]
        assert drawn[0].startswith("Meeting 0") and "0/9 parts" in drawn[0]
        assert "Meeting 2" in drawn[2] and "22%" in drawn[2]  # 2 of 9 parts
        assert drawn[3].strip() == ""  # below the last meeting
        await pilot.click(MeetingTimeline, offset=(5, 1))
        await pilot.pause()
        assert app.chosen == ["2020-01-02#1"]


async def test_a_paged_list_in_a_tall_terminal_fills_it() -> None:
    app = PagedApp()
    async with app.run_test(size=(40, 80)) as pilot:
        await pilot.pause()
        listing = app.query_one(PagedListView)
        assert listing.mounted_count >= 80 > PagedListView.PAGE


async def test_the_timeline_keeps_its_cursor_in_view_when_it_shrinks() -> None:
    app = TimelineApp()
    async with app.run_test(size=(80, 12)) as pilot:
        timeline = app.query_one(MeetingTimeline)
        timeline.show(_lines(2000), cursor=1995)
        await pilot.pause()
        await pilot.pause()
        for size in ((80, 11), (80, 6)):  # a footer taking a row; a smaller terminal
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            top, rows = round(timeline.scroll_offset.y), timeline.scrollable_content_region.height
            assert top <= timeline.cursor < top + rows, (size, top, rows)
            assert rows == timeline.size.height  # no horizontal scrollbar under the last row
