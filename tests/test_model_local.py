"""Opt-in tests against the embedded model (``make test-model``; needs ``.[local]``).

They are deselected by default (marker ``model``) because the model is 1.1 GB
and a full build takes minutes on two cores.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import BaseModel, Field

from softco import Company, Settings, StopReason
from softco.llm import Gateway, system_user

pytestmark = pytest.mark.model


class Colour(BaseModel):
    name: str = Field(description="A colour name.")
    hex: str = Field(description="Its hex code like #ff0000.")


class Palette(BaseModel):
    theme: str
    colours: list[Colour]


def test_structured_call_on_the_embedded_model_returns_a_valid_object():
    llm = Gateway(Settings.load(), cache=None)
    reply = llm.complete(
        system_user("You design colour palettes.", "A palette of three warm colours."),
        Palette,
        role="pm",
        max_tokens=200,
    )
    assert isinstance(reply.parsed, Palette) and reply.parsed.colours
    assert reply.usage.completion_tokens > 0 and reply.attempts == 1


def test_cli_llm_with_a_schema_prints_json():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "softco.cli",
            "llm",
            "A palette of two cold colours.",
            "--schema",
            "tests.test_model_local:Palette",
            "--max-tokens",
            "200",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert '"colours"' in done.stdout


def test_full_waterfall_build_on_the_embedded_model(tmp_path):
    settings = Settings.load(home=tmp_path / "home", memory={"enabled": False})
    result = Company(settings).run(
        "A Python module 'mathutils' with functions add(a, b) and is_even(n).",
        run_dir=tmp_path / "run",
    )
    assert result.stop_reason == StopReason.DONE, result.error
    assert result.report.tests_total > 0
    assert (result.workspace / "README.md").exists()
