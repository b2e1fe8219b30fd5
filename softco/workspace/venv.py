"""The interpreter that runs generated code, and an optional per-run venv.

Dependencies a design declares are never installed into softco's own
environment. By default nothing is installed and nothing touches the network:
generated code runs with softco's interpreter and the workspace on
``PYTHONPATH``. Installing is opt-in, into a venv that belongs to the run.
"""

from __future__ import annotations

import re
import subprocess
import sys
import venv
from collections.abc import Sequence
from pathlib import Path

from softco.errors import SandboxError

_REQUIREMENT = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9_,.-]+\])?([<>=!~]=?[\w.*+!-]+)?$"
)
INSTALL_TIMEOUT_S = 600.0


def check_requirement(spec: str) -> str:
    """Accept ``name``, ``name[extra]`` and ``name==1.2`` only: no options, URLs or paths."""
    spec = spec.strip()
    if not _REQUIREMENT.match(spec):
        raise SandboxError(f"refusing to install {spec!r}: only 'name' or 'name==version' allowed")
    return spec


def ensure_venv(
    packages: Sequence[str],
    allow_install: bool,
    *,
    venv_dir: Path | None = None,
    timeout_s: float = INSTALL_TIMEOUT_S,
) -> Path:
    """The Python executable that should run the generated code.

    Returns ``sys.executable`` when installing is not allowed or there is
    nothing to install. Otherwise creates ``venv_dir`` (which must lie outside
    the repository) and pip-installs ``packages`` plus pytest there.
    """
    specs = [check_requirement(p) for p in packages]
    if not allow_install or not specs:
        return Path(sys.executable)
    if venv_dir is None:
        raise SandboxError("installing dependencies needs a venv_dir for this run")
    python = venv_dir / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    if not python.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    # Wheels only: an sdist would run its build script with softco's privileges.
    cmd = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    cmd += ["--only-binary", ":all:"]
    try:
        proc = subprocess.run(
            [*cmd, "pytest", *specs], capture_output=True, text=True, timeout=timeout_s
        )
    except subprocess.TimeoutExpired:
        raise SandboxError(f"installing {specs} took longer than {timeout_s:g}s") from None
    if proc.returncode != 0:
        raise SandboxError(f"pip could not install {specs}: {proc.stderr.strip()[-1500:]}")
    return python
