"""`python -m nnzoo` is the `nnzoo` command."""

import sys

from nnzoo.cli import main

sys.exit(main())
