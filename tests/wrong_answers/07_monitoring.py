"""Plausible wrong answers to the exercises of 07_monitoring.

Each entry: the solution cell's grade_id -> the test cells that must lose their points and
the wrong sources that replace the solution cell. Every other test cell must keep full marks.
"""

_PSI_CATEGORICAL = '''
    else:
        e = reference.value_counts(normalize=True)
        a = live.value_counts(normalize=True)
        e.index, a.index = e.index.astype(object), a.index.astype(object)
        levels = e.index.union(a.index)
        expected = e.reindex(levels, fill_value=0).to_numpy()
        actual = a.reindex(levels, fill_value=0).to_numpy()
'''

WRONG_ANSWERS = {
    "psi": {
        "tests": ["psi_test"],
        "answers": {
            "bins_cut_on_live": '''
def psi(reference, live, bins=10, eps=1e-4):
    reference, live = pd.Series(reference), pd.Series(live)
    if pd.api.types.is_numeric_dtype(reference) and not pd.api.types.is_bool_dtype(reference):
        edges = np.unique(np.quantile(live, np.linspace(0, 1, bins + 1)[1:-1]))
        n_bins = len(edges) + 1
        expected = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=n_bins) / len(reference)
        actual = np.bincount(np.searchsorted(edges, live, side="right"), minlength=n_bins) / len(live)
''' + _PSI_CATEGORICAL + '''
    expected, actual = np.maximum(expected, eps), np.maximum(actual, eps)
    return float(np.sum((actual - expected) * np.log(actual / expected)))
''',
            "no_epsilon": '''
def psi(reference, live, bins=10, eps=1e-4):
    reference, live = pd.Series(reference), pd.Series(live)
    if pd.api.types.is_numeric_dtype(reference) and not pd.api.types.is_bool_dtype(reference):
        edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))
        n_bins = len(edges) + 1
        expected = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=n_bins) / len(reference)
        actual = np.bincount(np.searchsorted(edges, live, side="right"), minlength=n_bins) / len(live)
''' + _PSI_CATEGORICAL + '''
    return float(np.sum((actual - expected) * np.log(actual / expected)))
''',
            "empty_bins_skipped": '''
def psi(reference, live, bins=10, eps=1e-4):
    reference, live = pd.Series(reference), pd.Series(live)
    if pd.api.types.is_numeric_dtype(reference) and not pd.api.types.is_bool_dtype(reference):
        edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))
        n_bins = len(edges) + 1
        expected = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=n_bins) / len(reference)
        actual = np.bincount(np.searchsorted(edges, live, side="right"), minlength=n_bins) / len(live)
''' + _PSI_CATEGORICAL + '''
    both = (expected > 0) & (actual > 0)
    expected, actual = expected[both], actual[both]
    return float(np.sum((actual - expected) * np.log(actual / expected)))
''',
            "equal_width_bins": '''
def psi(reference, live, bins=10, eps=1e-4):
    reference, live = pd.Series(reference), pd.Series(live)
    if pd.api.types.is_numeric_dtype(reference) and not pd.api.types.is_bool_dtype(reference):
        edges = np.linspace(reference.min(), reference.max(), bins + 1)[1:-1]
        n_bins = len(edges) + 1
        expected = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=n_bins) / len(reference)
        actual = np.bincount(np.searchsorted(edges, live, side="right"), minlength=n_bins) / len(live)
''' + _PSI_CATEGORICAL + '''
    expected, actual = np.maximum(expected, eps), np.maximum(actual, eps)
    return float(np.sum((actual - expected) * np.log(actual / expected)))
''',
            "arguments_swapped": '''
def psi(reference, live, bins=10, eps=1e-4):
    reference, live = pd.Series(live), pd.Series(reference)
    if pd.api.types.is_numeric_dtype(reference) and not pd.api.types.is_bool_dtype(reference):
        edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))
        n_bins = len(edges) + 1
        expected = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=n_bins) / len(reference)
        actual = np.bincount(np.searchsorted(edges, live, side="right"), minlength=n_bins) / len(live)
''' + _PSI_CATEGORICAL + '''
    expected, actual = np.maximum(expected, eps), np.maximum(actual, eps)
    return float(np.sum((actual - expected) * np.log(actual / expected)))
''',
            "live_beyond_reference_dropped": '''
def psi(reference, live, bins=10, eps=1e-4):
    reference, live = pd.Series(reference), pd.Series(live)
    if pd.api.types.is_numeric_dtype(reference) and not pd.api.types.is_bool_dtype(reference):
        _, edges = pd.qcut(reference, bins, retbins=True, duplicates="drop")
        expected = pd.cut(reference, edges, include_lowest=True).value_counts(normalize=True, sort=False).to_numpy()
        actual = pd.cut(live, edges, include_lowest=True).value_counts(normalize=True, sort=False).to_numpy()
''' + _PSI_CATEGORICAL + '''
    expected, actual = np.maximum(expected, eps), np.maximum(actual, eps)
    return float(np.sum((actual - expected) * np.log(actual / expected)))
''',
            "integers_as_categories": '''
def psi(reference, live, bins=10, eps=1e-4):
    reference, live = pd.Series(reference), pd.Series(live)
    if pd.api.types.is_float_dtype(reference):
        edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))
        n_bins = len(edges) + 1
        expected = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=n_bins) / len(reference)
        actual = np.bincount(np.searchsorted(edges, live, side="right"), minlength=n_bins) / len(live)

    else:
        e = reference.value_counts(normalize=True)
        a = live.value_counts(normalize=True)
        e.index, a.index = e.index.astype(object), a.index.astype(object)
        levels = e.index.union(a.index)
        expected = e.reindex(levels, fill_value=0).to_numpy()
        actual = a.reindex(levels, fill_value=0).to_numpy()
    expected, actual = np.maximum(expected, eps), np.maximum(actual, eps)
    return float(np.sum((actual - expected) * np.log(actual / expected)))
''',
            "booleans_as_numbers": '''
def psi(reference, live, bins=10, eps=1e-4):
    reference, live = pd.Series(reference), pd.Series(live)
    if pd.api.types.is_numeric_dtype(reference):
        reference, live = reference.astype(float), live.astype(float)
        edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))
        n_bins = len(edges) + 1
        expected = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=n_bins) / len(reference)
        actual = np.bincount(np.searchsorted(edges, live, side="right"), minlength=n_bins) / len(live)

    else:
        e = reference.value_counts(normalize=True)
        a = live.value_counts(normalize=True)
        e.index, a.index = e.index.astype(object), a.index.astype(object)
        levels = e.index.union(a.index)
        expected = e.reindex(levels, fill_value=0).to_numpy()
        actual = a.reindex(levels, fill_value=0).to_numpy()
    expected, actual = np.maximum(expected, eps), np.maximum(actual, eps)
    return float(np.sum((actual - expected) * np.log(actual / expected)))
''',
            "categories_of_the_reference_only": '''
def psi(reference, live, bins=10, eps=1e-4):
    reference, live = pd.Series(reference), pd.Series(live)
    if pd.api.types.is_numeric_dtype(reference) and not pd.api.types.is_bool_dtype(reference):
        edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))
        n_bins = len(edges) + 1
        expected = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=n_bins) / len(reference)
        actual = np.bincount(np.searchsorted(edges, live, side="right"), minlength=n_bins) / len(live)

    else:
        e = reference.value_counts(normalize=True)
        a = live.value_counts(normalize=True)
        e.index, a.index = e.index.astype(object), a.index.astype(object)
        expected = e.to_numpy()
        actual = a.reindex(e.index, fill_value=0).to_numpy()
    expected, actual = np.maximum(expected, eps), np.maximum(actual, eps)
    return float(np.sum((actual - expected) * np.log(actual / expected)))
''',
            "live_clipped_in_place": '''
def psi(reference, live, bins=10, eps=1e-4):
    if pd.api.types.is_numeric_dtype(reference) and not pd.api.types.is_bool_dtype(reference):
        live.clip(reference.min(), reference.max(), inplace=True)
        edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))
        n_bins = len(edges) + 1
        expected = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=n_bins) / len(reference)
        actual = np.bincount(np.searchsorted(edges, live, side="right"), minlength=n_bins) / len(live)

    else:
        e = reference.value_counts(normalize=True)
        a = live.value_counts(normalize=True)
        e.index, a.index = e.index.astype(object), a.index.astype(object)
        levels = e.index.union(a.index)
        expected = e.reindex(levels, fill_value=0).to_numpy()
        actual = a.reindex(levels, fill_value=0).to_numpy()
    expected, actual = np.maximum(expected, eps), np.maximum(actual, eps)
    return float(np.sum((actual - expected) * np.log(actual / expected)))
''',
        },
    },
    "ks_drift": {
        "tests": ["ks_drift_test"],
        "answers": {
            "category_codes_tested": '''
def ks_drift(reference, live, alpha=0.01):
    drifted = []
    for name in reference.columns:
        ref = pd.Series(pd.Categorical(reference[name])).cat.codes if not pd.api.types.is_numeric_dtype(reference[name]) else reference[name].astype(float)
        now = pd.Series(pd.Categorical(live[name], categories=pd.Categorical(reference[name]).categories)).cat.codes if not pd.api.types.is_numeric_dtype(live[name]) else live[name].astype(float)
        if ks_2samp(ref.to_numpy(), now.to_numpy()).pvalue < alpha:
            drifted.append(name)
    return drifted
''',
            "p_value_above_alpha": '''
def ks_drift(reference, live, alpha=0.01):
    drifted = []
    for name in reference.columns:
        column = reference[name]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            if ks_2samp(column.to_numpy(), live[name].to_numpy()).pvalue > alpha:
                drifted.append(name)
    return drifted
''',
            "statistic_compared_with_alpha": '''
def ks_drift(reference, live, alpha=0.01):
    drifted = []
    for name in reference.columns:
        column = reference[name]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            if ks_2samp(column.to_numpy(), live[name].to_numpy()).statistic > alpha:
                drifted.append(name)
    return drifted
''',
        },
    },
    "find_drift_day": {
        "tests": ["find_drift_day_test"],
        "answers": {
            "day_of_max_psi": '''
def find_drift_day(daily_psi, threshold):
    if (daily_psi > threshold).any():
        return daily_psi.idxmax()
    return None
''',
            "day_before": '''
def find_drift_day(daily_psi, threshold):
    ordered = daily_psi.sort_index()
    above = np.flatnonzero(ordered.to_numpy() > threshold)
    return ordered.index[max(above[0] - 1, 0)] if len(above) else None
''',
            "first_in_series_order": '''
def find_drift_day(daily_psi, threshold):
    above = daily_psi[daily_psi > threshold]
    return above.index[0] if len(above) else None
''',
            "hard_coded_date": '''
def find_drift_day(daily_psi, threshold):
    if (daily_psi > threshold).any():
        return pd.Timestamp("2026-03-23")
    return None
''',
        },
    },
    "mature_days": {
        "tests": ["mature_days_test"],
        "answers": {
            "every_day": '''
def mature_days(days, log_end, window):
    return pd.DatetimeIndex(days)
''',
            "window_from_day_start": '''
def mature_days(days, log_end, window):
    days = pd.DatetimeIndex(days)
    return days[days + window <= log_end]
''',
            "drop_last_day": '''
def mature_days(days, log_end, window):
    return pd.DatetimeIndex(days)[:-1]
''',
            "strict_inequality": '''
def mature_days(days, log_end, window):
    days = pd.DatetimeIndex(days)
    return days[days + pd.Timedelta(days=1) + window < log_end]
''',
        },
    },
    "daily_metrics": {
        "tests": ["daily_metrics_test"],
        "answers": {
            "entropy_of_overall_ctr": '''
def daily_metrics(scored):
    p = scored["p"].clip(1e-15, 1 - 1e-15)
    frame = scored.assign(loss=-(scored["label"] * np.log(p) + (1 - scored["label"]) * np.log(1 - p)))
    daily = frame.groupby("day").agg(impressions=("label", "size"), ctr=("label", "mean"),
                                     mean_p=("p", "mean"), log_loss=("loss", "mean")).sort_index()
    base = scored["label"].mean()
    daily["calibration"] = daily["mean_p"] / daily["ctr"]
    daily["ne"] = daily["log_loss"] / -(base * np.log(base) + (1 - base) * np.log(1 - base))
    return daily.drop(columns="log_loss")
''',
            "calibration_inverted": '''
def daily_metrics(scored):
    p = scored["p"].clip(1e-15, 1 - 1e-15)
    frame = scored.assign(loss=-(scored["label"] * np.log(p) + (1 - scored["label"]) * np.log(1 - p)))
    daily = frame.groupby("day").agg(impressions=("label", "size"), ctr=("label", "mean"),
                                     mean_p=("p", "mean"), log_loss=("loss", "mean")).sort_index()
    entropy = -(daily["ctr"] * np.log(daily["ctr"]) + (1 - daily["ctr"]) * np.log(1 - daily["ctr"]))
    daily["calibration"] = daily["ctr"] / daily["mean_p"]
    daily["ne"] = daily["log_loss"] / entropy
    return daily.drop(columns="log_loss")
''',
            "log_loss_not_normalized": '''
def daily_metrics(scored):
    p = scored["p"].clip(1e-15, 1 - 1e-15)
    frame = scored.assign(loss=-(scored["label"] * np.log(p) + (1 - scored["label"]) * np.log(1 - p)))
    daily = frame.groupby("day").agg(impressions=("label", "size"), ctr=("label", "mean"),
                                     mean_p=("p", "mean"), ne=("loss", "mean")).sort_index()
    daily["calibration"] = daily["mean_p"] / daily["ctr"]
    return daily
''',
        },
    },
    "compare_cadence": {
        "tests": ["compare_cadence_test"],
        "answers": {
            "every_day": '''
def compare_cadence(results, drift_day):
    return results.groupby("model")[["ne", "calibration"]].mean()
''',
            "drift_day_excluded": '''
def compare_cadence(results, drift_day):
    after = results[results["day"] > drift_day]
    return after.groupby("model")[["ne", "calibration"]].mean()
''',
            "days_before_the_drift": '''
def compare_cadence(results, drift_day):
    before = results[results["day"] < drift_day]
    return before.groupby("model")[["ne", "calibration"]].mean()
''',
        },
    },
}
