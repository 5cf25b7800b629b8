"""``python -m pipeline.classify.commitments [GOLD.json ...] [--split train|heldout|blind]``:
the commitment records scored against gold, per document (see evaluation.py)."""

import sys

from .evaluation import main

sys.exit(main())
