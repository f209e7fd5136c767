"""Helpers for tests that need tools from outside Python (Chromium, Java, npm packages)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"  # screenshots; git-ignored


def skip_or_fail(message: str) -> None:
    """Missing tools skip a local run with a message; in CI they are an error."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so this fails instead of skipping)")
    pytest.skip(message)
