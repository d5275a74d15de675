"""Plausible wrong answers to the exercises of 06_serving.

Each entry: the solution cell's grade_id -> the test cells that must lose their points and
the wrong sources that replace the solution cell. Every other test cell must keep full marks.
"""

WRONG_ANSWERS = {
    "lookup": {
        "tests": ["lookup_test"],
        "answers": {
            "latest_value_overall": '''
def lookup(store, key, at):
    values = store.get(key)
    if values is None:
        return float("nan")
    return float(values.iloc[-1])
''',
            "at_or_before": '''
def lookup(store, key, at):
    values = store.get(key)
    if values is None:
        return float("nan")
    return float(values.asof(at))
''',
            "searchsorted_right_side": '''
def lookup(store, key, at):
    values = store.get(key)
    if values is None:
        return float("nan")
    written = values.index.searchsorted(at, side="right")
    return float(values.iloc[written - 1]) if written else float("nan")
''',
            "caches_into_the_store": '''
def lookup(store, key, at):
    values = store.get(key)
    if values is None:
        return float("nan")
    earlier = values[values.index < at]
    store[key] = earlier if len(earlier) else values
    return float(earlier.iloc[-1]) if len(earlier) else float("nan")
''',
            "oldest_visible_value": '''
def lookup(store, key, at):
    values = store.get(key)
    if values is None:
        return float("nan")
    visible = values[values.index < at]
    return float(visible.iloc[0]) if len(visible) else float("nan")
''',
        },
    },
    "promote_if_better": {
        "tests": ["promote_if_better_test"],
        "answers": {
            "auc_only": '''
def promote_if_better(registry, challenger, tolerance=0.02):
    aliases = registry["aliases"]
    candidate = registry["versions"][challenger]
    if "production" in aliases:
        current = registry["versions"][aliases["production"]]
        if not candidate["auc"] > current["auc"]:
            return False
        aliases["previous"] = aliases["production"]
    aliases["production"] = challenger
    return True
''',
            "ne_only": '''
def promote_if_better(registry, challenger, tolerance=0.02):
    aliases = registry["aliases"]
    candidate = registry["versions"][challenger]
    if "production" in aliases:
        current = registry["versions"][aliases["production"]]
        if not candidate["ne"] < current["ne"]:
            return False
        aliases["previous"] = aliases["production"]
    aliases["production"] = challenger
    return True
''',
            "calibration_not_centred_on_one": '''
def promote_if_better(registry, challenger, tolerance=0.02):
    aliases = registry["aliases"]
    candidate = registry["versions"][challenger]
    if "production" in aliases:
        current = registry["versions"][aliases["production"]]
        lower_ne = candidate["ne"] < current["ne"]
        calibrated = candidate["calibration"] <= current["calibration"] + tolerance
        if not (lower_ne and calibrated):
            return False
        aliases["previous"] = aliases["production"]
    aliases["production"] = challenger
    return True
''',
            "calibration_strictly_within_tolerance": '''
def promote_if_better(registry, challenger, tolerance=0.02):
    aliases = registry["aliases"]
    candidate = registry["versions"][challenger]
    if "production" in aliases:
        current = registry["versions"][aliases["production"]]
        lower_ne = candidate["ne"] < current["ne"]
        calibrated = abs(candidate["calibration"] - 1) < abs(current["calibration"] - 1) + tolerance
        if not (lower_ne and calibrated):
            return False
        aliases["previous"] = aliases["production"]
    aliases["production"] = challenger
    return True
''',
            "stage_written_into_the_versions": '''
def promote_if_better(registry, challenger, tolerance=0.02):
    aliases = registry["aliases"]
    candidate = registry["versions"][challenger]
    if "production" in aliases:
        current = registry["versions"][aliases["production"]]
        lower_ne = candidate["ne"] < current["ne"]
        calibrated = abs(candidate["calibration"] - 1) <= abs(current["calibration"] - 1) + tolerance
        if not (lower_ne and calibrated):
            candidate["stage"] = "rejected"
            return False
        current["stage"] = "archived"
        aliases["previous"] = aliases["production"]
    candidate["stage"] = "production"
    aliases["production"] = challenger
    return True
''',
            "previous_set_on_the_first_promotion": '''
def promote_if_better(registry, challenger, tolerance=0.02):
    aliases = registry["aliases"]
    candidate = registry["versions"][challenger]
    current = registry["versions"].get(aliases.get("production"))
    if current is not None:
        lower_ne = candidate["ne"] < current["ne"]
        calibrated = abs(candidate["calibration"] - 1) <= abs(current["calibration"] - 1) + tolerance
        if not (lower_ne and calibrated):
            return False
    aliases["previous"] = aliases.get("production")
    aliases["production"] = challenger
    return True
''',
            "challenger_alias_removed": '''
def promote_if_better(registry, challenger, tolerance=0.02):
    aliases = registry["aliases"]
    candidate = registry["versions"][challenger]
    aliases.pop("challenger", None)
    if "production" in aliases:
        current = registry["versions"][aliases["production"]]
        lower_ne = candidate["ne"] < current["ne"]
        calibrated = abs(candidate["calibration"] - 1) <= abs(current["calibration"] - 1) + tolerance
        if not (lower_ne and calibrated):
            return False
        aliases["previous"] = aliases["production"]
    aliases["production"] = challenger
    return True
''',
        },
    },
    "serve": {
        "tests": ["serve_test"],
        "answers": {
            "ties_in_arrival_order": '''
def serve(user, ads, scores, k):
    country = ads["target_country"].astype(str).isin([str(user["country"]), "ALL"]).to_numpy()
    age = ((ads["target_min_age"] <= user["age"]) & (user["age"] <= ads["target_max_age"])).to_numpy()
    eligible = country & age
    ranked = ads[eligible].assign(expected_value=np.asarray(scores)[eligible] * ads["bid"].to_numpy()[eligible])
    ranked = ranked.sort_values("expected_value", ascending=False, kind="stable")
    ranked = ranked.drop_duplicates("advertiser_id", keep="first")
    return [int(a) for a in ranked["ad_id"].head(k)]
''',
            "scores_written_into_the_candidates": '''
def serve(user, ads, scores, k):
    ads["expected_value"] = np.asarray(scores) * ads["bid"].to_numpy()
    ok = (ads["target_country"].astype(str).isin([str(user["country"]), "ALL"])
          & (ads["target_min_age"] <= user["age"]) & (user["age"] <= ads["target_max_age"]))
    ranked = ads[ok].sort_values(["expected_value", "ad_id"], ascending=[False, True])
    return [int(a) for a in ranked.drop_duplicates("advertiser_id")["ad_id"].head(k)]
''',
            "ignores_targeting": '''
def serve(user, ads, scores, k):
    ranked = ads.assign(expected_value=np.asarray(scores) * ads["bid"].to_numpy())
    ranked = ranked.sort_values("expected_value", ascending=False, kind="stable")
    ranked = ranked.drop_duplicates("advertiser_id", keep="first")
    return [int(a) for a in ranked["ad_id"].head(k)]
''',
            "two_ads_per_advertiser": '''
def serve(user, ads, scores, k):
    country = ads["target_country"].astype(str).isin([str(user["country"]), "ALL"]).to_numpy()
    age = ((ads["target_min_age"] <= user["age"]) & (user["age"] <= ads["target_max_age"])).to_numpy()
    eligible = country & age
    ranked = ads[eligible].assign(expected_value=np.asarray(scores)[eligible] * ads["bid"].to_numpy()[eligible])
    ranked = ranked.sort_values("expected_value", ascending=False, kind="stable")
    return [int(a) for a in ranked["ad_id"].head(k)]
''',
            "sorted_by_p_alone": '''
def serve(user, ads, scores, k):
    country = ads["target_country"].astype(str).isin([str(user["country"]), "ALL"]).to_numpy()
    age = ((ads["target_min_age"] <= user["age"]) & (user["age"] <= ads["target_max_age"])).to_numpy()
    eligible = country & age
    ranked = ads[eligible].assign(p=np.asarray(scores)[eligible])
    ranked = ranked.sort_values("p", ascending=False, kind="stable")
    ranked = ranked.drop_duplicates("advertiser_id", keep="first")
    return [int(a) for a in ranked["ad_id"].head(k)]
''',
            "one_per_advertiser_before_targeting": '''
def serve(user, ads, scores, k):
    ranked = ads.assign(expected_value=np.asarray(scores) * ads["bid"].to_numpy())
    ranked = ranked.sort_values("expected_value", ascending=False, kind="stable")
    ranked = ranked.drop_duplicates("advertiser_id", keep="first")
    country = ranked["target_country"].astype(str).isin([str(user["country"]), "ALL"])
    age = (ranked["target_min_age"] <= user["age"]) & (user["age"] <= ranked["target_max_age"])
    return [int(a) for a in ranked[country & age]["ad_id"].head(k)]
''',
            "age_limits_excluded": '''
def serve(user, ads, scores, k):
    country = ads["target_country"].astype(str).isin([str(user["country"]), "ALL"]).to_numpy()
    age = ((ads["target_min_age"] < user["age"]) & (user["age"] < ads["target_max_age"])).to_numpy()
    eligible = country & age
    ranked = ads[eligible].assign(expected_value=np.asarray(scores)[eligible] * ads["bid"].to_numpy()[eligible])
    ranked = ranked.sort_values("expected_value", ascending=False, kind="stable")
    ranked = ranked.drop_duplicates("advertiser_id", keep="first")
    return [int(a) for a in ranked["ad_id"].head(k)]
''',
        },
    },
    "replicas_needed": {
        "tests": ["replicas_needed_test"],
        "answers": {
            "milliseconds_as_seconds": '''
def replicas_needed(qps, latency_ms, concurrency_per_replica, target_utilisation):
    return int(math.ceil(qps * latency_ms / concurrency_per_replica / target_utilisation))
''',
            "rounded_down": '''
def replicas_needed(qps, latency_ms, concurrency_per_replica, target_utilisation):
    return int(qps * latency_ms / 1000 / concurrency_per_replica / target_utilisation)
''',
            "no_headroom": '''
def replicas_needed(qps, latency_ms, concurrency_per_replica, target_utilisation):
    return int(math.ceil(qps * latency_ms / 1000 / concurrency_per_replica))
''',
            "utilisation_multiplied": '''
def replicas_needed(qps, latency_ms, concurrency_per_replica, target_utilisation):
    return int(math.ceil(qps * latency_ms / 1000 / concurrency_per_replica * target_utilisation))
''',
            "one_more_than_truncated": '''
def replicas_needed(qps, latency_ms, concurrency_per_replica, target_utilisation):
    return int(qps * latency_ms / 1000 / concurrency_per_replica / target_utilisation) + 1
''',
            "rounded_up_by_adding_half": '''
def replicas_needed(qps, latency_ms, concurrency_per_replica, target_utilisation):
    return int(round(qps * latency_ms / 1000 / concurrency_per_replica / target_utilisation + 0.5))
''',
        },
    },
}
