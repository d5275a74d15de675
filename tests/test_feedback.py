"""The learner-facing outcome of a check: one friendly line, never a hidden test's source.

PYTEST_DONT_REWRITE: the checks run as plain Python asserts, as they do in a notebook.
"""

from __future__ import annotations

import warnings

import pytest

from mlsd.learner.checks import CheckFailed, NotAttempted, exercise
from mlsd.learner.figures import figures_in, record


def test_passing_checks_say_so(capsys):
    with exercise("qps"):
        assert 1 + 1 == 2
    assert "qps: checks passed" in capsys.readouterr().out


def test_a_stub_is_not_attempted():
    def stub():
        raise NotImplementedError()

    with pytest.raises(NotAttempted) as info, exercise("qps"):
        stub()
    assert info.value._render_traceback_() == [f"\u2026 qps: {info.value.message}"]
    assert "NotImplementedError" in info.value.message


def test_a_failed_assert_shows_only_its_message():
    secret = 42
    with pytest.raises(CheckFailed) as info, exercise("qps"):
        assert secret == 41, "the peak is off: check the units."
    lines = info.value._render_traceback_()
    assert lines == ["\u2717 qps: the peak is off: check the units."]
    assert "41" not in "".join(lines) and "secret" not in "".join(lines)


def test_an_error_in_the_learners_code_names_its_type():
    with pytest.raises(CheckFailed, match="raised KeyError: 'dau'"), exercise("log_scale"):
        {}["dau"]


def test_interrupts_are_not_swallowed():
    with pytest.raises(KeyboardInterrupt), exercise("qps"):
        raise KeyboardInterrupt


def test_warnings_inside_a_check_are_silenced(recwarn):
    with exercise("qps"):
        warnings.warn("a library is deprecating something", FutureWarning, stacklevel=1)
    assert len(recwarn) == 0


def test_recorded_figures_are_found_in_an_executed_notebook(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw: shown.append(obj))
    record("base_ctr", 0.0213)
    record("dau", 3_000)
    notebook = {"cells": [{"outputs": [{"data": bundle}]} for bundle in shown]}
    assert figures_in(notebook) == {"base_ctr": 0.0213, "dau": 3000}
    assert shown[0]["text/plain"] == "base_ctr = 0.0213"
    with pytest.raises(TypeError):
        record("model", object())


def test_setup_keeps_the_warnings_a_learner_needs():
    import re
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    from mlsd import setup
    from mlsd.authoring.release import load_config

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        setup()
        warnings.warn("lbfgs failed to converge", ConvergenceWarning, stacklevel=1)
        warnings.warn("a user-facing caveat", UserWarning, stacklevel=1)
        warnings.warn("this keyword will change in pandas 4", FutureWarning, stacklevel=1)
    shown = {w.category for w in seen}
    assert ConvergenceWarning in shown and UserWarning in shown
    assert FutureWarning not in shown  # library churn stays out of the way
    # ... and a warning on stderr still cannot zero a test cell under nbgrader
    pattern = load_config().IgnorePattern.pattern
    assert re.search(pattern, "ConvergenceWarning: lbfgs failed to converge")
