"""Where the pipeline's data files and models are, and the one way each kind is read.

- ``DATA_DIR``: the run-time data files (pipeline/data/), ``MODELS_DIR``: the models;
- ``read_tsv``: a tab-separated data file (comment lines ``#`` and blank lines skipped);
- ``dump_model`` / ``load_model``: scikit-learn models as skops files, never pickle. A model
  file is loaded only when every type it holds beyond skops' own trusted ones is one of
  ``MODEL_TYPES``, the types the project's models are made of: a file that would call
  ``builtins.eval`` or any other function is refused before anything in it runs.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException

from . import MODELS_DIR, PACKAGE_DIR  # noqa: F401  (part of this module's answers)

DATA_DIR = PACKAGE_DIR / "data"

# Exactly the types in models/speech_acts/model.skops and models/domains/domains.skops (their
# schema, listed by type), and the project's own analyzer the classifiers are trained with
# (pipeline/classify/ngrams.py: parameters only); a new kind of model adds its types here.
MODEL_TYPES = frozenset(
    {
        "pipeline.classify.ngrams.WordNgrams",
        "builtins.dict",
        "builtins.list",
        "builtins.slice",
        "builtins.str",
        "builtins.tuple",
        "numpy.float64",
        "numpy.ndarray",
        "sklearn.compose._column_transformer.ColumnTransformer",
        "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.multiclass.OneVsRestClassifier",
        "sklearn.pipeline.Pipeline",
        "sklearn.preprocessing._label.LabelBinarizer",
    }
)


class UntrustedModel(ValueError):
    """A model file holding a type that no model of the project is made of."""


def read_tsv(path: str | Path) -> list[list[str]]:
    """Rows of a tab-separated data file, without comment lines (``#``) and blank lines."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def dump_model(model, path: str | Path) -> None:
    """Save a model (an estimator, or a dict of estimators and plain values) as skops."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED)


def load_model(path: str | Path):
    """Load a skops file; raises UntrustedModel for a type outside ``MODEL_TYPES``.

    skops audits the file against its own trusted types and ``MODEL_TYPES`` before it
    constructs anything; the file is scanned for the types it holds (a second walk of its
    tree, about half of the loading) only to name them when it is refused."""
    try:
        return sio.load(path, trusted=sorted(MODEL_TYPES))
    except UntrustedTypesFoundException:
        foreign = sorted(t for t in sio.get_untrusted_types(file=path) if t not in MODEL_TYPES)
        raise UntrustedModel(
            f"{path}: the model file holds {', '.join(foreign)}, which no model of this "
            "project is made of; refusing to load it (it could run code)"
        ) from None
