"""``python -m pipeline.classify.commitments [GOLD.json ...] [--split train|heldout|blind]``:
the commitment records scored against gold, per document (see documents.py)."""

import sys

from .documents import main

sys.exit(main())
