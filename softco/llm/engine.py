"""The embedded llama.cpp engine (xllamacpp), one model instance per process.

Why serialised: on a 2-core machine concurrent calls against one local model
are slower than sequential ones, and one llama.cpp slot keeps the KV cache of
the previous prompt, so calls that share a prefix (every role's system
prompt) skip re-reading it. Why grammar-constrained: the engine turns the
JSON schema of the expected artifact into a grammar, so a small model cannot
produce unparsable output — no JSON retry storms.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from softco.errors import ContextWindowExceeded, LLMError, ModelNotFound

_ENGINES: dict[tuple[str, int], Engine] = {}
_ENGINES_LOCK = threading.Lock()


class Engine:
    """A loaded GGUF model answering OpenAI-style chat requests in-process."""

    def __init__(self, model_path: Path, n_ctx: int = 8192, n_threads: int | None = None):
        try:
            import xllamacpp as xlc
        except ImportError as exc:  # pragma: no cover - depends on the extra
            raise ModelNotFound(
                "the embedded engine (xllamacpp) is not installed; "
                "pip install -e '.[local]' (or: make demo)"
            ) from exc
        threads = n_threads or max(1, os.cpu_count() or 1)
        params = xlc.CommonParams()
        params.model.path = str(model_path)
        params.n_ctx = n_ctx
        params.n_parallel = 1
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.cache_prompt = True
        # llama.cpp logs every slot and token timing to stderr; keep it quiet
        # unless a user debugging the engine asks for it.
        params.verbosity = 3 if os.environ.get("SOFTCO_ENGINE_LOG") else -1
        params.warmup = False
        self.model_path = Path(model_path)
        self.n_ctx = n_ctx
        self._lock = threading.Lock()
        start = time.perf_counter()
        self._server = xlc.Server(params)
        self.load_s = time.perf_counter() - start

    def chat(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run one chat completion; calls are serialised by a lock.

        The native call runs on a daemon thread and this thread waits in short
        slices, so Ctrl-C and SIGTERM are handled at once instead of after a
        generation that may take a minute.
        """
        with self._lock:
            box: dict[str, Any] = {}

            def work() -> None:
                try:
                    box["result"] = self._server.handle_chat_completions(request)
                except BaseException as exc:  # re-raised in the caller's thread
                    box["error"] = exc

            worker = threading.Thread(target=work, name="softco-engine", daemon=True)
            worker.start()
            while worker.is_alive():
                worker.join(0.2)
            if "error" in box:
                raise box["error"]
            result = box["result"]
        if isinstance(result, str):
            result = json.loads(result)
        if isinstance(result, dict) and "error" in result and "choices" not in result:
            err = result["error"]
            message = err.get("message", str(err)) if isinstance(err, dict) else str(err)
            if "context" in message.lower() and "exceed" in message.lower():
                raise ContextWindowExceeded(
                    f"prompt does not fit the embedded model's {self.n_ctx}-token context: "
                    f"raise local.n_ctx or shorten the brief ({message})"
                )
            raise LLMError(f"embedded engine error: {message}")
        return result


def get_engine(model_path: Path, n_ctx: int = 8192, n_threads: int | None = None) -> Engine:
    """The process-wide engine for a model file (loaded once, reused by every role)."""
    key = (str(Path(model_path).resolve()), n_ctx)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = Engine(Path(model_path), n_ctx=n_ctx, n_threads=n_threads)
            _ENGINES[key] = engine
        return engine
