"""When a player's page falls asleep: no interaction and no open round for its seat for longer than a round.

Jupyter's culler stops only the kernels no browser is connected to; a phone left
on the table keeps its page connected, and its kernel, for the whole workshop.
The player's kernel itself knows whether anyone uses the page (the ``Play``
widget's ticks are not a use) and whether a round waits for the seat, so it
watches that (:class:`IdleWatch`); once idle, the page says so, keeps the seat
in its address, and its kernel asks the server to stop it
(:func:`stop_own_kernel`). Reloading the page gives the seat back. The
dashboard and the projector never fall asleep.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any

IDLE_ENV = "MONNAIES_PLAYER_IDLE_S"
#: The shortest idle time before a page sleeps (a lobby while the facilitator explains the rules).
IDLE_FLOOR_S = 600.0
#: Added to a round's length: a page sleeps only after longer than a round.
ROUND_MARGIN_S = 60.0
OPEN_ROUND = ("practice", "playing", "paused", "results")


def idle_limit(view: dict[str, Any] | None) -> float:
    """Seconds without interaction nor open round before the page sleeps (``MONNAIES_PLAYER_IDLE_S`` if set)."""
    with_env = os.environ.get(IDLE_ENV, "").strip()
    if with_env:
        return float(with_env)
    seconds = ((view or {}).get("timer") or {}).get("round_seconds") or 0
    return max(IDLE_FLOOR_S, seconds + ROUND_MARGIN_S)


class IdleWatch:
    """Since when a player's page is idle.

    Args:
        clock: the time source (tests pass their own).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.active_at = clock()
        self.asleep = False

    def touch(self) -> None:
        """The player did something on the page."""
        self.active_at = self.clock()

    def due(self, view: dict[str, Any] | None) -> bool:
        """Whether the page should fall asleep now (``view``: the seat's view, None before joining)."""
        if self.asleep:
            return False
        now = self.clock()
        if view and view.get("status") in OPEN_ROUND:
            self.active_at = now
        return now - self.active_at > idle_limit(view)


def stop_own_kernel(delay_s: float = 2.0) -> bool:
    """Ask the kit's server to stop this kernel in ``delay_s`` seconds (the page's last messages leave first).

    Returns:
        False when the kernel is not one of ``make serve``'s (nothing is asked).
    """
    server = os.environ.get("MONNAIES_SERVER_URL")
    kernel = os.environ.get("VOILA_KERNEL_ID")
    if not server or not kernel:
        return False

    def ask() -> None:
        time.sleep(delay_s)
        request = urllib.request.Request(f"{server}voila/api/shutdown/{kernel}", data=b"", method="POST")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            opener.open(request, timeout=30).close()
        except OSError:  # the server is going away too
            pass

    threading.Thread(target=ask, daemon=True).start()
    return True
