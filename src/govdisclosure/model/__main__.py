"""``python -m govdisclosure.model``: rewrite the generated model files (``--check``: only check them)."""

import sys

from .codegen import main

sys.exit(main(sys.argv[1:]))
