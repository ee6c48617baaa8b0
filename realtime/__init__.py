"""Real-time: the `/ws/core/` websocket and the fan-out of domain events to it."""
