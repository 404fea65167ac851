"""How far a long piece of background work is: rows handled out of a total, in named phases.

One counter for every background job that shows a progress bar (the bundle import,
chibo.interchange.tasks; a large list export, chibo.lists.tasks). The job counts; a `publish`
function of its own says where the figures go (a file, its run's row); the page that shows the
run polls them. `Progress` publishes at most every `every` seconds, and at every new phase.
"""

import time
from collections.abc import Callable

Publish = Callable[[str, int, int], None]


class Progress:
    """Rows handled out of `total`, in named phases."""

    def __init__(self, publish: Publish | None = None, every: float = 0.5):
        self.publish, self.every = publish, every
        self.phase, self.done, self.total = "", 0, 0
        self._sent = 0.0

    def start(self, phase: str, total: int | None = None) -> None:
        self.phase = phase
        if total is not None:
            self.total = total
        self._send(force=True)

    def advance(self, rows: int = 1) -> None:
        self.done = min(self.done + rows, self.total)
        self._send()

    def _send(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.publish is not None and (force or now - self._sent >= self.every):
            self._sent = now
            self.publish(self.phase, self.done, self.total)
