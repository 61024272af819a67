"""The fuzz tests use the case-work helpers of tests/cases (staff, a judgment, claims)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cases"))
