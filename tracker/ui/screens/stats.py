"""Provides `StatsScreen`: activity by day, progress per resource, reviews and retention, as pictures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Switch
from textual.worker import get_current_worker

from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.heatmap import ActivityHeatmap
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.sparkline_row import ProgressRow, ShareBars, SparklineRow

if TYPE_CHECKING:
    from tracker.clock import Clock
    from tracker.domain.curriculum import Curriculum, Lang
    from tracker.report.stats import ReviewFigures
    from tracker.store.progress_store import ProgressStore

__all__ = ["StatsFigures", "StatsScreen"]

REVIEW_WEEKS = 12
"""The quiz figures' window: reviews per day and true retention over the same weeks."""


def progress_words(fractions: Sequence[float], days: int = 28) -> str:
    """A resource's share done and how it grew: `28%`, `28% · +12% in 4 weeks`.

    Args:
        fractions: The share done at the end of each day, oldest first.
        days: How far back the growth is counted.
    """
    now = fractions[-1] if fractions else 0.0
    before = fractions[-days - 1] if len(fractions) > days else 0.0
    grown = round((now - before) * 100)
    return f"{now:.0%} · +{grown}% in {days // 7} weeks" if grown > 0 else f"{now:.0%}"


@dataclass(frozen=True)
class StatsFigures:
    """Everything the screen draws, computed off the UI thread."""

    today: date
    """The day the figures end on."""
    counts: Mapping[date, int]
    """Progress events per day."""
    streak: int | None
    """The streak in days (None: the streak is turned off)."""
    resources: Sequence[tuple[str, float, str]] | None
    """Each resource's title, share done and that share in words (None: no curriculum yet)."""
    reviews: ReviewFigures
    """Reviews per day and true retention, from the same reviews over `REVIEW_WEEKS`."""


class StatsScreen(TrackerScreen):
    """How the studying went: a heatmap of days, progress per resource, reviews, retention."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "toggle_streak", "Streak"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | t | Show or hide the streak (the choice is kept). |
    """

    DEFAULT_CSS = """
    StatsScreen #stats-body { height: 1fr; }
    StatsScreen ActivityHeatmap { margin: 0 1; }
    StatsScreen #streak-row { height: auto; margin: 0 1; }
    StatsScreen #streak-row Label { padding: 1 1 0 0; }
    StatsScreen #streak-row Switch { width: auto; }
    StatsScreen #retention-row { height: auto; margin: 0 1; }
    StatsScreen #retention-row Label { width: 34; }
    StatsScreen #retention-row #retention-value { width: 1fr; }
    StatsScreen #retention-row ShareBars { margin: 0 1; }
    StatsScreen #resources { height: auto; }
    StatsScreen #reviews { height: auto; }
    """

    @dataclass
    class Computed(Message):
        """The figures were worked out in a thread, ready to draw."""

        screen: StatsScreen
        """The screen whose worker computed them."""
        figures: StatsFigures
        """What to draw."""

        @property
        def control(self) -> StatsScreen:
            return self.screen

    def __init__(self) -> None:
        """Creates the screen (drawn on mount, and again whenever it is shown after a change)."""
        super().__init__()
        self.is_stale = False
        """Whether the data changed while another screen was showing (redraw on resume)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-body"):
            yield Label("Activity, last 26 weeks", id="activity-title", classes="section-title")
            yield ActivityHeatmap(id="heatmap")
            with Horizontal(id="streak-row"):
                yield Label("Streak")
                yield Switch(value=False, id="streak-switch")
                yield Label("", id="streak")
            yield Label("Progress per resource", classes="section-title")
            yield Vertical(id="resources")
            yield Label("Quizzes", classes="section-title")
            with Vertical(id="reviews"):
                yield SparklineRow(f"Reviews per day, last {REVIEW_WEEKS} weeks", [], "")
            with Horizontal(id="retention-row"):
                yield Label(f"True retention, last {REVIEW_WEEKS} weeks")
                yield ShareBars(id="retention")
                yield Label("", id="retention-value")
        yield KeyFooter()

    def update_view(self) -> None:
        app = self.tracker
        if not app.is_ready:  # the store opens after the first frame; revision changes then
            return
        if self.is_mounted and not self.is_current:
            self.is_stale = True  # reading the whole log costs: wait until the screen is shown
            return
        self.is_stale = False
        self._compute(app.store, app.curriculum, app.lang, app.clock)

    @work(thread=True, exclusive=True, group="stats", description="Stats figures")
    def _compute(
        self, store: ProgressStore, curriculum: Curriculum | None, lang: Lang, clock: Clock
    ) -> None:
        """Reads the event log and the settings in a thread, and posts the figures to draw."""
        from datetime import UTC, datetime, time, timedelta

        from tracker.errors import StoreError
        from tracker.report.settings import load_settings
        from tracker.report.source import stats_inputs
        from tracker.report.stats import (
            HEATMAP_WEEKS,
            activity_from_slices,
            due_days,
            resource_progress,
            review_figures,
            streak,
        )

        today, tz = clock.today(), clock.tz
        first = today - timedelta(days=HEATMAP_WEEKS * 7)  # a day early: any zone's midnight
        since = datetime.combine(first, time.min, tzinfo=UTC) - timedelta(hours=14)
        try:
            inputs = stats_inputs(store, since=since, until=clock.now())  # SQL counts, not the log
        except StoreError as error:  # said at the top of the screen; the charts stay as they were
            self.app.call_from_thread(self.tracker.read_failed, error)
            return
        counts = activity_from_slices(inputs.slices, tz=tz)
        is_on = load_settings().show_streak
        length = None
        if is_on:
            due = due_days(inputs.reviews, today, tz=tz) if inputs.reviews else None
            length = streak(counts, due, today)
        resources = None
        if curriculum is not None:
            resources = [
                (series.title, series.current, progress_words(series.fractions))
                for series in resource_progress(
                    curriculum, inputs.part_events, today, lang=lang, tz=tz
                )
            ]
        figures = StatsFigures(
            today=today,
            counts=counts,
            streak=length,
            resources=resources,
            reviews=review_figures(inputs.reviews, today, weeks=REVIEW_WEEKS, tz=tz),
        )
        if not get_current_worker().is_cancelled:
            self.post_message(self.Computed(self, figures))

    @on(Computed)
    def _draw(self, message: Computed) -> None:
        figures = message.figures
        today, counts = figures.today, figures.counts
        self.query_one(ActivityHeatmap).show(counts, today)
        days = sum(1 for day, count in counts.items() if count and (today - day).days < 26 * 7)
        self.query_one("#activity-title", Label).update(
            f"Activity, last 26 weeks: {days} day{'s' * (days != 1)} with progress"
        )

        switch = self.query_one("#streak-switch", Switch)
        with switch.prevent(Switch.Changed):
            switch.value = figures.streak is not None
        label = self.query_one("#streak", Label)
        if (length := figures.streak) is not None:
            label.update(f"{length} day{'s' * (length != 1)} (days with nothing due are skipped)")
        else:
            label.update("off (t turns it on)")

        self._show_resources(figures.resources or [])
        quiz = figures.reviews
        self.query_one("#reviews", Vertical).query_one(SparklineRow).show(
            list(quiz.per_day), f"{quiz.total} in all, {quiz.today} today"
        )
        self.query_one("#retention", ShareBars).show(list(quiz.shares))
        self.query_one("#retention-value", Label).update(quiz.retention_words)

    def _show_resources(self, resources: Sequence[tuple[str, float, str]]) -> None:
        """Updates the rows in place when the resources are the same, else makes them anew."""
        box = self.query_one("#resources", Vertical)
        rows = list(box.query_children(ProgressRow))
        if resources and [row.title for row in rows] == [title for title, _, _ in resources]:
            for row, (_, share, value) in zip(rows, resources, strict=True):
                row.show(share, value)
            return
        box.remove_children()
        box.mount_all(
            [ProgressRow(*row) for row in resources] or [Label("Loading…", classes="muted")]
        )

    def action_toggle_streak(self) -> None:
        """Shows or hides the streak."""
        switch = self.query_one("#streak-switch", Switch)
        switch.value = not switch.value

    @on(Switch.Changed, "#streak-switch")
    def _streak_switched(self, event: Switch.Changed) -> None:
        from dataclasses import replace

        from tracker.report.settings import load_settings, save_settings

        settings = load_settings()
        if settings.show_streak != event.value:
            save_settings(replace(settings, show_streak=event.value))  # any other setting stays
        self.update_view()
