"""What the bench reports of a list of timed samples: the median and the 95th percentile."""

import math
import statistics


class Sampled:
    """For a result with `samples` (seconds): its median and 95th percentile in ms."""

    samples: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        """The 95th percentile by nearest rank: of 20 samples, the 19th fastest."""
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000
