"""Plausible wrong answers to the exercises of 05_evaluation.

Each entry: the solution cell's grade_id -> the test cells that must lose their points and
the wrong sources that replace the solution cell. Every other test cell must keep full marks.
"""

WRONG_ANSWERS = {
    "normalized_entropy": {
        "tests": ["normalized_entropy_test"],
        "answers": {
            "normalised_by_mean_prediction": '''
def normalized_entropy(y, p, eps=1e-15):
    y = np.asarray(y, dtype=float)
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    log_loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    base = p.mean()
    return float(log_loss / -(base * np.log(base) + (1 - base) * np.log(1 - base)))
''',
            "not_clipped": '''
def normalized_entropy(y, p, eps=1e-15):
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    log_loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    base = y.mean()
    return float(log_loss / -(base * np.log(base) + (1 - base) * np.log(1 - base)))
''',
            "log_loss_only": '''
def normalized_entropy(y, p, eps=1e-15):
    y = np.asarray(y, dtype=float)
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
            "entropy_in_bits": '''
def normalized_entropy(y, p, eps=1e-15):
    y = np.asarray(y, dtype=float)
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    log_loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    base = y.mean()
    return float(log_loss / -(base * np.log2(base) + (1 - base) * np.log2(1 - base)))
''',
        },
    },
    "calibration_ratio": {
        "tests": ["calibration_ratio_test"],
        "answers": {
            "observed_over_predicted": '''
def calibration_ratio(y, p):
    return float(np.mean(y) / np.mean(p))
''',
            "difference": '''
def calibration_ratio(y, p):
    return float(np.mean(p) - np.mean(y))
''',
            "median_prediction": '''
def calibration_ratio(y, p):
    return float(np.median(p) / np.mean(y))
''',
        },
    },
    "reliability_table": {
        "tests": ["reliability_table_test"],
        "answers": {
            "equal_width_bins": '''
def reliability_table(y, p, n_bins=10):
    frame = pd.DataFrame({"y": np.asarray(y, dtype=float), "p": np.asarray(p, dtype=float)})
    frame["bin"] = pd.cut(frame["p"], np.linspace(0, 1, n_bins + 1), include_lowest=True)
    table = frame.groupby("bin", observed=False).agg(mean_pred=("p", "mean"), observed_rate=("y", "mean"),
                                                     count=("y", "size"))
    return table.reset_index(drop=True)
''',
            "equal_width_over_range": '''
def reliability_table(y, p, n_bins=10):
    frame = pd.DataFrame({"y": np.asarray(y, dtype=float), "p": np.asarray(p, dtype=float)})
    frame["bin"] = pd.cut(frame["p"], n_bins)
    table = frame.groupby("bin", observed=True).agg(mean_pred=("p", "mean"), observed_rate=("y", "mean"),
                                                    count=("y", "size"))
    return table.reset_index(drop=True)
''',
            "unsorted_chunks": '''
def reliability_table(y, p, n_bins=10):
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    chunks = np.array_split(np.arange(len(p)), n_bins)
    return pd.DataFrame({"mean_pred": [p[c].mean() for c in chunks],
                         "observed_rate": [y[c].mean() for c in chunks],
                         "count": [len(c) for c in chunks]})
''',
            "clicks_not_rate": '''
def reliability_table(y, p, n_bins=10):
    frame = pd.DataFrame({"y": np.asarray(y, dtype=float), "p": np.asarray(p, dtype=float)})
    frame["bin"] = pd.qcut(frame["p"], n_bins, labels=False)
    table = frame.groupby("bin").agg(mean_pred=("p", "mean"), observed_rate=("y", "sum"),
                                     count=("y", "size"))
    return table.reset_index(drop=True)
''',
        },
    },
    "two_proportion_ztest": {
        "tests": ["two_proportion_ztest_test"],
        "answers": {
            "one_sided": '''
def two_proportion_ztest(clicks_a, n_a, clicks_b, n_b):
    pooled = (clicks_a + clicks_b) / (n_a + n_b)
    z = (clicks_b / n_b - clicks_a / n_a) / np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return float(z), float(norm.sf(z))
''',
            "one_tail_of_abs_z": '''
def two_proportion_ztest(clicks_a, n_a, clicks_b, n_b):
    pooled = (clicks_a + clicks_b) / (n_a + n_b)
    z = (clicks_b / n_b - clicks_a / n_a) / np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return float(z), float(norm.sf(abs(z)))
''',
            "unpooled_se": '''
def two_proportion_ztest(clicks_a, n_a, clicks_b, n_b):
    rate_a, rate_b = clicks_a / n_a, clicks_b / n_b
    z = (rate_b - rate_a) / np.sqrt(rate_a * (1 - rate_a) / n_a + rate_b * (1 - rate_b) / n_b)
    return float(z), float(2 * norm.sf(abs(z)))
''',
            "pooled_without_sample_sizes": '''
def two_proportion_ztest(clicks_a, n_a, clicks_b, n_b):
    pooled = (clicks_a + clicks_b) / (n_a + n_b)
    z = (clicks_b / n_b - clicks_a / n_a) / np.sqrt(pooled * (1 - pooled) * 2 / (n_a + n_b))
    return float(z), float(2 * norm.sf(abs(z)))
''',
        },
    },
    "sample_size_per_arm": {
        "tests": ["sample_size_per_arm_test"],
        "answers": {
            "one_sided_z_1_645": '''
def sample_size_per_arm(base_rate, relative_mde, alpha=0.05, power=0.8):
    p1, p2 = base_rate, base_rate * (1 + relative_mde)
    p_bar = (p1 + p2) / 2
    spread = norm.ppf(1 - alpha) * np.sqrt(2 * p_bar * (1 - p_bar)) + norm.ppf(power) * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return int(np.ceil(spread**2 / (p2 - p1) ** 2))
''',
            "absolute_effect": '''
def sample_size_per_arm(base_rate, relative_mde, alpha=0.05, power=0.8):
    p1, p2 = base_rate, base_rate + relative_mde
    p_bar = (p1 + p2) / 2
    spread = norm.ppf(1 - alpha / 2) * np.sqrt(2 * p_bar * (1 - p_bar)) + norm.ppf(power) * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return int(np.ceil(spread**2 / (p2 - p1) ** 2))
''',
            "power_quantile_flipped": '''
def sample_size_per_arm(base_rate, relative_mde, alpha=0.05, power=0.8):
    p1, p2 = base_rate, base_rate * (1 + relative_mde)
    p_bar = (p1 + p2) / 2
    spread = norm.ppf(1 - alpha / 2) * np.sqrt(2 * p_bar * (1 - p_bar)) + norm.ppf(1 - power) * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return int(np.ceil(spread**2 / (p2 - p1) ** 2))
''',
            "variance_at_base_rate_only": '''
def sample_size_per_arm(base_rate, relative_mde, alpha=0.05, power=0.8):
    p1, p2 = base_rate, base_rate * (1 + relative_mde)
    z = norm.ppf(1 - alpha / 2) + norm.ppf(power)
    return int(np.ceil(z**2 * 2 * p1 * (1 - p1) / (p2 - p1) ** 2))
''',
        },
    },
    "lift_by_day": {
        "tests": ["lift_by_day_test"],
        "answers": {
            "absolute_lift": '''
def lift_by_day(experiment):
    stats = experiment.groupby(["day", "arm"])["clicked"].agg(["mean", "size"]).unstack("arm")
    p_c, p_t = stats[("mean", "control")], stats[("mean", "treatment")]
    n_c, n_t = stats[("size", "control")], stats[("size", "treatment")]
    lift = p_t - p_c
    half = norm.ppf(0.975) * np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c)
    return pd.DataFrame({"lift": lift, "lower": lift - half, "upper": lift + half}).sort_index()
''',
            "z_1_645": '''
def lift_by_day(experiment):
    stats = experiment.groupby(["day", "arm"])["clicked"].agg(["mean", "size"]).unstack("arm")
    p_c, p_t = stats[("mean", "control")], stats[("mean", "treatment")]
    n_c, n_t = stats[("size", "control")], stats[("size", "treatment")]
    lift = p_t / p_c - 1
    half = 1.645 * np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) / p_c
    return pd.DataFrame({"lift": lift, "lower": lift - half, "upper": lift + half}).sort_index()
''',
            "band_not_relative": '''
def lift_by_day(experiment):
    stats = experiment.groupby(["day", "arm"])["clicked"].agg(["mean", "size"]).unstack("arm")
    p_c, p_t = stats[("mean", "control")], stats[("mean", "treatment")]
    n_c, n_t = stats[("size", "control")], stats[("size", "treatment")]
    lift = p_t / p_c - 1
    half = norm.ppf(0.975) * np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c)
    return pd.DataFrame({"lift": lift, "lower": lift - half, "upper": lift + half}).sort_index()
''',
            "relative_to_treatment": '''
def lift_by_day(experiment):
    stats = experiment.groupby(["day", "arm"])["clicked"].agg(["mean", "size"]).unstack("arm")
    p_c, p_t = stats[("mean", "control")], stats[("mean", "treatment")]
    n_c, n_t = stats[("size", "control")], stats[("size", "treatment")]
    lift = (p_t - p_c) / p_t
    half = norm.ppf(0.975) * np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) / p_t
    return pd.DataFrame({"lift": lift, "lower": lift - half, "upper": lift + half}).sort_index()
''',
        },
    },
    "early_late_lift": {
        "tests": ["early_late_lift_test"],
        "answers": {
            "late_is_whole_test": '''
def early_late_lift(experiment, early_days):
    def pooled_lift(part):
        rates = part.groupby("arm")["clicked"].agg(["mean", "size"])
        p_c, n_c = rates.loc["control", "mean"], rates.loc["control", "size"]
        p_t, n_t = rates.loc["treatment", "mean"], rates.loc["treatment", "size"]
        return p_t / p_c - 1, np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) / p_c
    early_lift, early_se = pooled_lift(experiment[experiment["day"] < early_days])
    late_lift, late_se = pooled_lift(experiment)
    z = (early_lift - late_lift) / np.sqrt(early_se**2 + late_se**2)
    return {"early_lift": float(early_lift), "late_lift": float(late_lift), "z": float(z),
            "fading": bool(z > norm.ppf(0.975))}
''',
            "early_includes_boundary_day": '''
def early_late_lift(experiment, early_days):
    def pooled_lift(part):
        rates = part.groupby("arm")["clicked"].agg(["mean", "size"])
        p_c, n_c = rates.loc["control", "mean"], rates.loc["control", "size"]
        p_t, n_t = rates.loc["treatment", "mean"], rates.loc["treatment", "size"]
        return p_t / p_c - 1, np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) / p_c
    early = experiment["day"] <= early_days
    early_lift, early_se = pooled_lift(experiment[early])
    late_lift, late_se = pooled_lift(experiment[~early])
    z = (early_lift - late_lift) / np.sqrt(early_se**2 + late_se**2)
    return {"early_lift": float(early_lift), "late_lift": float(late_lift), "z": float(z),
            "fading": bool(z > norm.ppf(0.975))}
''',
            "mean_of_daily_lifts": '''
def early_late_lift(experiment, early_days):
    stats = experiment.groupby(["day", "arm"])["clicked"].agg(["mean", "size"]).unstack("arm")
    p_c, p_t = stats[("mean", "control")], stats[("mean", "treatment")]
    n_c, n_t = stats[("size", "control")], stats[("size", "treatment")]
    lift = p_t / p_c - 1
    se = np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) / p_c
    early = lift.index < early_days
    early_lift, late_lift = lift[early].mean(), lift[~early].mean()
    early_se = np.sqrt((se[early] ** 2).sum()) / early.sum()
    late_se = np.sqrt((se[~early] ** 2).sum()) / (~early).sum()
    z = (early_lift - late_lift) / np.sqrt(early_se**2 + late_se**2)
    return {"early_lift": float(early_lift), "late_lift": float(late_lift), "z": float(z),
            "fading": bool(z > norm.ppf(0.975))}
''',
            "absolute_lifts": '''
def early_late_lift(experiment, early_days):
    def pooled_lift(part):
        rates = part.groupby("arm")["clicked"].agg(["mean", "size"])
        p_c, n_c = rates.loc["control", "mean"], rates.loc["control", "size"]
        p_t, n_t = rates.loc["treatment", "mean"], rates.loc["treatment", "size"]
        return p_t - p_c, np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c)
    early = experiment["day"] < early_days
    early_lift, early_se = pooled_lift(experiment[early])
    late_lift, late_se = pooled_lift(experiment[~early])
    z = (early_lift - late_lift) / np.sqrt(early_se**2 + late_se**2)
    return {"early_lift": float(early_lift), "late_lift": float(late_lift), "z": float(z),
            "fading": bool(z > norm.ppf(0.975))}
''',
        },
    },
}
