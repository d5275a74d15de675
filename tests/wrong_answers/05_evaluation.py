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
    "best_f1": {
        "tests": ["best_f1_test"],
        "answers": {
            "fixed_threshold_of_one_half": '''
def best_f1(y, p):
    y, called = np.asarray(y), np.asarray(p) >= 0.5
    tp = (called & (y == 1)).sum()
    return 0.5, float(2 * tp / (called.sum() + y.sum()))
''',
            "strictly_above_the_threshold": '''
def best_f1(y, p):
    y, p = np.asarray(y), np.asarray(p, dtype=float)
    thresholds = np.unique(p)[::-1]
    order = np.argsort(-p, kind="stable")
    hits = np.r_[0, np.cumsum(y[order])]
    called = np.searchsorted(-p[order], -thresholds, side="left")   # rows with p > t
    f1 = 2 * hits[called] / (called + y.sum())
    best = int(np.argmax(f1))
    return float(thresholds[best]), float(f1[best])
''',
            "threshold_of_best_accuracy": '''
def best_f1(y, p):
    y, p = np.asarray(y), np.asarray(p, dtype=float)
    thresholds = np.unique(p)[::-1]
    order = np.argsort(-p, kind="stable")
    hits = np.r_[0, np.cumsum(y[order])]
    called = np.searchsorted(-p[order], -thresholds, side="right")
    tp = hits[called]
    accuracy = (tp + (len(y) - called) - (y.sum() - tp)) / len(y)
    best = int(np.argmax(accuracy))
    return float(thresholds[best]), float(2 * tp[best] / (called[best] + y.sum()))
''',
            "lowest_threshold_on_ties": '''
def best_f1(y, p):
    y, p = np.asarray(y), np.asarray(p, dtype=float)
    thresholds = np.unique(p)[::-1]
    order = np.argsort(-p, kind="stable")
    hits = np.r_[0, np.cumsum(y[order])]
    called = np.searchsorted(-p[order], -thresholds, side="right")
    f1 = (2 * hits[called] / (called + y.sum()))[::-1]
    best = int(np.argmax(f1))
    return float(thresholds[::-1][best]), float(f1[best])
''',
            "arithmetic_mean_of_precision_and_recall": '''
def best_f1(y, p):
    y, p = np.asarray(y), np.asarray(p, dtype=float)
    thresholds = np.unique(p)[::-1]
    order = np.argsort(-p, kind="stable")
    hits = np.r_[0, np.cumsum(y[order])]
    called = np.searchsorted(-p[order], -thresholds, side="right")
    score = (hits[called] / called + hits[called] / y.sum()) / 2
    best = int(np.argmax(score))
    return float(thresholds[best]), float(score[best])
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
    "delta_method_se": {
        "tests": ["delta_method_se_test"],
        "answers": {
            "impressions_as_independent": '''
def delta_method_se(numerator, denominator):
    c, n = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    rate = c.sum() / n.sum()
    return float(np.sqrt(rate * (1 - rate) / n.sum()))
''',
            "covariance_left_out": '''
def delta_method_se(numerator, denominator):
    c, n = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    ratio = c.sum() / n.sum()
    variance = (c.var(ddof=1) + ratio**2 * n.var(ddof=1)) / (len(c) * n.mean() ** 2)
    return float(np.sqrt(variance))
''',
            "mean_of_user_ratios": '''
def delta_method_se(numerator, denominator):
    ratios = np.asarray(numerator, dtype=float) / np.asarray(denominator, dtype=float)
    return float(ratios.std(ddof=1) / np.sqrt(len(ratios)))
''',
            "variance_not_standard_error": '''
def delta_method_se(numerator, denominator):
    c, n = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    ratio = c.sum() / n.sum()
    s_cn = np.cov(c, n, ddof=1)[0, 1]
    return float((c.var(ddof=1) - 2 * ratio * s_cn + ratio**2 * n.var(ddof=1)) / (len(c) * n.mean() ** 2))
''',
            "centres_its_inputs_in_place": '''
def delta_method_se(numerator, denominator):
    c, n = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    ratio, n_bar = c.sum() / n.sum(), n.mean()
    c -= c.mean()
    n -= n_bar
    return float(np.sqrt(np.mean((c - ratio * n) ** 2) / (len(c) * n_bar**2)))
''',
        },
    },
    "user_level_lift": {
        "tests": ["user_level_lift_test"],
        "answers": {
            "impressions_as_independent": '''
def user_level_lift(experiment):
    rates = experiment.groupby("arm")["clicked"].agg(["mean", "size"])
    r_c, n_c = rates.loc["control", "mean"], rates.loc["control", "size"]
    r_t, n_t = rates.loc["treatment", "mean"], rates.loc["treatment", "size"]
    lift = r_t / r_c - 1
    se = r_t / r_c * np.sqrt((1 - r_t) / (r_t * n_t) + (1 - r_c) / (r_c * n_c))
    return {"lift": lift, "se": se, "z": lift / se, "p_value": 2 * norm.sf(abs(lift / se))}
''',
            "control_rate_taken_as_known": '''
def user_level_lift(experiment):
    out = {}
    for arm in ("control", "treatment"):
        per_user = experiment[experiment["arm"] == arm].groupby("user_id")["clicked"].agg(["sum", "size"])
        c, n = per_user["sum"].to_numpy(float), per_user["size"].to_numpy(float)
        r = c.sum() / n.sum()
        out[arm] = (r, (c.var(ddof=1) - 2 * r * np.cov(c, n)[0, 1] + r**2 * n.var(ddof=1)) / (len(c) * n.mean() ** 2))
    (r_c, v_c), (r_t, v_t) = out["control"], out["treatment"]
    lift, se = r_t / r_c - 1, np.sqrt(v_t) / r_c
    return {"lift": lift, "se": se, "z": lift / se, "p_value": 2 * norm.sf(abs(lift / se))}
''',
            "one_sided_p_value": '''
def user_level_lift(experiment):
    out = {}
    for arm in ("control", "treatment"):
        per_user = experiment[experiment["arm"] == arm].groupby("user_id")["clicked"].agg(["sum", "size"])
        c, n = per_user["sum"].to_numpy(float), per_user["size"].to_numpy(float)
        r = c.sum() / n.sum()
        out[arm] = (r, (c.var(ddof=1) - 2 * r * np.cov(c, n)[0, 1] + r**2 * n.var(ddof=1)) / (len(c) * n.mean() ** 2))
    (r_c, v_c), (r_t, v_t) = out["control"], out["treatment"]
    lift = r_t / r_c - 1
    se = r_t / r_c * np.sqrt(v_t / r_t**2 + v_c / r_c**2)
    return {"lift": lift, "se": se, "z": lift / se, "p_value": norm.sf(lift / se)}
''',
            "mean_of_user_ctrs": '''
def user_level_lift(experiment):
    per_user = experiment.groupby(["arm", "user_id"])["clicked"].mean()
    stats = per_user.groupby("arm").agg(["mean", "var", "size"])
    r_c, r_t = stats.loc["control", "mean"], stats.loc["treatment", "mean"]
    v_c = stats.loc["control", "var"] / stats.loc["control", "size"]
    v_t = stats.loc["treatment", "var"] / stats.loc["treatment", "size"]
    lift = r_t / r_c - 1
    se = r_t / r_c * np.sqrt(v_t / r_t**2 + v_c / r_c**2)
    return {"lift": lift, "se": se, "z": lift / se, "p_value": 2 * norm.sf(abs(lift / se))}
''',
            "absolute_difference": '''
def user_level_lift(experiment):
    out = {}
    for arm in ("control", "treatment"):
        per_user = experiment[experiment["arm"] == arm].groupby("user_id")["clicked"].agg(["sum", "size"])
        c, n = per_user["sum"].to_numpy(float), per_user["size"].to_numpy(float)
        r = c.sum() / n.sum()
        out[arm] = (r, (c.var(ddof=1) - 2 * r * np.cov(c, n)[0, 1] + r**2 * n.var(ddof=1)) / (len(c) * n.mean() ** 2))
    (r_c, v_c), (r_t, v_t) = out["control"], out["treatment"]
    lift, se = r_t - r_c, np.sqrt(v_t + v_c)
    return {"lift": lift, "se": se, "z": lift / se, "p_value": 2 * norm.sf(abs(lift / se))}
''',
            "adds_a_column_to_the_input": '''
def user_level_lift(experiment):
    experiment["treated"] = experiment["arm"] == "treatment"
    out = {}
    for treated, part in experiment.groupby("treated"):
        per_user = part.groupby("user_id")["clicked"].agg(["sum", "size"])
        c, n = per_user["sum"].to_numpy(float), per_user["size"].to_numpy(float)
        r = c.sum() / n.sum()
        out[treated] = (r, (c.var(ddof=1) - 2 * r * np.cov(c, n)[0, 1] + r**2 * n.var(ddof=1)) / (len(c) * n.mean() ** 2))
    (r_c, v_c), (r_t, v_t) = out[False], out[True]
    lift = r_t / r_c - 1
    se = r_t / r_c * np.sqrt(v_t / r_t**2 + v_c / r_c**2)
    return {"lift": float(lift), "se": float(se), "z": float(lift / se), "p_value": float(2 * norm.sf(abs(lift / se)))}
''',
        },
    },
    "revenue_lift_ci": {
        "tests": ["revenue_lift_ci_test"],
        "answers": {
            "impressions_resampled": '''
def revenue_lift_ci(experiment, n_boot=2000, seed=0):
    rng = np.random.default_rng(seed)
    control = experiment.loc[experiment["arm"] == "control", "revenue"].to_numpy()
    treatment = experiment.loc[experiment["arm"] == "treatment", "revenue"].to_numpy()
    users = experiment.groupby("arm")["user_id"].nunique()
    lift = (treatment.sum() / users["treatment"]) / (control.sum() / users["control"]) - 1
    boot_c = rng.choice(control, size=(n_boot, len(control))).mean(axis=1)
    boot_t = rng.choice(treatment, size=(n_boot, len(treatment))).mean(axis=1)
    lower, upper = np.quantile(boot_t / boot_c - 1, [0.025, 0.975])
    return {"lift": float(lift), "lower": float(lower), "upper": float(upper)}
''',
            "revenue_per_impression": '''
def revenue_lift_ci(experiment, n_boot=2000, seed=0):
    rng = np.random.default_rng(seed)
    per_user = experiment.groupby(["arm", "user_id"])["revenue"].agg(["sum", "size"])
    c, t = per_user.loc["control"], per_user.loc["treatment"]
    lift = (t["sum"].sum() / t["size"].sum()) / (c["sum"].sum() / c["size"].sum()) - 1
    ic = rng.integers(0, len(c), size=(n_boot, len(c)))
    it = rng.integers(0, len(t), size=(n_boot, len(t)))
    boot_c = c["sum"].to_numpy()[ic].sum(axis=1) / c["size"].to_numpy()[ic].sum(axis=1)
    boot_t = t["sum"].to_numpy()[it].sum(axis=1) / t["size"].to_numpy()[it].sum(axis=1)
    lower, upper = np.quantile(boot_t / boot_c - 1, [0.025, 0.975])
    return {"lift": float(lift), "lower": float(lower), "upper": float(upper)}
''',
            "control_not_resampled": '''
def revenue_lift_ci(experiment, n_boot=2000, seed=0):
    rng = np.random.default_rng(seed)
    per_user = experiment.groupby(["arm", "user_id"])["revenue"].sum()
    control = per_user.loc["control"].to_numpy()
    treatment = per_user.loc["treatment"].to_numpy()
    lift = treatment.mean() / control.mean() - 1
    boot_t = rng.choice(treatment, size=(n_boot, len(treatment))).mean(axis=1)
    lower, upper = np.quantile(boot_t / control.mean() - 1, [0.025, 0.975])
    return {"lift": float(lift), "lower": float(lower), "upper": float(upper)}
''',
            "one_sided_quantiles": '''
def revenue_lift_ci(experiment, n_boot=2000, seed=0):
    rng = np.random.default_rng(seed)
    per_user = experiment.groupby(["arm", "user_id"])["revenue"].sum()
    control = per_user.loc["control"].to_numpy()
    treatment = per_user.loc["treatment"].to_numpy()
    lift = treatment.mean() / control.mean() - 1
    boot_c = rng.choice(control, size=(n_boot, len(control))).mean(axis=1)
    boot_t = rng.choice(treatment, size=(n_boot, len(treatment))).mean(axis=1)
    lower, upper = np.quantile(boot_t / boot_c - 1, [0.05, 0.95])
    return {"lift": float(lift), "lower": float(lower), "upper": float(upper)}
''',
        },
    },
    "launch_decision": {
        "tests": ["launch_decision_test"],
        "answers": {
            "point_estimates_only": '''
def launch_decision(ctr, hides, max_hide_increase=0.10):
    if hides["lift"] > max_hide_increase:
        return "veto"
    return "launch" if ctr["lift"] > 0 else "hold"
''',
            "one_sided_intervals": '''
def launch_decision(ctr, hides, max_hide_increase=0.10):
    z = norm.ppf(0.95)
    if hides["lift"] - z * hides["se"] > max_hide_increase:
        return "veto"
    if ctr["lift"] - z * ctr["se"] > 0 and hides["lift"] + z * hides["se"] <= max_hide_increase:
        return "launch"
    return "hold"
''',
            "guardrail_ignored_for_launch": '''
def launch_decision(ctr, hides, max_hide_increase=0.10):
    z = norm.ppf(0.975)
    if hides["lift"] - z * hides["se"] > max_hide_increase:
        return "veto"
    return "launch" if ctr["lift"] - z * ctr["se"] > 0 else "hold"
''',
            "veto_on_any_increase": '''
def launch_decision(ctr, hides, max_hide_increase=0.10):
    z = norm.ppf(0.975)
    if hides["lift"] - z * hides["se"] > 0:
        return "veto"
    if ctr["lift"] - z * ctr["se"] > 0 and hides["lift"] + z * hides["se"] <= max_hide_increase:
        return "launch"
    return "hold"
''',
            "ctr_checked_first": '''
def launch_decision(ctr, hides, max_hide_increase=0.10):
    z = norm.ppf(0.975)
    if ctr["lift"] - z * ctr["se"] <= 0:
        return "hold"
    if hides["lift"] - z * hides["se"] > max_hide_increase:
        return "veto"
    return "launch" if hides["lift"] + z * hides["se"] <= max_hide_increase else "hold"
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
            "fading_in_either_direction": '''
def early_late_lift(experiment, early_days):
    def pooled_lift(part):
        rates = part.groupby("arm")["clicked"].agg(["mean", "size"])
        p_c, n_c = rates.loc["control", "mean"], rates.loc["control", "size"]
        p_t, n_t = rates.loc["treatment", "mean"], rates.loc["treatment", "size"]
        return p_t / p_c - 1, np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) / p_c

    early = experiment["day"] < early_days
    early_lift, early_se = pooled_lift(experiment[early])
    late_lift, late_se = pooled_lift(experiment[~early])
    z = (early_lift - late_lift) / np.sqrt(early_se**2 + late_se**2)
    return {"early_lift": float(early_lift), "late_lift": float(late_lift), "z": float(z),
            "fading": bool(abs(z) > norm.ppf(0.975))}
''',
            "one_sided_critical_value": '''
def early_late_lift(experiment, early_days):
    def pooled_lift(part):
        rates = part.groupby("arm")["clicked"].agg(["mean", "size"])
        p_c, n_c = rates.loc["control", "mean"], rates.loc["control", "size"]
        p_t, n_t = rates.loc["treatment", "mean"], rates.loc["treatment", "size"]
        return p_t / p_c - 1, np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) / p_c

    early = experiment["day"] < early_days
    early_lift, early_se = pooled_lift(experiment[early])
    late_lift, late_se = pooled_lift(experiment[~early])
    z = (early_lift - late_lift) / np.sqrt(early_se**2 + late_se**2)
    return {"early_lift": float(early_lift), "late_lift": float(late_lift), "z": float(z),
            "fading": bool(z > norm.ppf(0.95))}
''',
            "first_days_present": '''
def early_late_lift(experiment, early_days):
    def pooled_lift(part):
        rates = part.groupby("arm")["clicked"].agg(["mean", "size"])
        p_c, n_c = rates.loc["control", "mean"], rates.loc["control", "size"]
        p_t, n_t = rates.loc["treatment", "mean"], rates.loc["treatment", "size"]
        return p_t / p_c - 1, np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) / p_c

    days = np.sort(experiment["day"].unique())
    early = experiment["day"].isin(days[:early_days])
    early_lift, early_se = pooled_lift(experiment[early])
    late_lift, late_se = pooled_lift(experiment[~early])
    z = (early_lift - late_lift) / np.sqrt(early_se**2 + late_se**2)
    return {"early_lift": float(early_lift), "late_lift": float(late_lift), "z": float(z),
            "fading": bool(z > norm.ppf(0.975))}
''',
            "late_ends_on_day_13": '''
def early_late_lift(experiment, early_days):
    def pooled_lift(part):
        rates = part.groupby("arm")["clicked"].agg(["mean", "size"])
        p_c, n_c = rates.loc["control", "mean"], rates.loc["control", "size"]
        p_t, n_t = rates.loc["treatment", "mean"], rates.loc["treatment", "size"]
        return p_t / p_c - 1, np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) / p_c

    early_lift, early_se = pooled_lift(experiment[experiment["day"] < early_days])
    late_lift, late_se = pooled_lift(experiment[experiment["day"].between(early_days, 13)])
    z = (early_lift - late_lift) / np.sqrt(early_se**2 + late_se**2)
    return {"early_lift": float(early_lift), "late_lift": float(late_lift), "z": float(z),
            "fading": bool(z > norm.ppf(0.975))}
''',
            "period_column_added_to_the_input": '''
def early_late_lift(experiment, early_days):
    def pooled_lift(part):
        rates = part.groupby("arm")["clicked"].agg(["mean", "size"])
        p_c, n_c = rates.loc["control", "mean"], rates.loc["control", "size"]
        p_t, n_t = rates.loc["treatment", "mean"], rates.loc["treatment", "size"]
        return p_t / p_c - 1, np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) / p_c

    experiment["early"] = experiment["day"] < early_days
    early_lift, early_se = pooled_lift(experiment[experiment["early"]])
    late_lift, late_se = pooled_lift(experiment[~experiment["early"]])
    z = (early_lift - late_lift) / np.sqrt(early_se**2 + late_se**2)
    return {"early_lift": float(early_lift), "late_lift": float(late_lift), "z": float(z),
            "fading": bool(z > norm.ppf(0.975))}
''',
        },
    },
}
