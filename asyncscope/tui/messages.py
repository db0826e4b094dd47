"""App-wide messages (widget messages live in their widgets)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from asyncscope.events import Event

__all__ = ["EventsArrived"]


@dataclass
class EventsArrived(Message, bubble=False):
    """Events read from a run's child, gathered in the worker thread.

    Task state transitions are never merged away (the timeline needs each one); instead
    the worker gathers everything already waiting into one message and waits for it to
    be applied before posting the next, so the UI refreshes at most ~30 times a second
    whatever the event rate.
    """

    generation: int
    """Which run of the screen the events belong to (a restart starts a new one)."""
    events: list[Event]
    ended: bool
    """The stream ended: no more events will come."""
