"""Provides `StatsScreen`: activity by day, progress per resource, reviews and retention, as pictures."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Label, Switch

from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.heatmap import ActivityHeatmap
from tracker.ui.widgets.sparkline_row import ShareBars, SparklineRow

__all__ = ["StatsScreen"]

REVIEW_DAYS = 56
"""The reviews-per-day sparkline's span (8 weeks)."""
RETENTION_WEEKS = 12
"""How many weeks of true retention are drawn."""


class StatsScreen(TrackerScreen):
    """How the studying went: a heatmap of days, sparklines per resource, reviews, retention."""

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
    StatsScreen #retention-row { height: 1; margin: 0 1; }
    StatsScreen #retention-row Label { width: 34; }
    StatsScreen #retention-row ShareBars { margin: 0 1; }
    StatsScreen #resources { height: auto; }
    """

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
            yield Vertical(id="reviews")
            with Horizontal(id="retention-row"):
                yield Label(f"True retention, last {RETENTION_WEEKS} weeks")
                yield ShareBars(id="retention")
                yield Label("", id="retention-value")
        yield Footer()

    def update_view(self) -> None:
        from tracker.report.settings import load_settings
        from tracker.report.source import snapshot_from_store
        from tracker.report.stats import (
            activity_by_day,
            due_days,
            resource_progress,
            reviews_per_day,
            streak,
            weekly_retention,
        )

        app = self.tracker
        if app.store is None:  # opened after the first frame; revision changes once it is
            return
        if self.is_mounted and not self.is_current:
            self.is_stale = True  # reading the whole log costs: wait until the screen is shown
            return
        self.is_stale = False
        today = app.now().date()
        snapshot = snapshot_from_store(app.store)
        counts = activity_by_day(snapshot.events)
        self.query_one(ActivityHeatmap).show(counts, today)
        days = sum(1 for day, count in counts.items() if count and (today - day).days < 26 * 7)
        self.query_one("#activity-title", Label).update(
            f"Activity, last 26 weeks: {days} day{'s' * (days != 1)} with progress"
        )

        is_on = load_settings().show_streak
        switch = self.query_one("#streak-switch", Switch)
        with switch.prevent(Switch.Changed):
            switch.value = is_on
        label = self.query_one("#streak", Label)
        if is_on:
            due = due_days(snapshot.reviews, today) if snapshot.reviews else None
            length = streak(counts, due, today)
            label.update(f"{length} day{'s' * (length != 1)} (days with nothing due are skipped)")
        else:
            label.update("off (t turns it on)")

        rows = []
        if app.curriculum is not None:
            for series in resource_progress(app.curriculum, snapshot.events, today, lang=app.lang):
                rows.append(SparklineRow(series.title, series.fractions, f"{series.current:.0%}"))
        resources = self.query_one("#resources", Vertical)
        resources.remove_children()
        resources.mount_all(rows or [Label("Loading…", classes="muted")])

        per_day = reviews_per_day(snapshot.reviews, today, days=REVIEW_DAYS)
        reviews = self.query_one("#reviews", Vertical)
        reviews.remove_children()
        reviews.mount(
            SparklineRow(
                f"Reviews per day, last {REVIEW_DAYS // 7} weeks",
                per_day,
                f"{sum(per_day)} in all, {per_day[-1]} today",
            )
        )
        shares = weekly_retention(snapshot.reviews, today, weeks=RETENTION_WEEKS)
        self.query_one("#retention", ShareBars).show(shares)
        latest = next((s for s in reversed(shares) if s is not None), None)
        self.query_one("#retention-value", Label).update(
            "no reviews yet" if latest is None else f"{latest:.0%} latest week"
        )

    def on_screen_resume(self) -> None:
        if self.is_stale:
            self.update_view()

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
