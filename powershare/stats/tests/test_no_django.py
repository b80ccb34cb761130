"""The engine never imports Django, not even through its CLI, generator or benchmark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_engine_imports_without_django():
    code = (
        "import sys, powershare.stats, powershare.stats.cli, powershare.stats.synth, "
        "powershare.stats.bench, powershare.stats.query; "
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if m.startswith('django'))"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    plain = subprocess.run(
        [sys.executable, "-c", "import powershare.stats, sys; assert 'django' not in sys.modules"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert plain.returncode == 0, plain.stderr
