"""``python -m uipolicy`` runs the command line."""

import sys

from uipolicy.cli import main

sys.exit(main())
