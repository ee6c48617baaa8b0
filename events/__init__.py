"""Domain events: services announce what changed; subscribers hear it once it is committed."""

from events.bus import Event, announce, subscribe

__all__ = ["Event", "announce", "subscribe"]
