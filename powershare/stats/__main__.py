"""`python -m powershare.stats` runs the engine's CLI."""

import sys

from .cli import main

sys.exit(main())
