"""Shared fixtures: every test gets its own STUDY_HOME, so no developer data is ever touched.

UI tests build the app with the one `make_app` fixture and wait on the app's own events: its
workers (`app.workers.wait_for_complete()`) and the messages it handles (`run_test`'s
`message_hook`, which `notifications` reads), never on a polled condition.
"""

from __future__ import annotations

import asyncio
import os
import select
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest

if TYPE_CHECKING:
    from textual.geometry import Region
    from textual.message import Message
    from textual.notifications import Notification
    from textual.pilot import Pilot

    from tracker.clock import Clock
    from tracker.runner.runner import Runner
    from tracker.store.progress_store import ProgressStore
    from tracker.ui.app import TrackerApp
    from tracker.ui.widgets.entry_list import EntryList

ROOT = Path(__file__).resolve().parent.parent
"""The repository root: the bundled curriculum lives in `assignments/` and `quizzes/` here."""

GOOD = ROOT / "tests" / "fixtures" / "good"
"""A small curriculum without problems, for the content and `study check` tests."""

APP_CURRICULUM = ROOT / "tests" / "fixtures" / "app_curriculum"
"""Three meetings (01/04, 08/04, 16/04) over a video, two books, a post and tasks."""
APP_NOW = datetime(2024, 4, 5, 12, 0, tzinfo=UTC)
"""Three days before the 08/04 meeting."""
QUIZ_CURRICULUM = ROOT / "tests" / "fixtures" / "quiz_curriculum"
"""Five questions of the 08/04 topic `contiguity` (one predicts torch's output) and two locked
until 01/05 (`sliding-window`)."""
QUIZ_NOW = datetime(2024, 4, 10, 12, 0, tzinfo=UTC)
"""Two days after the 08/04 meeting: its questions are unlocked, the 01/05 ones are not."""
QUIZ_SIZE = (100, 34)
"""The terminal size of the review and quiz screens' tests."""


@pytest.fixture(autouse=True)
def study_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Points STUDY_HOME at a fresh directory for every test."""
    home = tmp_path / "study-home"
    monkeypatch.setenv("STUDY_HOME", str(home))
    return home


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A copy of the `GOOD` curriculum that the test may change."""
    root = tmp_path / "curriculum"
    shutil.copytree(GOOD, root)
    return root


def copy_curriculum(tmp_path: Path, source: Path = APP_CURRICULUM) -> Path:
    """A private copy of a fixture curriculum that a test may edit (pass it to `make_app`)."""
    root = tmp_path / "curriculum"
    shutil.copytree(source, root)
    return root


class MakeApp(Protocol):
    """The `make_app` fixture's signature."""

    def __call__(
        self,
        curriculum: str | Path = "app",
        *,
        store: ProgressStore | None = None,
        runner: Runner | None = None,
        now: datetime | None = None,
        clock: Clock | None = None,
        watch: bool = False,
    ) -> TrackerApp: ...


@pytest.fixture
def make_app(tmp_path: Path) -> MakeApp:
    """Builds the app for a UI test: the one factory every UI and snapshot test uses.

    The returned function takes the curriculum (`"app"`: a copy of `APP_CURRICULUM`; `"quiz"`:
    of `QUIZ_CURRICULUM`; `"report"`: the report tests' curriculum; or a directory to use as
    it is), and optionally the store (default: a new one in `tmp_path`), the runner (default:
    a `FakeRunner`), a fixed `now` or a `clock` (default: the curriculum's own fixed instant)
    and whether to watch the files.
    """

    def build(
        curriculum: str | Path = "app",
        *,
        store: ProgressStore | None = None,
        runner: Runner | None = None,
        now: datetime | None = None,
        clock: Clock | None = None,
        watch: bool = False,
    ) -> TrackerApp:
        from tests.unit import report_fixture
        from tracker.runner.fake import FakeRunner
        from tracker.store.progress_store import ProgressStore
        from tracker.ui.app import TrackerApp

        if isinstance(curriculum, Path):
            root, instant = curriculum, APP_NOW
        elif curriculum == "report":
            root = report_fixture.write_curriculum(tmp_path / "curriculum")
            instant = report_fixture.NOW
        else:
            source, instant = {
                "app": (APP_CURRICULUM, APP_NOW),
                "quiz": (QUIZ_CURRICULUM, QUIZ_NOW),
            }[curriculum]
            root = tmp_path / "curriculum"
            shutil.copytree(source, root)
        if store is None:
            store = ProgressStore.open(tmp_path / "progress.sqlite3")
        fixed = now or instant
        return TrackerApp(
            root,
            store,
            runner if runner is not None else FakeRunner(),
            clock=clock,
            now=None if clock is not None else (lambda: fixed),
            watch=watch,
        )

    return build


def entry_offset(listing: EntryList, item_id: str) -> tuple[int, int]:
    """Where a click lands on the row of `item_id` in an entry list (x, y in the list)."""
    return 4, listing.styles.gutter.top + listing.index_of(item_id) - round(listing.scroll_y)


def entry_region(listing: EntryList, item_id: str) -> Region:
    """Where on the screen the row of `item_id` in an entry list is drawn."""
    from textual.geometry import Region

    content = listing.content_region
    y = content.y + listing.index_of(item_id) - round(listing.scroll_y)
    return Region(content.x, y, content.width, 1)


async def settle(pilot: Pilot[Any]) -> None:
    """Waits until the app's workers are done and the messages they posted are handled.

    Not while a dialog is open: the worker that opened it waits for the user.
    """
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_loaded(app: TrackerApp, pilot: Pilot[None], revision: int = 0) -> None:
    """Waits for the curriculum's load worker and the `CurriculumLoaded` it posts.

    Args:
        app: The running app.
        pilot: Its pilot.
        revision: For a reload: the app's `revision` before it (the load must move past it).
    """
    await settle(pilot)
    assert app.curriculum is not None and not app.is_loading, "the curriculum did not load"
    assert app.revision > revision, "the curriculum was not loaded again"


async def open_section(app: TrackerApp, pilot: Pilot[None], name: str) -> None:
    """Waits for the curriculum, then switches to a section."""
    await wait_loaded(app, pilot)
    await app.action_section(name)
    await pilot.pause()


def notifications(messages: list[Message], title: str | None = None) -> list[Notification]:
    """The notifications among `messages` (collected with `run_test(message_hook=...)`).

    Args:
        messages: Every message the app handled, in order.
        title: Only the notifications with this title (all when None).
    """
    from textual.notifications import Notify

    return [
        m.notification
        for m in messages
        if isinstance(m, Notify) and (title is None or m.notification.title == title)
    ]


class Messages:
    """Wakes a test at each message the app handles, to check what it waits for again.

    Pass `hook` as `run_test(message_hook=...)`; everything a widget shows (a snippet's output,
    the worker's status, a run's end) arrives as a message, so `until` waits on messages, never
    on a timer.
    """

    def __init__(self) -> None:
        self.arrived = asyncio.Event()

    def hook(self, message: object) -> None:
        self.arrived.set()

    async def until(self, condition: Callable[[], bool], seconds: float = 60.0) -> None:
        async with asyncio.timeout(seconds):
            while not condition():
                self.arrived.clear()
                await self.arrived.wait()


def wait_gone(pid: int, seconds: float = 10.0) -> bool:
    """Whether process `pid` has ended within `seconds` (a zombie counts as ended).

    Waits on the process's pidfd, which becomes readable when it exits.
    """
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        return bool(poller.poll(seconds * 1000))
    finally:
        os.close(pidfd)
