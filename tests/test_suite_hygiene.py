"""The suite holds on a loaded machine: no speed-dependent health check, no fixed sleep in a browser."""

from __future__ import annotations

from pathlib import Path

from conftest import in_ci
from hypothesis import HealthCheck, settings


def test_hypothesis_runs_with_the_suites_profile_whatever_the_machines_speed():
    current = settings()
    assert current.deadline is None
    assert HealthCheck.too_slow in current.suppress_health_check
    assert current.derandomize is in_ci()


def test_no_test_waits_a_fixed_time_in_a_browser():
    """Browser tests wait for a state (a selector, a function, two painted frames), never a fixed delay."""
    fixed_wait = "wait_for" + "_timeout("
    offenders = [path.name for path in Path(__file__).parent.glob("*.py") if fixed_wait in path.read_text()]
    assert offenders == []
