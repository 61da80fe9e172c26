"""``python -m govdisclosure.model``: rewrite the generated model files (``--check``: only check them), then the
official formats' builders' code (:mod:`.build_gen`), in a new process: it imports the classes just written."""

import subprocess
import sys

from .codegen import main

status = main(sys.argv[1:])
builders = subprocess.run([sys.executable, "-m", "govdisclosure.model.build_gen", *sys.argv[1:]], check=False)
sys.exit(status or builders.returncode)
