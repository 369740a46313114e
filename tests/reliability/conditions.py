"""Waiting on a condition, never on the clock alone: other test runs share this machine."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], object], seconds: float, every: float = 0.01) -> bool:
    """Poll `condition` until it holds or `seconds` have passed; whether it held."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())
