"""A Dutch NLP pipeline that turns summit declarations into data.

import pipeline
corpus = pipeline.process(["corpus/"])      # -> Corpus: .documents, .segments, ... .docs
pipeline.write(corpus, "outputs/")
pipeline.run(["corpus/"], "outputs/")       # the same, streamed into the folder, cached
pipeline.kwic("outputs/", "rechtsstaat*")   # keyword in context over a run's output
"""

import os
from pathlib import Path

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent
# models/ next to the package in a checkout; DECLARATIONS_MODELS overrides it
MODELS_DIR = Path(os.environ.get("DECLARATIONS_MODELS", PACKAGE_DIR.parent / "models"))


def __getattr__(name):  # keep `import pipeline` light: spaCy loads on first use
    if name in ("process", "process_file", "process_text", "run", "write", "Corpus", "Options"):
        from . import api  # deferred: start-up, measured 4.8 s (spaCy, pandas, scikit-learn)

        return getattr(api, name)
    if name == "kwic":
        from .concordance import kwic  # deferred: start-up, measured 2.5 s (pandas, spaCy)

        return kwic
    raise AttributeError(name)
