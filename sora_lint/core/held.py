"""A process-wide switch held by any number of threads: turned on by the first, put back by the last."""
from __future__ import annotations

import threading
from typing import Any, Callable


class Held:
    """``turn_on()`` runs when the first holder enters and returns what ``put_back(saved)`` restores when the
    last one leaves: overlapping holders in several threads switch it once, whatever order they leave in."""

    def __init__(self, turn_on: Callable[[], Any], put_back: Callable[[Any], None]) -> None:
        self._turn_on, self._put_back = turn_on, put_back
        self._lock = threading.Lock()
        self._users = 0
        self._saved: Any = None

    def __enter__(self) -> None:
        with self._lock:
            if self._users == 0:
                self._saved = self._turn_on()
            self._users += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                self._put_back(self._saved)
