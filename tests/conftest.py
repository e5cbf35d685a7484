"""Test-suite configuration shared by every layer.

Hypothesis runs derandomised under CI (``CI`` set, as ``.ci/run`` is), so a submission's
verdict does not depend on the draw; locally it explores new examples on every run.
Set ``HYPOTHESIS_PROFILE=ci`` to reproduce CI's examples.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else
                                     "dev"))
