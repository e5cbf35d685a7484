"""uipolicy: unemployment-insurance policy design with game theory and actuarial modelling.

The distribution ships three layers as top-level packages:

* :mod:`gametheory` -- symbolic government-vs-unemployed games;
* :mod:`fund` -- the unemployment-insurance fund model;
* ``optimize`` -- the policy search (planned, issue 4).

This package holds what all layers share: the base exception and the ``uipolicy``
command line.
"""

from uipolicy.errors import UIPolicyError

__version__ = "0.1.0"
__all__ = ["UIPolicyError", "__version__"]
