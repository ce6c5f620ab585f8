"""Progress for long commands: a redrawn line on a terminal, a line every few seconds in logs."""

import time


class Progress:
    def __init__(self, label, total, stream, enabled=True, every_seconds=2.0):
        self.label, self.total, self.stream = label, total, stream
        self.enabled = enabled and total > 0
        self.done = 0
        self.started = self.last = time.monotonic()
        self.every = 0.2 if getattr(stream, "isatty", lambda: False)() else every_seconds

    def advance(self, n=1):
        self.done += n
        now = time.monotonic()
        if self.enabled and now - self.last >= self.every:
            self.last = now
            self._write()

    def _write(self):
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed else 0
        percent = 100 * self.done / self.total if self.total else 100
        line = f"{self.label}: {self.done}/{self.total} ({percent:.0f}%, {rate:.0f}/s)"
        self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self):
        if self.enabled:
            self._write()
