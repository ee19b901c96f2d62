"""How often a wait looks at the cloud again: soon at first, then less
often (``BackingOff``, the cloud types' ``poll_delay``).

What the cloud makes in a second or two (a port, a volume, an attachment)
is seen done about as soon as it is; what takes minutes (fifty servers
queued on one nova-api) is asked about every few seconds rather than every
second, so the waits of a big stack do not crowd the cloud's API with reads
while it is still serving the requests that make things.
"""

# Seconds before the first look again, the growth per look, the longest.
FIRST = 0.5
GROWTH = 1.5
LONGEST = 4.0


def delay(looks: int) -> float:
    """Seconds to wait after ``looks`` looks (the first wait after 1)."""
    return min(LONGEST, FIRST * GROWTH ** max(0, looks - 1))


class BackingOff:
    """A resource plugin's ``poll_delay``, growing with each look of this
    plugin instance (one action's)."""

    _looks = 0

    def poll_delay(self, token) -> float:
        self._looks += 1
        return delay(self._looks)
