"""Parameter processes of seed 002, chapter 2: one small module per process.

Each class fits itself to a year-indexed series (``fit`` classmethod returning a frozen
fit result whose ``.process`` is the fitted model), gives its expected (noise-free) path
(``forecast``) and simulates paths vectorised over a leading paths axis (``simulate``,
keyword-only ``rng``).  ``printed()`` returns the seed's printed coefficients.
"""

from fund.processes.cir import CIR, CIRFit

__all__ = ["CIR", "CIRFit"]
