"""Provides `ItemScreen`: record progress on one item, part by part, by position, with notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Label

from tracker.domain.curriculum import ResourceKind
from tracker.domain.item_kinds import ITEM_KINDS, watched
from tracker.ui.labels import notes_key, open_address
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.system_open import open_in_system
from tracker.ui.widgets.item_summary import ItemSummary
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.notes_list import NotesList
from tracker.ui.widgets.part_checklist import PartChecklist

if TYPE_CHECKING:
    from tracker.domain.curriculum import Item, Resource

__all__ = ["ItemScreen"]

_ITEM_ACTIONS = frozenset({"tick_all", "read_up_to", "set_position", "add_note", "open_resource"})


class ItemScreen(TrackerScreen):
    """One item: tick its parts, set a video's position, read up to a section, take notes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("t", "tick_all", "Tick all", tooltip="Mark every part of this item done"),
        Binding("u", "read_up_to", "Read up to here", tooltip="Tick every section up to this one"),
        Binding("v", "set_position", "Position", tooltip="Set how far you watched (hh:mm:ss)"),
        Binding("n", "add_note", "Note", tooltip="Add a note to this item"),
        Binding("o", "open_resource", "Open", tooltip="Open the resource in the browser"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | space, enter | Tick or untick the highlighted part. |
    | t | Tick every part (a video: watched to the item's end). |
    | u | Book sections: tick every section up to and including the highlighted one. |
    | v | Video: set the watched position (hh:mm:ss). |
    | n | Add a note. |
    | o | Open the resource in the browser (a YouTube video where it continues: the saved position, or the item's start). |
    | escape | Back. |
    """

    AUTO_FOCUS = "#parts"

    def __init__(self, item_id: str) -> None:
        super().__init__()
        self.item_id = item_id
        """The item shown (looked up again after every reload)."""

    def compose(self) -> ComposeResult:
        yield ItemSummary()
        with VerticalScroll(id="item-body"):
            yield Label("Parts", id="parts-title", classes="section-title")
            yield PartChecklist(id="parts")
            yield Label("Notes", classes="section-title")
            yield NotesList()
        yield KeyFooter()

    @property
    def item(self) -> Item | None:
        """The item, from the current curriculum (None if it left the YAML)."""
        curriculum = self.tracker.curriculum
        if curriculum is None:
            return None
        return next((i for i in curriculum.items if i.id == self.item_id), None)

    @property
    def resource(self) -> Resource | None:
        """The item's resource, if any."""
        item, curriculum = self.item, self.tracker.curriculum
        if item is None or curriculum is None:
            return None
        return curriculum.resources.get(item.resource or "")

    def update_view(self) -> None:
        app = self.tracker
        item = self.item
        if item is None or app.curriculum is None:
            self.query_one(NotesList).update(f"{self.item_id}: not in the curriculum any more.")
            return
        self.query_one(ItemSummary).show(item, app.curriculum, app.states, app.lang)
        has_parts = not ITEM_KINDS[item.kind].has_position or bool(item.parts)
        self.query_one("#parts-title").display = has_parts
        checklist = self.query_one(PartChecklist)
        checklist.display = has_parts
        rows = []
        for part in item.parts:
            state = app.states.get(part.key)
            name = ITEM_KINDS[item.kind].part_label(item, part)
            label = f"{name}  {part.title}" if part.title else name
            rows.append((part.key, label, bool(state and state.is_done)))
        checklist.show(rows)
        self.query_one(NotesList).show(app.read_store(lambda: app.store.notes(notes_key(item)), []))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Shows only the keys that apply to this kind of item (dimmed: no URL to open)."""
        item = self.item
        if item is None:  # gone from the YAML: only Back is left
            return action not in _ITEM_ACTIONS
        if action == "set_position":
            return ITEM_KINDS[item.kind].has_position
        if action == "read_up_to":
            return ITEM_KINDS[item.kind].can_read_up_to and self._is_book()
        if action == "open_resource":
            resource = self.resource
            return bool(resource and resource.url) or None
        return True

    def _is_book(self) -> bool:
        resource = self.resource
        return resource is not None and resource.kind is ResourceKind.BOOK

    # --- actions ---------------------------------------------------------------------------

    @on(PartChecklist.Ticked)
    def _ticked(self, event: PartChecklist.Ticked) -> None:
        self.tracker.record(self.tracker.store.mark, [event.key], event.is_done)

    def action_tick_all(self) -> None:
        """Marks every part done (a video: the position at the item's end)."""
        item = self.item
        if item is None:
            return
        if ITEM_KINDS[item.kind].has_position and not item.parts:
            if item.end:
                self.set_position(item.end)
            return
        keys = [p.key for p in item.parts]
        self.tracker.record(self.tracker.store.mark, keys, True)

    def action_read_up_to(self) -> None:
        """Ticks every section up to and including the highlighted one."""
        item = self.item
        last = self.query_one(PartChecklist).highlighted_key
        if item is None or last is None:
            return
        keys = [p.key for p in item.parts]
        upto = keys[: keys.index(last) + 1]
        self.tracker.record(self.tracker.store.mark, upto, True)
        self.notify(f"Ticked {len(upto)} section{'s' * (len(upto) != 1)}.", title="Read up to")

    @work
    async def action_set_position(self) -> None:
        """Asks for the watched position and records it."""
        from tracker.ui.screens.position import PositionDialog

        item, resource = self.item, self.resource
        if item is None or resource is None:
            return
        current = watched(item, self.tracker.states) or item.start or 0
        dialog = PositionDialog(resource, current, start=item.start or 0, end=item.end)
        seconds = await self.app.push_screen_wait(dialog)
        if seconds is not None:
            self.set_position(seconds)

    def set_position(self, seconds: int) -> None:
        """Records how far this item's segment was watched (its own, not another item's)."""
        item, resource = self.item, self.resource
        key = ITEM_KINDS[item.kind].position_key(item) if item is not None else None
        if item is None or resource is None or key is None:
            return
        end = item.end if item.end is not None else resource.length
        self.tracker.record(self.tracker.store.watch, key, item.start or 0, end, seconds)

    @work
    async def action_add_note(self) -> None:
        """Asks for a note and keeps it."""
        from tracker.ui.screens.prompt import TextPrompt

        item = self.item
        if item is None:
            return
        text = await self.app.push_screen_wait(TextPrompt("A note on this item:"))
        if text:
            self.tracker.record(self.tracker.store.add_note, notes_key(item), text)

    def action_open_resource(self) -> None:
        """Opens the resource's URL (a YouTube video at the saved position or the item's start)."""
        item = self.item
        url = open_address(item, self.resource, self.tracker.states) if item is not None else None
        if url is None:
            return
        if open_in_system(self.app, url):
            self.notify(url, title="Opened", markup=False)
            return
        self.app.copy_to_clipboard(url)
        self.notify(  # the address itself stays on the screen, under the title, to copy
            "No browser could be started here. The address is under the title, to copy"
            " (and on the clipboard where the terminal allows it).",
            title="Could not open",
            severity="warning",
        )
