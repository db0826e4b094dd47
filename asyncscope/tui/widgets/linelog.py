"""A read-only log of lines rendered on demand (line API), following the tail.

Subclasses say how many lines there are and how to render one; only the lines on
screen are rendered. While the view is at the bottom it follows new lines; scrolling up
stops following until the user returns to the end. A line wider than the pane is marked
``›`` at the pane's edge and scrolls sideways with left and right; there is no horizontal
scrollbar, which at 80 columns took a row of a small pane and showed as a stray ``▋``.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

__all__ = ["LineLog"]


class LineLog(ScrollView, can_focus=True):
    """Base class: override :meth:`line_count` and :meth:`line_text`."""

    DEFAULT_CSS = """
    LineLog { height: 1fr; scrollbar-gutter: stable; scrollbar-size-horizontal: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move('scroll_up')", "Up", show=False),
        Binding("down,j", "move('scroll_down')", "Down", show=False),
        Binding("pageup", "move('page_up')", "Page up", show=False),
        Binding("pagedown", "move('page_down')", "Page down", show=False),
        Binding("home", "move('scroll_home')", "Top", show=False),
        Binding("end", "move('scroll_end')", "End", show=False),
        Binding("left", "scroll_left", "Left", show=False),
        Binding("right", "scroll_right", "Right", show=False),
    ]

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(name=name, id=id, classes=classes)
        self.follow = True
        self._max_width = 0
        self.wrap = False
        """Subclasses that wrap their lines never scroll sideways."""

    def line_count(self) -> int:
        raise NotImplementedError

    def line_text(self, index: int) -> Text:
        raise NotImplementedError

    def lines_changed(self) -> None:
        """Call after lines were added or changed."""
        count = self.line_count()
        self.virtual_size = Size(max(self._max_width, self.scrollable_content_region.width), count)
        if self.follow:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
            # Again once laid out: before the first layout the height is not known yet.
            self.call_after_refresh(self._to_end)
        self.refresh()

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        # Textual calls this (a private hook of ScrollView) when the pane's size or its
        # scrollbars change. A scrollbar appearing moves the end without a Resize event, and
        # a following log then stopped one line short of it (a flaky snapshot showed it).
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        if self.follow:
            self.call_after_refresh(self._to_end)
        return resized

    def _to_end(self) -> None:
        if self.follow:
            self.scroll_end(animate=False, immediate=True, x_axis=False)

    # Following is decided by what the user does, not by scroll_y changing: Textual also
    # moves scroll_y itself (clamping after a resize), which must not stop following.

    def _user_moved(self, up: bool) -> None:
        if up:
            self.follow = False
        else:
            self.call_after_refresh(self._check_end)

    def _check_end(self) -> None:
        self.follow = round(self.scroll_y) >= round(self.max_scroll_y)

    def action_move(self, action: str) -> None:
        getattr(self, f"action_{action}")()
        self._user_moved(action in ("scroll_up", "page_up", "scroll_home"))

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        super()._on_mouse_scroll_up(event)
        self._user_moved(True)

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        super()._on_mouse_scroll_down(event)
        self._user_moved(False)

    def on_resize(self, event: events.Resize) -> None:
        self.lines_changed()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        base = self.rich_style
        if index >= self.line_count():
            return Strip.blank(width, base)
        text = self.line_text(index)
        text.expand_tabs(8)
        if not self.wrap and text.cell_len > self._max_width:
            self._max_width = text.cell_len
            self.call_after_refresh(self._widen)
        strip = Strip(list(text.render(self.app.console, end="")), text.cell_len)
        strip = strip.crop_extend(scroll_x, scroll_x + width, base)
        if not self.wrap and text.cell_len > scroll_x + width and width > 1:
            # The line goes on past the pane's edge: say so on the line itself (there is no
            # horizontal scrollbar; left and right scroll).
            strip = Strip.join([strip.crop(0, width - 1), Strip([Segment("›", Style(bold=True))], 1)])
        return strip.apply_style(base)

    def _widen(self) -> None:
        width = max(self._max_width, self.scrollable_content_region.width)
        if width != self.virtual_size.width:
            self.virtual_size = Size(width, self.virtual_size.height)
