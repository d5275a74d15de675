"""Plausible wrong answers to the exercises of 02_framing.

Each entry: the solution cell's grade_id -> the test cells that must lose their points and
the wrong sources that replace the solution cell. Every other test cell must keep full marks.
"""

WRONG_ANSWERS = {
    "label_impressions": {
        "tests": ["label_impressions_test"],
        "answers": {
            "ever_clicked": '''
def label_impressions(impressions, clicks, window):
    labelled = impressions.copy()
    labelled["label"] = impressions["impression_id"].isin(clicks["impression_id"]).astype(int)
    return labelled
''',
            "join_on_user": '''
def label_impressions(impressions, clicks, window):
    joined = impressions.merge(clicks[["user_id", "click_ts"]], on="user_id", how="left")
    joined["label"] = ((joined["click_ts"] - joined["ts"]) <= window).astype(int)
    return joined
''',
            "join_on_user_and_ad": '''
def label_impressions(impressions, clicks, window):
    joined = impressions.merge(clicks[["user_id", "ad_id", "click_ts"]], on=["user_id", "ad_id"], how="left")
    joined["label"] = ((joined["click_ts"] - joined["ts"]) <= window).astype(int)
    joined = joined.sort_values("label", ascending=False).drop_duplicates("impression_id")
    return impressions[["impression_id"]].merge(joined[["impression_id", "label"]], on="impression_id", how="left")
''',
            "inner_join": '''
def label_impressions(impressions, clicks, window):
    joined = impressions.merge(clicks[["impression_id", "click_ts"]], on="impression_id")
    joined["label"] = ((joined["click_ts"] - joined["ts"]) <= window).astype(int)
    return joined
''',
            "window_end_excluded": '''
def label_impressions(impressions, clicks, window):
    joined = impressions.merge(clicks[["impression_id", "click_ts"]], on="impression_id", how="left")
    joined["label"] = ((joined["click_ts"] - joined["ts"]) < window).astype(int)
    return joined
''',
            "seconds_component": '''
def label_impressions(impressions, clicks, window):
    joined = impressions.merge(clicks[["impression_id", "click_ts"]], on="impression_id", how="left")
    delay = (joined["click_ts"] - joined["ts"]).dt.total_seconds()
    joined["label"] = (delay <= window.seconds).astype(int)
    return joined
''',
        },
    },
    "click_coverage": {
        "tests": ["click_coverage_test"],
        "answers": {
            "share_of_impressions": '''
def click_coverage(impressions, clicks, windows):
    joined = impressions.merge(clicks[["impression_id", "click_ts"]], on="impression_id", how="left")
    delay = joined["click_ts"] - joined["ts"]
    return pd.Series([float((delay <= w).mean()) for w in windows], index=list(windows))
''',
            "delay_from_day_start": '''
def click_coverage(impressions, clicks, windows):
    clicked = clicks.merge(impressions[["impression_id", "ts"]], on="impression_id")
    delay = clicked["click_ts"] - clicked["ts"].dt.floor("D")
    return pd.Series([float((delay <= w).mean()) for w in windows], index=list(windows))
''',
            "seconds_component": '''
def click_coverage(impressions, clicks, windows):
    clicked = clicks.merge(impressions[["impression_id", "ts"]], on="impression_id")
    seconds = (clicked["click_ts"] - clicked["ts"]).dt.seconds
    return pd.Series([float((seconds <= w.total_seconds()).mean()) for w in windows], index=list(windows))
''',
            "all_clicks_denominator": '''
def click_coverage(impressions, clicks, windows):
    clicked = clicks.merge(impressions[["impression_id", "ts"]], on="impression_id")
    delay = clicked["click_ts"] - clicked["ts"]
    return pd.Series([float((delay <= w).sum() / len(clicks)) for w in windows], index=list(windows))
''',
        },
    },
    "immature_share": {
        "tests": ["immature_share_test"],
        "answers": {
            "mature_share": '''
def immature_share(impressions, window, now):
    shown = impressions["ts"][impressions["ts"] <= now]
    return float((shown + window <= now).mean())
''',
            "future_impressions_counted": '''
def immature_share(impressions, window, now):
    ts = impressions["ts"]
    return float(((ts <= now) & (ts + window > now)).mean())
''',
            "window_end_immature": '''
def immature_share(impressions, window, now):
    shown = impressions["ts"][impressions["ts"] <= now]
    return float((now - shown <= window).mean())
''',
        },
    },
    "shortest_window": {
        "tests": ["shortest_window_test"],
        "answers": {
            "strictly_above_target": '''
def shortest_window(coverage, target):
    enough = coverage[coverage > target]
    return enough.index.min() if len(enough) else None
''',
            "nearest_to_target": '''
def shortest_window(coverage, target):
    if (coverage < target).all():
        return None
    return (coverage - target).abs().idxmin()
''',
            "first_in_given_order": '''
def shortest_window(coverage, target):
    enough = coverage[coverage >= target]
    return enough.index[0] if len(enough) else None
''',
            "sorts_its_input": '''
def shortest_window(coverage, target):
    coverage.sort_index(inplace=True)
    enough = coverage[coverage >= target]
    return enough.index[0] if len(enough) else None
''',
            "rounded_coverage": '''
def shortest_window(coverage, target):
    enough = coverage[coverage.round(2) >= target]
    return enough.index.min() if len(enough) else None
''',
            "lowest_coverage_that_reaches": '''
def shortest_window(coverage, target):
    enough = coverage[coverage >= target]
    return enough.idxmin() if len(enough) else None
''',
            "empty_series_not_none": '''
def shortest_window(coverage, target):
    if coverage.max() < target:
        return None
    return coverage[coverage >= target].index.min()
''',
        },
    },
    "rank_by_expected_value": {
        "tests": ["rank_by_expected_value_test"],
        "answers": {
            "by_p_click_alone": '''
def rank_by_expected_value(candidates):
    ranked = candidates.assign(expected_value=candidates["p_click"] * candidates["bid"])
    return ranked.sort_values(["p_click", "ad_id"], ascending=[False, True]).reset_index(drop=True)
''',
            "by_bid_alone": '''
def rank_by_expected_value(candidates):
    ranked = candidates.assign(expected_value=candidates["p_click"] * candidates["bid"])
    return ranked.sort_values(["bid", "ad_id"], ascending=[False, True]).reset_index(drop=True)
''',
            "ties_not_broken": '''
def rank_by_expected_value(candidates):
    ranked = candidates.assign(expected_value=candidates["p_click"] * candidates["bid"])
    return ranked.sort_values("expected_value", ascending=False).reset_index(drop=True)
''',
            "lowest_first": '''
def rank_by_expected_value(candidates):
    ranked = candidates.assign(expected_value=candidates["p_click"] * candidates["bid"])
    return ranked.sort_values(["expected_value", "ad_id"]).reset_index(drop=True)
''',
            "column_added_to_the_input": '''
def rank_by_expected_value(candidates):
    candidates["expected_value"] = candidates["p_click"] * candidates["bid"]
    return candidates.sort_values(["expected_value", "ad_id"], ascending=[False, True]).reset_index(drop=True)
''',
            "presorted_then_unstable_sort": '''
def rank_by_expected_value(candidates):
    ranked = candidates.assign(expected_value=candidates["p_click"] * candidates["bid"])
    return ranked.sort_values("ad_id").sort_values("expected_value", ascending=False).reset_index(drop=True)
''',
        },
    },
}
