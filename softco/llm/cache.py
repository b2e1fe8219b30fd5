"""On-disk response cache keyed by the full request.

A re-run of the same brief with the same settings costs nothing, and a resumed
run replays the calls it already paid for. The key covers everything that can
change the answer: model, messages, schema, temperature, max_tokens, seed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from softco.llm.transport import CompletionRequest, RawCompletion


def request_key(request: CompletionRequest) -> str:
    payload = {
        "model": request.model,
        "messages": request.messages,
        "schema": request.json_schema,
        "schema_name": request.schema_name,
        "temperature": request.temperature,
        "max_tokens": request.max_tokens,
        "seed": request.seed,
        "api_base": request.api_base,
        "backend": request.backend,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


class ResponseCache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, request: CompletionRequest) -> RawCompletion | None:
        path = self._path(request_key(request))
        if not path.exists():
            return None
        try:
            return RawCompletion.model_validate_json(path.read_text(encoding="utf-8"))
        except ValueError:
            path.unlink(missing_ok=True)  # a torn write: drop it and call again
            return None

    def put(self, request: CompletionRequest, completion: RawCompletion) -> None:
        path = self._path(request_key(request))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(completion.model_dump_json(), encoding="utf-8")
        tmp.replace(path)

    def stats(self) -> dict[str, Any]:
        files = list(self.folder.rglob("*.json")) if self.folder.exists() else []
        return {"entries": len(files), "bytes": sum(f.stat().st_size for f in files)}
