"""Shared fixtures: paths to the bundled documents and a CLI runner."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"
PDF_TEXT = SEEDS / "changning_2024_fazhi_report_pdftext.txt"
WEB_TEXT = SEEDS / "changning_2024_fazhi_report_webtext.txt"
QUFUBAN_2022 = SEEDS / "changning_qufuban_2022_fazhi_report_pdftext.txt"
GUODONGBAN_2024 = SEEDS / "changning_guodongban_2024_fazhi_report_pdftext.txt"
JINGAN_PLAN = SEEDS / "jingan_fazhi_plan_2021-2025_pdftext.txt"

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def run_cli(*args: str, cwd: Path | None = None, timeout: int = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real CLI (`python -m comparer`) and capture its output (COLUMNS=160 unless env says otherwise)."""
    return subprocess.run(
        [sys.executable, "-m", "comparer", *map(str, args)],
        capture_output=True, text=True, cwd=cwd or ROOT, timeout=timeout,
        env={**os.environ, "COLUMNS": "160", **(env or {})},
    )


@pytest.fixture
def cli():
    """Return the CLI runner."""
    return run_cli


def chromium_or_skip() -> str:
    """Return the headless Chromium binary; skip the test with the reason when it is absent (CI requires it)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser:
        return browser
    reason = "chromium is not installed (apt-get install -y chromium fonts-wqy-zenhei; .ci/run installs it)"
    if os.environ.get("COMPARER_REQUIRE_BROWSER"):
        pytest.fail(reason)
    pytest.skip(reason)
