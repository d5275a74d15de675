"""The course's statistics agree with an independent implementation: step 5's sample size,
checked against statsmodels' power of the two-sided two-proportion z-test (a test-only
dependency; the notebook derives the formula itself)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run_solution_cell
from scipy.stats import norm
from statsmodels.stats.proportion import power_proportions_2indep


@pytest.mark.parametrize(("base_rate", "relative_mde", "alpha", "power"), [
    (0.02, 0.05, 0.05, 0.8),     # the notebook's case
    (0.10, 0.10, 0.01, 0.9),
    (0.30, -0.05, 0.05, 0.8),    # a drop is detected as well as a lift
    (0.02, 0.20, 0.10, 0.95),
    (0.005, 0.03, 0.05, 0.8),
])
def test_sample_size_is_the_smallest_that_reaches_the_power(base_rate, relative_mde, alpha, power):
    sample_size_per_arm = run_solution_cell("05_evaluation", "sample_size_per_arm",
                                            np=np, norm=norm)["sample_size_per_arm"]
    n = sample_size_per_arm(base_rate, relative_mde, alpha=alpha, power=power)
    diff = base_rate * relative_mde

    def power_at(nobs):
        return power_proportions_2indep(diff, base_rate, nobs, alpha=alpha,
                                        alternative="two-sided").power

    # the smallest such n, up to one part in 10,000 (statsmodels also counts the far tail)
    fewer = n - max(1, n // 10_000)
    assert power_at(n) >= power > power_at(fewer), (n, power_at(n), power_at(fewer))
