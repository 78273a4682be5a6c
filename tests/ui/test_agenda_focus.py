"""Pilot tests of the agenda's cursor (always shown on the focused list, through live reloads)
and of its mentor's TODOs."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from textual.message import Message

from tests.conftest import MakeApp, copy_curriculum, wait_loaded
from tracker.ui.app import TrackerApp
from tracker.ui.widgets.entry_list import EntryList
from tracker.ui.widgets.part_checklist import PartChecklist

SIZE = (100, 36)

OPTIONAL_ITEMS = """\
  - id: w2-if-time
    resource: perceptron-post
    optional: true
  - id: w2-if-time-too
    resource: tok-video
    until: "00:10:00"
    optional: true
"""


def _touch_later(path: Path) -> None:
    """Moves the file's mtime a second on, as an editor's save would (coarse clocks)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def _with_items(tmp_path: Path, items: str) -> Path:
    """A copy of the test curriculum whose meeting of 08/04 lists `items` (YAML) too."""
    root = copy_curriculum(tmp_path)
    meeting = root / "assignments" / "2024-04-08.yaml"
    text = meeting.read_text(encoding="utf-8").replace("discuss:", items + "discuss:")
    meeting.write_text(text, encoding="utf-8")
    return root


def _with_earlier_meetings(tmp_path: Path) -> Path:
    """A copy of the test curriculum with 15 meetings in March before it, two tasks each
    (`m{day}-a`, `m{day}-b`): 45 lines of carried items, more than a screen holds."""
    root = copy_curriculum(tmp_path)
    for day in range(1, 16):
        tasks = "".join(f"  - id: m{day}-{n}\n    task: Task {n} of 03/{day:02d}\n" for n in "ab")
        (root / "assignments" / f"2024-03-{day:02d}.yaml").write_text(
            f"date: 2024-03-{day:02d}\nitems:\n{tasks}", encoding="utf-8"
        )
    return root


async def _save(app: TrackerApp, pilot: object, path: Path, text: str) -> None:
    """Saves `path` as an editor would and waits for the app's reload."""
    path.write_text(text, encoding="utf-8")
    _touch_later(path)
    revision = app.revision
    assert app.check_files()
    await wait_loaded(app, pilot, revision)  # type: ignore[arg-type]


def _highlighted(app: TrackerApp) -> tuple[str | None, str]:
    """The focused list's id and the words of its highlighted line ("" when none is)."""
    focused = app.screen.focused
    assert focused is not None
    if isinstance(focused, PartChecklist):
        at = focused.highlighted
        return focused.id, "" if at is None else str(focused.get_option_at_index(at).prompt)
    assert isinstance(focused, EntryList)
    entry = focused.highlighted_entry
    return focused.id, "" if entry is None else focused.line(entry.item.id).title_words


async def test_a_reload_keeps_the_cursor_on_its_item_and_always_shows_it(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from tests.conftest import notifications

    root = _with_items(tmp_path, OPTIONAL_ITEMS)
    app = make_app(root)
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        assert _highlighted(app)[0] == "due" and _highlighted(app)[1].startswith("1.")
        await pilot.press("down")
        assert _highlighted(app)[1].startswith("2. Build a Large Language Model")
        meeting = root / "assignments" / "2024-04-08.yaml"
        good = meeting.read_text(encoding="utf-8")
        first = "  - id: w2-first\n    resource: perceptron-post\n"
        await _save(app, pilot, meeting, good.replace("items:\n", "items:\n" + first, 1))
        await pilot.pause()
        assert _highlighted(app)[1].startswith("3. Build a Large Language Model"), "its item"
        # a date typo takes the meeting off the agenda; fixed, it comes back
        seen.clear()
        await _save(app, pilot, meeting, good.replace("date: 2024-04-08", "date: 2024-04-3x"))
        await pilot.pause()
        assert _highlighted(app)[1], "some line is highlighted while the meeting is away"
        said = [n.message for n in notifications(seen, "Curriculum reloaded")]
        assert said == ["2024-04-08.yaml: not loaded, 1 error (p shows them)"]
        seen.clear()
        await _save(app, pilot, meeting, good)
        await pilot.pause()
        said = [n.message for n in notifications(seen, "Curriculum reloaded")]
        assert said == ["2024-04-08.yaml: loaded again"]
        assert _highlighted(app)[0] == "due" and _highlighted(app)[1].startswith("1."), (
            "its item went: the first line of the first list"
        )
        await pilot.press("tab")
        await pilot.pause()
        name, words = _highlighted(app)
        assert (name, words[:2]) == ("optional", "5."), "tab shows the list's first line"
        await pilot.press("down")
        await pilot.pause()
        assert _highlighted(app)[0] == "optional" and _highlighted(app)[1].startswith("6.")


SECOND_TODO = """\
  - id: w2-notebook
    task: Push the notebook
    mentor_todo: Review the pushed notebook
"""


async def test_the_arrows_stop_at_the_ends_of_the_agenda(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app(_with_items(tmp_path, SECOND_TODO))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        first = _highlighted(app)
        await pilot.press("up")
        assert _highlighted(app) == first, "up on the first line stays there"
        todos = app.screen.query_one("#todos", PartChecklist)
        assert todos.option_count == 2
        for _ in range(20):
            await pilot.press("down")
        assert app.screen.focused is todos and todos.highlighted == 1
        await pilot.press("down")
        assert todos.highlighted == 1, "down on the last TODO stays on it, no wrapping round"


async def test_ticking_an_earlier_meetings_todo_says_so_and_keeps_it_listed_until_left(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from tests.conftest import notifications

    app = make_app(now=datetime(2024, 4, 10, 12, 0, tzinfo=UTC))  # 08/04 is past: its TODO
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        todos = app.screen.query_one("#todos", PartChecklist)
        keys = [todos.get_option_at_index(i).value for i in range(todos.option_count)]
        assert "task/w2-push/mentor" in keys
        todos.focus()
        todos.highlighted = keys.index("task/w2-push/mentor")
        await pilot.press("space")
        await pilot.pause()
        assert app.store.states()["task/w2-push/mentor"].is_done
        words = [n.message for n in notifications(seen, "Mentor's TODO")]
        assert words == [
            "Ticked the mentor's TODO “Review and merge the pushed work” · ctrl+z undoes"
        ]
        assert todos.display and app.screen.focused is todos, "not gone under the cursor"
        assert todos.option_count == len(keys) and todos.selected == ["task/w2-push/mentor"]
        assert todos.highlighted_key == "task/w2-push/mentor"
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        todos = app.screen.query_one("#todos", PartChecklist)
        after = [todos.get_option_at_index(i).value for i in range(todos.option_count)]
        assert "task/w2-push/mentor" not in after, "done, it goes once the screen is left"


async def test_keys_typed_in_one_burst_cross_from_list_to_list(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from textual import events

    app = make_app(_with_items(tmp_path, OPTIONAL_ITEMS))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        due = app.screen.query_one("#due", EntryList)
        rows = due.option_count
        for _ in range(rows + 1):
            app.post_message(events.Key("down", None))  # as a terminal delivers a held key
        await pilot.pause()
        assert _highlighted(app)[0] == "optional", "the last key went on into the next list"
        for _ in range(3):
            app.post_message(events.Key("up", None))
        await pilot.pause()
        name, words = _highlighted(app)
        assert name == "due" and words.startswith(f"{rows - 1}."), (name, words)


async def test_rows_stay_one_line_each_when_the_terminal_narrows(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from rich.cells import cell_len

    app = make_app(_with_items(tmp_path, OPTIONAL_ITEMS))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        due = app.screen.query_one("#due", EntryList)
        assert due.option_count > 2
        assert due.virtual_size.height == due.option_count  # a line a row
        width = due.scrollable_content_region.width
        assert width < 80
        rows = range(due.option_count)
        assert [cell_len(due.row_text(i)) for i in rows] == [width] * due.option_count


async def test_page_up_in_the_carried_list_stops_on_its_first_item(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        carried = app.screen.query_one("#carried", EntryList)
        assert isinstance(carried.rows[0], str), "the list begins with a group's heading"
        first, second = (e.item.id for e in carried.entries[:2])
        carried.focus()
        carried.highlight_item(second)
        await pilot.press("pageup")
        assert carried.highlighted_entry is not None, "the cursor stays in the list"
        assert carried.highlighted_entry.item.id == first
        await pilot.press("down")
        assert app.screen.focused is carried and carried.highlighted_entry.item.id == second


async def test_an_item_first_in_its_group_comes_into_view_with_its_heading(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app(_with_earlier_meetings(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        carried = app.screen.query_one("#carried", EntryList)
        assert carried.option_count >= 45 > carried.size.height  # it scrolls
        carried.focus()
        await pilot.press("end", "home")
        assert carried.highlighted == 1 and carried.scroll_y == 0  # "from 01/03" shown above
        first_of_group = carried.index_of("m9-a")
        assert isinstance(carried.rows[first_of_group - 1], str)
        carried.highlight_item("m12-b")
        await pilot.pause()
        for _ in range(7):  # m12-b, m12-a, m11-b, ... up to m9-a
            await pilot.press("up")
        assert carried.highlighted == first_of_group
        assert carried.scroll_y <= first_of_group - 1  # its heading is on screen too


async def test_the_highlighted_item_stays_in_view_when_the_terminal_shrinks(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app(_with_earlier_meetings(tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        carried = app.screen.query_one("#carried", EntryList)
        carried.focus()
        carried.highlight_item("m9-b")
        await pilot.pause()
        await pilot.resize_terminal(80, 20)
        await pilot.pause()
        await pilot.pause()
        top, rows = round(carried.scroll_y), carried.scrollable_content_region.height
        assert top <= carried.index_of("m9-b") < top + rows
