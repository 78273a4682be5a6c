"""Provides `TrackerApp`: the shell that holds the curriculum, the progress store and the runner."""

from __future__ import annotations

import gc
import importlib
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import var

from tracker.clock import Clock
from tracker.domain.terminal_text import inert
from tracker.errors import StoreError, TrackerError
from tracker.ui.messages import ChangesRetried, CurriculumLoaded
from tracker.ui.toasts import Toasts

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from tracker.content.watch import FileStamp
    from tracker.domain.curriculum import Curriculum, Lang
    from tracker.domain.progress import PartState
    from tracker.quiz.engine import QuizEngine
    from tracker.runner.runner import Runner
    from tracker.store.pending import PendingChange, PendingChanges
    from tracker.store.progress_store import ProgressStore

__all__ = ["SECTIONS", "UI_BUSY_TIMEOUT_MS", "AppSection", "TrackerApp"]

T = TypeVar("T")

UI_BUSY_TIMEOUT_MS = 250
"""How long a write from the UI thread waits for another process's lock before the change is
kept pending (and retried in a thread): the app never freezes for the store's full timeout."""

RETRY_BUSY_TIMEOUT_MS = 1000
"""How long a retry (in its thread, on its own connection) waits for the lock."""

WATCHED_DIRS = ("assignments", "quizzes")
"""The curriculum's folders whose YAML files the app watches for changes."""


@dataclass(frozen=True, slots=True)
class AppSection:
    """A top-level screen of the app (a Textual mode) with its key, title and help."""

    title: str
    key: str
    """The key that switches to it (shown in the footer)."""
    screen: str
    """`module:Class`, imported the first time the section is shown."""
    help: str
    """What the command palette says about it."""


SECTIONS: dict[str, AppSection] = {
    "agenda": AppSection(
        "Agenda", "a", "tracker.ui.screens.agenda:AgendaScreen", "What is due next"
    ),
    "meetings": AppSection(
        "Meetings",
        "m",
        "tracker.ui.screens.meetings:MeetingsScreen",
        "Every meeting, past and coming",
    ),
    "discuss": AppSection(
        "Discuss", "d", "tracker.ui.screens.discuss:DiscussScreen", "Topics, snippets, questions"
    ),
    "problems": AppSection(
        "Problems", "p", "tracker.ui.screens.problems:ProblemsScreen", "What is wrong in the YAML"
    ),
    "review": AppSection(
        "Review",
        "r",
        "tracker.ui.screens.review:ReviewScreen",
        "Quiz cards due (spaced repetition)",
    ),
    "quiz": AppSection(
        "Quiz", "z", "tracker.ui.screens.quiz:QuizScreen", "Cram a meeting's or a topic's questions"
    ),
    "stats": AppSection(
        "Stats",
        "s",
        "tracker.ui.screens.stats:StatsScreen",
        "Activity, progress, reviews, retention",
    ),
}
"""The app's sections, in footer order. To add a screen (as the quiz screens do), add an entry:
the app installs it as a mode, binds its key in the footer, lists it in the command palette
("Go to <title>"), and imports its module only when it is first shown. A section's screen should
subclass `tracker.ui.screens.base.TrackerScreen` to be told when the data changes."""


_SCREEN_ACTIONS = frozenset(
    ("app.focus_next", "app.focus_previous", "screen.copy_text", "screen.maximize")
)
"""Textual's own screen actions, left out of the palette's list of a screen's keys."""


def _lazy_screen(path: str) -> Callable[[], Screen[Any]]:
    def make() -> Screen[Any]:
        module, _, name = path.partition(":")
        screen: Screen[Any] = getattr(importlib.import_module(module), name)()
        return screen

    return make


def _given(value: T) -> T:
    """`value` itself: the factory of something the app was given ready-made."""
    return value


class TrackerApp(App[None]):
    """The study tracker: agenda, meetings, items, discussion topics and problems."""

    CSS_PATH = str(Path(__file__).with_name("app.tcss"))
    TITLE = "study"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(s.key, f"section('{name}')", s.title) for name, s in SECTIONS.items()),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+t", "toggle_lang", "EN/HY"),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("ctrl+s", "retry_save", "Save now", show=False),
        Binding("q", "quit", "Quit", show=False),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | a, m, d, p (and each section's key) | Switch to that section. |
    | ctrl+z | Undo the last change of progress (again for the one before); while changes are not saved yet, discard the newest of them instead. |
    | ctrl+s | Try again now to save the changes not saved yet. |
    | ctrl+t | Switch the text between English and Armenian. |
    | ctrl+r | Reload the curriculum from disk now. |
    | q, ctrl+q | Quit; while changes are not saved yet, ask first. |
    """
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        name: _lazy_screen(s.screen) for name, s in SECTIONS.items()
    }
    DEFAULT_MODE = "agenda"
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (unannotated: Textual types it oddly)
        (0, "-narrow"),
        (100, "-wide"),
    ]
    """Screens narrower than 100 cells get the `-narrow` class (shorter progress bars)."""

    curriculum: var[Curriculum | None] = var(None)
    """The loaded curriculum; None until the first load finishes."""
    states: var[Mapping[str, PartState]] = var(dict)
    """The progress of every part, by key, as the store has it."""
    revision: var[int] = var(0)
    """Bumped whenever the curriculum, the progress or the questions change: screens watch it."""
    lang: var[Lang] = var("en")
    """The language of the mentor's text: "en" or "hy"."""
    save_revision: var[int] = var(0)
    """Bumped when the pending changes, the read error or the read-only mode change."""

    def __init__(
        self,
        root: Path,
        store: ProgressStore | Callable[[], ProgressStore],
        runner: Runner | Callable[[], Runner],
        *,
        clock: Clock | None = None,
        now: Callable[[], datetime] | None = None,
        lang: Lang = "en",
        watch: bool = True,
        bundled: bool = False,
        paused_gc: bool = False,
    ) -> None:
        """Creates the app; nothing is read until the first frame is on screen.

        Args:
            root: The curriculum directory (with `assignments/` and `quizzes/`).
            store: The progress store, or a function that opens it: `study` passes one, so that
                the store's imports come after the first frame.
            runner: The snippet runner (`SnippetRunner`, or `FakeRunner` in tests), or a
                function that makes it; the app starts it once the curriculum is shown.
            clock: The one clock (today in the user's zone, now in UTC; `--today` fixes it);
                default: the real clock.
            now: Shorthand for `Clock(now)`: a function returning a UTC-aware instant (tests
                pass a fixed one).
            lang: "en" or "hy".
            watch: Whether to reload when a curriculum file changes on disk.
            bundled: Whether `root` is the bundled example curriculum (no curriculum was found
                where `study` started): the agenda says so, and how to start one's own.
            paused_gc: Whether the caller paused Python's garbage collector (`gc.disable()`) to
                start sooner: once the curriculum is on screen, the app collects once, moves
                everything left out of the collector's way (`gc.freeze()`) and enables it again.
        """
        super().__init__()
        self.root = Path(root)
        """The curriculum directory."""
        self._make_store: Callable[[], ProgressStore] = (
            store if callable(store) else partial(_given, store)
        )
        self._make_runner: Callable[[], Runner] = (
            runner if callable(runner) else partial(_given, runner)
        )
        self._store: ProgressStore | None = None
        self._store_lock = threading.Lock()
        """Held while the store is opened: by the start's worker, or by the first use."""
        self._runner: Runner | None = None
        self.clock = clock if clock is not None else Clock(now)
        """The clock every screen asks for today's date and the current instant."""
        self._quiz: QuizEngine | None = None
        self.is_watching = watch
        self.is_bundled = bundled
        """Whether the bundled example curriculum is open (read-only)."""
        """Whether to poll the curriculum files for changes."""
        self.signature: dict[str, FileStamp] = {}
        """The watched files' stamps as of the last load."""
        self.is_loading = False
        """Whether a load worker is running."""
        self._pending: PendingChanges | None = None
        self.read_error: StoreError | None = None
        """Why the last read of progress failed (None when it worked)."""
        self._toasts = Toasts(self)
        self._retry_timer: Any = None
        self._paused_gc = paused_gc
        self.set_reactive(TrackerApp.lang, lang)

    @property
    def store(self) -> ProgressStore:
        """The progress store (opened on first use: `study` opens it after the first frame).

        Raises:
            TrackerError: The store could not be opened (only on first use).
        """
        with self._store_lock:
            if self._store is None:
                self._store = self._make_store()
            return self._store

    @property
    def pending(self) -> PendingChanges:
        """The mentee's changes the store could not save yet, retried with back-off (made on
        first use: not on the way to the first frame)."""
        if self._pending is None:
            from tracker.store.pending import PendingChanges

            self._pending = PendingChanges()
        return self._pending

    @property
    def is_ready(self) -> bool:
        """Whether the store is open (after the first frame): screens that read it wait for it."""
        return self._store is not None

    @property
    def runner(self) -> Runner:
        """The snippet runner, shared by every snippet pane (made on first use, after the first
        frame; started once the curriculum is on screen, so its torch import waits for that)."""
        if self._runner is None:
            self._runner = self._make_runner()
        return self._runner

    @property
    def quiz(self) -> QuizEngine | None:
        """The quiz over the current curriculum (None until it loads): one per curriculum, so the
        review, the quiz and the results share its computed answers; made anew after a reload,
        when first asked for (not on the way to the first screen: its imports cost)."""
        curriculum = self.curriculum
        if curriculum is None:
            return None
        if self._quiz is None or self._quiz.curriculum is not curriculum:
            from tracker.quiz.engine import QuizEngine

            self._quiz = QuizEngine(curriculum, self.store, self.runner, clock=self.clock)
        return self._quiz

    def close_services(self) -> None:
        """Closes the runner and the store, where they were made (when the app has ended)."""
        if self._runner is not None:
            self._runner.close()
        if self._store is not None:
            self._store.close()

    def now(self) -> datetime:
        """The current instant, UTC-aware (by the app's clock)."""
        return self.clock.now()

    @property
    def today(self) -> date:
        """The user's date now (by the app's clock, in the user's zone)."""
        return self.clock.today()

    def on_ready(self) -> None:
        """The first frame is on screen: the store and the curriculum are opened now."""
        self.is_loading = True
        self._start()
        if self.is_watching:
            self.set_interval(0.5, self.check_files, name="watch curriculum")

    @work(thread=True, exclusive=True, group="load", description="open the store, load")
    def _start(self) -> None:
        """Opens the store and loads the curriculum, in a thread: the main thread, meanwhile,
        draws the footer and waits for its frames (a third of this work's time, on 2 cores)."""
        try:
            self.store  # noqa: B018 (opens it)
        except TrackerError as error:
            self.call_from_thread(
                self.exit, return_code=1, message=f"study app: error: {inert(str(error))}"
            )
            return
        self._load(self.file_signature(), is_reload=False)

    # --- loading ---------------------------------------------------------------------------

    def file_signature(self) -> dict[str, FileStamp]:
        """The curriculum's YAML files with their stamps (`tracker.content.watch.scan_files`):
        a stat each, and a hash of the few files changed in the last seconds."""
        from tracker.content.watch import scan_files

        folders = [self.root / folder for folder in WATCHED_DIRS]
        return scan_files(folders, self.signature if self.signature else None)

    def check_files(self) -> bool:
        """Starts a reload when a curriculum file changed, appeared or went away.

        Returns:
            Whether a reload was started.
        """
        if self.is_loading:
            return False
        signature = self.file_signature()
        if signature == self.signature:
            return False
        self.reload_curriculum(is_reload=True, signature=signature)
        return True

    def reload_curriculum(
        self, *, is_reload: bool = True, signature: dict[str, FileStamp] | None = None
    ) -> None:
        """Loads the curriculum again in a thread worker; `CurriculumLoaded` brings it back.

        Args:
            is_reload: False for the first load (its problems are counted, not compared).
            signature: The files' `file_signature()`, when the caller just took it.
        """
        self.is_loading = True
        self._reload(self.file_signature() if signature is None else signature, is_reload)

    @work(thread=True, exclusive=True, group="load")
    def _reload(self, signature: dict[str, FileStamp], is_reload: bool) -> None:
        self._load(signature, is_reload)

    def _load(self, signature: dict[str, FileStamp], is_reload: bool) -> None:
        curriculum = self.load_curriculum()
        self.post_message(CurriculumLoaded(curriculum, signature, is_reload))

    def load_curriculum(self) -> Curriculum:
        """Reads the curriculum (runs in the load worker's thread)."""
        from tracker.content import load_curriculum
        from tracker.domain.curriculum import Curriculum, Location, Problem, Severity

        try:
            return load_curriculum(self.root)
        except TrackerError as error:  # no directory at all: a problem to show, not a crash
            here = Location(str(self.root), 1, 1)
            return Curriculum(str(self.root), problems=(Problem(here, Severity.ERROR, str(error)),))

    @on(CurriculumLoaded)
    def _loaded(self, message: CurriculumLoaded) -> None:
        from tracker.domain.curriculum import Severity

        old = self.curriculum
        self.is_loading = False
        self.signature = message.signature
        self.curriculum = message.curriculum
        if not message.is_reload and self.store.is_read_only:
            self.sub_title = "read-only"
            self.save_revision += 1
        self.refresh_states()
        if not message.is_reload:  # the worker's torch import would compete for the 2 cores
            self.call_after_refresh(self.call_after_refresh, self._after_first_screen)
        errors = sum(p.severity is Severity.ERROR for p in message.curriculum.problems)
        if message.is_reload and old is not None:
            from tracker.domain.changes import describe_changes

            for line in describe_changes(old, message.curriculum):
                self.notify(line, title="Curriculum reloaded", markup=False)  # file names
        elif errors:
            self.notify(
                f"{errors} error{'s' * (errors != 1)} in the curriculum: press p to see them",
                title="Problems",
                severity="error",
            )

    def _after_first_screen(self) -> None:
        """Starts the snippet worker (it imports torch in its own process) once the first
        screen shows the curriculum: started sooner, its import competes with the curriculum's
        load and first drawing for the machine's cores. The other sections' modules are then
        imported while the mentee reads the agenda. A garbage collector paused for the start
        is resumed."""
        if self._paused_gc:
            self._paused_gc = False
            # One collection for the start's few cycles (some 4,000 objects, 25 ms, while the
            # mentee reads), then what is left lives as long as the app: never scanned again.
            gc.collect()
            gc.freeze()
            gc.enable()
        self.runner.start()
        self._import_sections()

    @work(thread=True, exclusive=True, group="warm", description="import the sections")
    def _import_sections(self) -> None:
        """Imports every section's screen module (Discuss brings the Markdown parser and the
        code editor; Stats its charts), so that a section's first visit does not wait for them.
        A module that fails to import is left for the visit to report."""
        for section in SECTIONS.values():
            module = section.screen.partition(":")[0]
            try:
                importlib.import_module(module)
            except Exception:  # the visit imports it again and shows the error
                continue

    # --- progress --------------------------------------------------------------------------

    def refresh_states(self) -> None:
        """Reads every part's state from the store and tells the screens.

        With the date fixed (`--today`), the states are those at the end of that day: progress
        recorded later is not counted (the log is replayed up to then). A read that fails keeps
        the states last read and says so at the top of the screen.
        """
        try:
            if self.clock.is_fixed:
                from tracker.report.source import states_as_of  # one SQL aggregate, not the log

                self.states = states_as_of(self.store, self.clock.now())
            else:
                self.states = self.store.states()
        except StoreError as error:
            self.read_failed(error)
        else:
            if self.read_error is not None:
                self.read_error = None
                self.save_revision += 1
        self.revision += 1

    @property
    def has_save_trouble(self) -> bool:
        """Whether a change is pending, the last read failed, or the database is read-only."""
        is_read_only = self.is_ready and self.store.is_read_only
        return bool(self._pending) or self.read_error is not None or is_read_only

    def read_store(self, read: Callable[[], T], default: T) -> T:
        """Calls a store read; when it fails, says so (`read_failed`) and returns `default`.

        Args:
            read: The read (`lambda: store.notes(key)`).
            default: What to show instead (an empty list).

        Returns:
            What the read returned, or `default`.
        """
        try:
            return read()
        except StoreError as error:
            self.read_failed(error)
            return default

    def read_failed(self, error: StoreError) -> None:
        """Says that a read of progress failed (at the top of each screen, and once as a toast).

        Args:
            error: Why.
        """
        is_new = self.read_error is None or str(self.read_error) != str(error)
        self.read_error = error
        self.save_revision += 1
        if is_new:
            self.notify(inert(str(error)), title="Cannot read progress", severity="error")

    def record(self, change: Callable[..., T], *args: Any) -> T | None:
        """Calls a store method with `now`, then refreshes the screens.

        A change the store cannot save (locked, full, read-only, I/O error) is kept pending,
        shown at the top of the screen and retried with back-off; so is every change made while
        another is pending, so that they are saved in order.

        Args:
            change: A store method that takes `now` as a keyword (`self.store.mark`, ...).
            *args: Its positional arguments.

        Returns:
            What the store method returned; None when the change is pending.
        """
        from tracker.store.pending import PendingChange, describe_change

        at = self.now()
        name = getattr(change, "__name__", "")
        pending = PendingChange(name, tuple(args), at, describe_change(name, args))
        if self.pending:
            self._keep(pending, None)
            return None
        try:
            result = change(*args, now=at)
        except StoreError as error:
            self._keep(pending, error)
            return None
        self.refresh_states()
        return result

    def _keep(self, change: PendingChange, error: StoreError | None) -> None:
        """Keeps a change pending and schedules a retry."""
        self.pending.keep(change, error)
        self.save_revision += 1
        if error is not None:
            self.notify(
                f"{inert(change.description)}: {inert(str(error))}",
                title="Not saved yet: it will be retried",
                severity="error",
            )
        self._schedule_retry()

    def _schedule_retry(self) -> None:
        if self._retry_timer is not None:
            self._retry_timer.stop()
        self._retry_timer = self.set_timer(self.pending.delay, self.action_retry_save)

    def action_retry_save(self) -> None:
        """Tries to save the pending changes now (in a thread: a locked database never blocks)."""
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        if self.pending and self.is_ready:
            self._retry_pending()

    @work(thread=True, exclusive=True, group="save")
    def _retry_pending(self) -> None:
        store = self.store
        if store.path == ":memory:":
            saved = self.pending.save_all(store)
        else:
            from tracker.store.progress_store import ProgressStore

            saved = self.pending.retry(
                store.path, partial(ProgressStore.open, busy_timeout_ms=RETRY_BUSY_TIMEOUT_MS)
            )
        self.post_message(ChangesRetried(saved))

    @on(ChangesRetried)
    def _retried(self, message: ChangesRetried) -> None:
        self.save_revision += 1
        if message.saved:
            self.refresh_states()
            words = "; ".join(inert(s.change.description) for s in message.saved)
            self.notify(words, title="Saved")
        if self.pending:
            self._schedule_retry()

    def discard_pending(self) -> PendingChange | None:
        """Drops the newest change not saved yet (the mentee chose to); says which.

        Returns:
            The change dropped, or None when nothing was pending.
        """
        dropped = self.pending.discard_last()
        if dropped is None and self.pending:
            self.notify("It is being saved right now.", title="Not discarded")
        if dropped is not None:
            self.save_revision += 1
            self.notify(inert(dropped.description), title="Discarded (it was not saved)")
            if not self.pending and self._retry_timer is not None:
                self._retry_timer.stop()
                self._retry_timer = None
        return dropped

    # --- actions ---------------------------------------------------------------------------

    async def action_section(self, name: str) -> None:
        """Shows a section (and closes any item screens open on top of it)."""
        await self.switch_mode(name)
        while len(self.screen_stack) > 1 and not self.screen.is_modal:
            self.pop_screen()

    def action_undo(self) -> None:
        """Undoes this app's last change of progress (never another window's), saying what."""
        from tracker.errors import UndoConflictError

        if self.pending:  # the newest change is not saved: undoing it is discarding it
            self.discard_pending()
            return
        try:
            result = self.store.undo(now=self.now())
        except UndoConflictError as error:
            self.notify(f"Not undone: {inert(str(error))}.", title="Undo", severity="warning")
            return
        except StoreError as error:
            self.notify(inert(str(error)), title="Not undone", severity="error")
            return
        self.refresh_states()
        if result is None:
            self.notify("Nothing to undo.", title="Undo")
        else:
            from tracker.ui.labels import name_keys

            words = name_keys(result.description, result.keys, self.curriculum, self.lang)
            self.notify(words[:1].upper() + words[1:], title="Undone")

    async def action_quit(self) -> None:
        """Quits; while changes are not saved yet, asks first, since quitting would lose them."""
        from tracker.ui.screens.confirm import ConfirmDialog

        if not self.pending:
            self.exit()
            return
        if isinstance(self.screen, ConfirmDialog):
            return  # already asking
        count = len(self.pending)
        changes = "1 change is" if count == 1 else f"{count} changes are"
        newest = inert(self.pending.changes[-1].description)
        reason = f" ({inert(str(self.pending.error))})" if self.pending.error else ""
        question = (
            f"{changes} not saved yet{reason}; the newest: {newest}. "
            f"Quit and lose {'it' if count == 1 else 'them'}? "
            "(n stays: ctrl+s tries to save now)"
        )

        def quit_if(confirmed: bool | None) -> None:
            if confirmed:
                self.exit()

        self.push_screen(ConfirmDialog(question), quit_if)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Shows a toast for a few seconds; the same one again replaces it (`tracker.ui.toasts`)."""
        self._toasts.notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def action_toggle_lang(self) -> None:
        """Switches the mentor's text between English and Armenian."""
        self.lang = "hy" if self.lang == "en" else "en"
        self.notify("Հայերեն" if self.lang == "hy" else "English", title="Language")

    def action_reload(self) -> None:
        """Reloads the curriculum from disk now."""
        self.reload_curriculum(is_reload=True)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for name, section in SECTIONS.items():
            yield SystemCommand(
                f"Go to {section.title}",
                f"{section.help} ({section.key})",
                partial(self.action_section, name),
            )
        yield SystemCommand("Undo", "Undo the last change of progress (ctrl+z)", self.action_undo)
        yield SystemCommand(
            "Language", "Switch between English and Armenian (ctrl+t)", self.action_toggle_lang
        )
        yield SystemCommand(
            "Reload", "Reload the curriculum from disk (ctrl+r)", self.action_reload
        )
        for key, active in screen.active_bindings.items():
            binding = active.binding  # the screen's own and its widgets' footer keys
            is_listed = (binding.show or active.node is screen) and binding.action not in (
                _SCREEN_ACTIONS  # tab, shift+tab, copy: every screen has them, not ours to list
            )
            if active.node is not self and binding.description and active.enabled and is_listed:
                yield SystemCommand(
                    binding.description,
                    binding.tooltip or f"{key} on this screen",
                    partial(self.run_action, binding.action, active.node),
                )
