"""uipolicy: unemployment-insurance policy design with game theory and actuarial modelling.

The distribution ships three layers and their shared leaf as top-level packages:

* :mod:`gametheory` -- symbolic government-vs-unemployed games;
* :mod:`fund` -- the unemployment-insurance fund model;
* :mod:`optimize` -- the policy search;
* :mod:`uicore` -- the leaf they share (the base exception).

This package is the face: the ``uipolicy`` command line and the report. No layer imports it.
"""

from uicore.errors import UIPolicyError

__version__ = "0.1.0"
__all__ = ["UIPolicyError", "__version__"]
