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
    "stream_counters": {
        "tests": ["stream_counters_test"],
        "answers": {
            "counts_every_click": '''
def stream_counters(events, key, prior_ctr):
    shown, clicks, written = {}, {}, []
    late = np.zeros(len(events), bool)
    for k, at, ts, kind, too_late in zip(events[key].to_numpy(), events["at"].to_numpy(), events["ts"].to_numpy(),
                                         events["kind"].to_numpy(), late, strict=True):
        if too_late:
            continue
        if kind == "impression":
            shown[k] = shown.get(k, 0) + 1
        else:
            clicks[k] = clicks.get(k, 0) + 1
        n, c = shown.get(k, 0), clicks.get(k, 0)
        written.append((k, at, n, c, (c + PRIOR_STRENGTH * prior_ctr) / (n + PRIOR_STRENGTH)))
    return pd.DataFrame(written, columns=[key, "updated_at", "shown", "clicks", "ctr"])
''',
            "click_at_the_window_end_dropped": '''
def stream_counters(events, key, prior_ctr):
    shown, clicks, written = {}, {}, []
    late = ((events["kind"] == "click") & (events["at"] - events["ts"] >= WINDOW)).to_numpy()
    for k, at, ts, kind, too_late in zip(events[key].to_numpy(), events["at"].to_numpy(), events["ts"].to_numpy(),
                                         events["kind"].to_numpy(), late, strict=True):
        if too_late:
            continue
        if kind == "impression":
            shown[k] = shown.get(k, 0) + 1
        else:
            clicks[k] = clicks.get(k, 0) + 1
        n, c = shown.get(k, 0), clicks.get(k, 0)
        written.append((k, at, n, c, (c + PRIOR_STRENGTH * prior_ctr) / (n + PRIOR_STRENGTH)))
    return pd.DataFrame(written, columns=[key, "updated_at", "shown", "clicks", "ctr"])
''',
            "another_prior_weight": '''
def stream_counters(events, key, prior_ctr):
    shown, clicks, written = {}, {}, []
    late = ((events["kind"] == "click") & (events["at"] - events["ts"] > WINDOW)).to_numpy()
    for k, at, ts, kind, too_late in zip(events[key].to_numpy(), events["at"].to_numpy(), events["ts"].to_numpy(),
                                         events["kind"].to_numpy(), late, strict=True):
        if too_late:
            continue
        if kind == "impression":
            shown[k] = shown.get(k, 0) + 1
        else:
            clicks[k] = clicks.get(k, 0) + 1
        n, c = shown.get(k, 0), clicks.get(k, 0)
        written.append((k, at, n, c, (c + 10 * prior_ctr) / (n + 10)))
    return pd.DataFrame(written, columns=[key, "updated_at", "shown", "clicks", "ctr"])
''',
            "value_written_before_the_update": '''
def stream_counters(events, key, prior_ctr):
    shown, clicks, written = {}, {}, []
    late = ((events["kind"] == "click") & (events["at"] - events["ts"] > WINDOW)).to_numpy()
    for k, at, ts, kind, too_late in zip(events[key].to_numpy(), events["at"].to_numpy(), events["ts"].to_numpy(),
                                         events["kind"].to_numpy(), late, strict=True):
        if too_late:
            continue
        n, c = shown.get(k, 0), clicks.get(k, 0)
        written.append((k, at, n, c, (c + PRIOR_STRENGTH * prior_ctr) / (n + PRIOR_STRENGTH)))
        if kind == "impression":
            shown[k] = shown.get(k, 0) + 1
        else:
            clicks[k] = clicks.get(k, 0) + 1
    return pd.DataFrame(written, columns=[key, "updated_at", "shown", "clicks", "ctr"])
''',
            "click_written_at_its_impression_time": '''
def stream_counters(events, key, prior_ctr):
    shown, clicks, written = {}, {}, []
    late = ((events["kind"] == "click") & (events["at"] - events["ts"] > WINDOW)).to_numpy()
    for k, at, ts, kind, too_late in zip(events[key].to_numpy(), events["at"].to_numpy(), events["ts"].to_numpy(),
                                         events["kind"].to_numpy(), late, strict=True):
        if too_late:
            continue
        if kind == "impression":
            shown[k] = shown.get(k, 0) + 1
        else:
            clicks[k] = clicks.get(k, 0) + 1
        n, c = shown.get(k, 0), clicks.get(k, 0)
        written.append((k, at if kind == "impression" else ts, n, c, (c + PRIOR_STRENGTH * prior_ctr) / (n + PRIOR_STRENGTH)))
    return pd.DataFrame(written, columns=[key, "updated_at", "shown", "clicks", "ctr"])
''',
            "window_in_whole_hours": '''
def stream_counters(events, key, prior_ctr):
    shown, clicks, written = {}, {}, []
    late = ((events["kind"] == "click") & ((events["at"] - events["ts"]).dt.total_seconds() // 3600 > WINDOW.total_seconds() // 3600)).to_numpy()
    for k, at, ts, kind, too_late in zip(events[key].to_numpy(), events["at"].to_numpy(), events["ts"].to_numpy(),
                                         events["kind"].to_numpy(), late, strict=True):
        if too_late:
            continue
        if kind == "impression":
            shown[k] = shown.get(k, 0) + 1
        else:
            clicks[k] = clicks.get(k, 0) + 1
        n, c = shown.get(k, 0), clicks.get(k, 0)
        written.append((k, at, n, c, (c + PRIOR_STRENGTH * prior_ctr) / (n + PRIOR_STRENGTH)))
    return pd.DataFrame(written, columns=[key, "updated_at", "shown", "clicks", "ctr"])
''',
        },
    },
    "promote_if_better": {
        "tests": ["promote_if_better_test"],
        "answers": {
            "auc_only": '''
def promote_if_better(client, name, version, p99_budget_ms, tolerance=0.02):
    def measured(v):
        run = client.get_run(client.get_model_version(name, v).run_id)
        return run.data.metrics, run.data.tags.get("eval_rows")

    metrics, rows = measured(version)
    if metrics["p99_ms"] > p99_budget_ms:
        return False
    aliases = client.get_registered_model(name).aliases
    if "champion" in aliases:
        current, current_rows = measured(aliases["champion"])
        if rows != current_rows:
            raise ValueError("measured on different rows")
        lower_ne = metrics["auc"] > current["auc"]
        calibrated = abs(metrics["calibration"] - 1) <= abs(current["calibration"] - 1) + tolerance
        if not (lower_ne):
            return False
        client.set_registered_model_alias(name, "previous", aliases["champion"])
    client.set_registered_model_alias(name, "champion", version)
    return True
''',
            "ne_only": '''
def promote_if_better(client, name, version, p99_budget_ms, tolerance=0.02):
    def measured(v):
        run = client.get_run(client.get_model_version(name, v).run_id)
        return run.data.metrics, run.data.tags.get("eval_rows")

    metrics, rows = measured(version)
    if metrics["p99_ms"] > p99_budget_ms:
        return False
    aliases = client.get_registered_model(name).aliases
    if "champion" in aliases:
        current, current_rows = measured(aliases["champion"])
        if rows != current_rows:
            raise ValueError("measured on different rows")
        lower_ne = metrics["ne"] < current["ne"]
        calibrated = abs(metrics["calibration"] - 1) <= abs(current["calibration"] - 1) + tolerance
        if not (lower_ne):
            return False
        client.set_registered_model_alias(name, "previous", aliases["champion"])
    client.set_registered_model_alias(name, "champion", version)
    return True
''',
            "calibration_not_centred_on_one": '''
def promote_if_better(client, name, version, p99_budget_ms, tolerance=0.02):
    def measured(v):
        run = client.get_run(client.get_model_version(name, v).run_id)
        return run.data.metrics, run.data.tags.get("eval_rows")

    metrics, rows = measured(version)
    if metrics["p99_ms"] > p99_budget_ms:
        return False
    aliases = client.get_registered_model(name).aliases
    if "champion" in aliases:
        current, current_rows = measured(aliases["champion"])
        if rows != current_rows:
            raise ValueError("measured on different rows")
        lower_ne = metrics["ne"] < current["ne"]
        calibrated = metrics["calibration"] <= current["calibration"] + tolerance
        if not (lower_ne and calibrated):
            return False
        client.set_registered_model_alias(name, "previous", aliases["champion"])
    client.set_registered_model_alias(name, "champion", version)
    return True
''',
            "calibration_strictly_within_tolerance": '''
def promote_if_better(client, name, version, p99_budget_ms, tolerance=0.02):
    def measured(v):
        run = client.get_run(client.get_model_version(name, v).run_id)
        return run.data.metrics, run.data.tags.get("eval_rows")

    metrics, rows = measured(version)
    if metrics["p99_ms"] > p99_budget_ms:
        return False
    aliases = client.get_registered_model(name).aliases
    if "champion" in aliases:
        current, current_rows = measured(aliases["champion"])
        if rows != current_rows:
            raise ValueError("measured on different rows")
        lower_ne = metrics["ne"] < current["ne"]
        calibrated = abs(metrics["calibration"] - 1) < abs(current["calibration"] - 1) + tolerance
        if not (lower_ne and calibrated):
            return False
        client.set_registered_model_alias(name, "previous", aliases["champion"])
    client.set_registered_model_alias(name, "champion", version)
    return True
''',
            "ne_ties_promoted": '''
def promote_if_better(client, name, version, p99_budget_ms, tolerance=0.02):
    def measured(v):
        run = client.get_run(client.get_model_version(name, v).run_id)
        return run.data.metrics, run.data.tags.get("eval_rows")

    metrics, rows = measured(version)
    if metrics["p99_ms"] > p99_budget_ms:
        return False
    aliases = client.get_registered_model(name).aliases
    if "champion" in aliases:
        current, current_rows = measured(aliases["champion"])
        if rows != current_rows:
            raise ValueError("measured on different rows")
        lower_ne = metrics["ne"] <= current["ne"]
        calibrated = abs(metrics["calibration"] - 1) <= abs(current["calibration"] - 1) + tolerance
        if not (lower_ne and calibrated):
            return False
        client.set_registered_model_alias(name, "previous", aliases["champion"])
    client.set_registered_model_alias(name, "champion", version)
    return True
''',
            "no_latency_budget": '''
def promote_if_better(client, name, version, p99_budget_ms, tolerance=0.02):
    def measured(v):
        run = client.get_run(client.get_model_version(name, v).run_id)
        return run.data.metrics, run.data.tags.get("eval_rows")

    metrics, rows = measured(version)
    aliases = client.get_registered_model(name).aliases
    if "champion" in aliases:
        current, current_rows = measured(aliases["champion"])
        if rows != current_rows:
            raise ValueError("measured on different rows")
        lower_ne = metrics["ne"] < current["ne"]
        calibrated = abs(metrics["calibration"] - 1) <= abs(current["calibration"] - 1) + tolerance
        if not (lower_ne and calibrated):
            return False
        client.set_registered_model_alias(name, "previous", aliases["champion"])
    client.set_registered_model_alias(name, "champion", version)
    return True
''',
            "budget_only_for_challengers": '''
def promote_if_better(client, name, version, p99_budget_ms, tolerance=0.02):
    def measured(v):
        run = client.get_run(client.get_model_version(name, v).run_id)
        return run.data.metrics, run.data.tags.get("eval_rows")

    metrics, rows = measured(version)
    aliases = client.get_registered_model(name).aliases
    if "champion" in aliases:
        current, current_rows = measured(aliases["champion"])
        if metrics["p99_ms"] > p99_budget_ms:
            return False
        if rows != current_rows:
            raise ValueError("measured on different rows")
        lower_ne = metrics["ne"] < current["ne"]
        calibrated = abs(metrics["calibration"] - 1) <= abs(current["calibration"] - 1) + tolerance
        if not (lower_ne and calibrated):
            return False
        client.set_registered_model_alias(name, "previous", aliases["champion"])
    client.set_registered_model_alias(name, "champion", version)
    return True
''',
            "budget_strictly_below": '''
def promote_if_better(client, name, version, p99_budget_ms, tolerance=0.02):
    def measured(v):
        run = client.get_run(client.get_model_version(name, v).run_id)
        return run.data.metrics, run.data.tags.get("eval_rows")

    metrics, rows = measured(version)
    if metrics["p99_ms"] >= p99_budget_ms:
        return False
    aliases = client.get_registered_model(name).aliases
    if "champion" in aliases:
        current, current_rows = measured(aliases["champion"])
        if rows != current_rows:
            raise ValueError("measured on different rows")
        lower_ne = metrics["ne"] < current["ne"]
        calibrated = abs(metrics["calibration"] - 1) <= abs(current["calibration"] - 1) + tolerance
        if not (lower_ne and calibrated):
            return False
        client.set_registered_model_alias(name, "previous", aliases["champion"])
    client.set_registered_model_alias(name, "champion", version)
    return True
''',
            "rows_not_compared": '''
def promote_if_better(client, name, version, p99_budget_ms, tolerance=0.02):
    def measured(v):
        run = client.get_run(client.get_model_version(name, v).run_id)
        return run.data.metrics, run.data.tags.get("eval_rows")

    metrics, rows = measured(version)
    if metrics["p99_ms"] > p99_budget_ms:
        return False
    aliases = client.get_registered_model(name).aliases
    if "champion" in aliases:
        current, current_rows = measured(aliases["champion"])
        lower_ne = metrics["ne"] < current["ne"]
        calibrated = abs(metrics["calibration"] - 1) <= abs(current["calibration"] - 1) + tolerance
        if not (lower_ne and calibrated):
            return False
        client.set_registered_model_alias(name, "previous", aliases["champion"])
    client.set_registered_model_alias(name, "champion", version)
    return True
''',
            "other_rows_rejected_quietly": '''
def promote_if_better(client, name, version, p99_budget_ms, tolerance=0.02):
    def measured(v):
        run = client.get_run(client.get_model_version(name, v).run_id)
        return run.data.metrics, run.data.tags.get("eval_rows")

    metrics, rows = measured(version)
    if metrics["p99_ms"] > p99_budget_ms:
        return False
    aliases = client.get_registered_model(name).aliases
    if "champion" in aliases:
        current, current_rows = measured(aliases["champion"])
        if rows != current_rows:
            return False
        lower_ne = metrics["ne"] < current["ne"]
        calibrated = abs(metrics["calibration"] - 1) <= abs(current["calibration"] - 1) + tolerance
        if not (lower_ne and calibrated):
            return False
        client.set_registered_model_alias(name, "previous", aliases["champion"])
    client.set_registered_model_alias(name, "champion", version)
    return True
''',
            "previous_not_set": '''
def promote_if_better(client, name, version, p99_budget_ms, tolerance=0.02):
    def measured(v):
        run = client.get_run(client.get_model_version(name, v).run_id)
        return run.data.metrics, run.data.tags.get("eval_rows")

    metrics, rows = measured(version)
    if metrics["p99_ms"] > p99_budget_ms:
        return False
    aliases = client.get_registered_model(name).aliases
    if "champion" in aliases:
        current, current_rows = measured(aliases["champion"])
        if rows != current_rows:
            raise ValueError("measured on different rows")
        lower_ne = metrics["ne"] < current["ne"]
        calibrated = abs(metrics["calibration"] - 1) <= abs(current["calibration"] - 1) + tolerance
        if not (lower_ne and calibrated):
            return False
    client.set_registered_model_alias(name, "champion", version)
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
    "top_k": {
        "tests": ["top_k_test"],
        "answers": {
            "smallest_first": '''
def top_k(user_vectors, ad_vectors, k):
    scores = np.asarray(user_vectors) @ np.asarray(ad_vectors).T
    return np.argsort(scores, axis=1, kind="stable")[:, :min(k, scores.shape[1])]
''',
            "ties_by_larger_ad_id": '''
def top_k(user_vectors, ad_vectors, k):
    scores = np.asarray(user_vectors) @ np.asarray(ad_vectors).T
    return np.argsort(scores, axis=1, kind="stable")[:, ::-1][:, :min(k, scores.shape[1])]
''',
            "cosine_similarity": '''
def top_k(user_vectors, ad_vectors, k):
    u = np.asarray(user_vectors) / np.linalg.norm(user_vectors, axis=1, keepdims=True)
    a = np.asarray(ad_vectors) / np.linalg.norm(ad_vectors, axis=1, keepdims=True)
    return np.argsort(-(u @ a.T), axis=1, kind="stable")[:, :k]
''',
            "nearest_by_distance": '''
def top_k(user_vectors, ad_vectors, k):
    u, a = np.asarray(user_vectors), np.asarray(ad_vectors)
    distance = ((u[:, None, :] - a[None, :, :]) ** 2).sum(axis=2)
    return np.argsort(distance, axis=1, kind="stable")[:, :k]
''',
            "argpartition_unordered": '''
def top_k(user_vectors, ad_vectors, k):
    scores = np.asarray(user_vectors) @ np.asarray(ad_vectors).T
    k = min(k, scores.shape[1])
    if k == scores.shape[1]:
        return np.tile(np.arange(k), (len(scores), 1))
    return np.argpartition(-scores, k - 1, axis=1)[:, :k]
''',
            "scores_not_ad_ids": '''
def top_k(user_vectors, ad_vectors, k):
    scores = np.asarray(user_vectors) @ np.asarray(ad_vectors).T
    return -np.sort(-scores, axis=1)[:, :k]
''',
            "one_ad_too_many": '''
def top_k(user_vectors, ad_vectors, k):
    scores = np.asarray(user_vectors) @ np.asarray(ad_vectors).T
    return np.argsort(-scores, axis=1, kind="stable")[:, :k + 1]
''',
        },
    },
    "recall_at_k": {
        "tests": ["recall_at_k_test"],
        "answers": {
            "precision_divides_by_k": '''
def recall_at_k(retrieved, true_p, n_best):
    best = np.argsort(-np.asarray(true_p), axis=1)[:, :n_best]
    found = (best[:, :, None] == np.asarray(retrieved)[:, None, :]).any(axis=2)
    return float(found.sum(axis=1).mean() / np.asarray(retrieved).shape[1])
''',
            "hit_rate_any_found": '''
def recall_at_k(retrieved, true_p, n_best):
    best = np.argsort(-np.asarray(true_p), axis=1)[:, :n_best]
    found = (best[:, :, None] == np.asarray(retrieved)[:, None, :]).any(axis=2)
    return float(found.any(axis=1).mean())
''',
            "best_are_the_least_probable": '''
def recall_at_k(retrieved, true_p, n_best):
    best = np.argsort(np.asarray(true_p), axis=1)[:, :n_best]
    found = (best[:, :, None] == np.asarray(retrieved)[:, None, :]).any(axis=2)
    return float(found.sum(axis=1).mean() / n_best)
''',
            "only_the_first_n_best_retrieved": '''
def recall_at_k(retrieved, true_p, n_best):
    best = np.argsort(-np.asarray(true_p), axis=1)[:, :n_best]
    top = np.asarray(retrieved)[:, :n_best]
    found = (best[:, :, None] == top[:, None, :]).any(axis=2)
    return float(found.sum(axis=1).mean() / n_best)
''',
            "probability_captured": '''
def recall_at_k(retrieved, true_p, n_best):
    p = np.asarray(true_p)
    best = -np.sort(-p, axis=1)[:, :n_best]
    got = np.take_along_axis(p, np.asarray(retrieved), axis=1)
    return float(np.minimum(got.sum(axis=1) / best.sum(axis=1), 1.0).mean())
''',
            "best_over_all_users": '''
def recall_at_k(retrieved, true_p, n_best):
    overall = np.argsort(-np.asarray(true_p).mean(axis=0))[:n_best]
    found = [np.isin(overall, r).sum() for r in np.asarray(retrieved)]
    return float(np.mean(found) / n_best)
''',
        },
    },
    "affordable": {
        "tests": ["affordable_test"],
        "answers": {
            "largest_size_measured_within_budget": '''
def affordable(sizes, p99_ms, budget_ms):
    within = [s for s, p in zip(sizes, p99_ms) if p <= budget_ms]
    return int(max(within)) if within else 0
''',
            "rounded_to_nearest": '''
def affordable(sizes, p99_ms, budget_ms):
    per_item, fixed = np.polyfit(np.asarray(sizes, float), np.asarray(p99_ms, float), 1)
    return 0 if fixed > budget_ms else int(round((budget_ms - fixed) / per_item))
''',
            "rounded_up": '''
def affordable(sizes, p99_ms, budget_ms):
    per_item, fixed = np.polyfit(np.asarray(sizes, float), np.asarray(p99_ms, float), 1)
    return 0 if fixed > budget_ms else int(math.ceil((budget_ms - fixed) / per_item))
''',
            "line_through_the_origin": '''
def affordable(sizes, p99_ms, budget_ms):
    x, y = np.asarray(sizes, float), np.asarray(p99_ms, float)
    per_item = (x * y).sum() / (x * x).sum()
    return int(math.floor(budget_ms / per_item))
''',
            "proportional_to_the_largest_measurement": '''
def affordable(sizes, p99_ms, budget_ms):
    i = int(np.argmax(sizes))
    return int(math.floor(budget_ms / p99_ms[i] * sizes[i]))
''',
            "line_through_first_and_last": '''
def affordable(sizes, p99_ms, budget_ms):
    x, y = np.asarray(sizes, float), np.asarray(p99_ms, float)
    order = np.argsort(x)
    x, y = x[order], y[order]
    per_item = (y[-1] - y[0]) / (x[-1] - x[0])
    fixed = y[0] - per_item * x[0]
    return 0 if fixed > budget_ms else int(math.floor((budget_ms - fixed) / per_item))
''',
            "power_law_on_log_axes": '''
def affordable(sizes, p99_ms, budget_ms):
    b, a = np.polyfit(np.log(np.asarray(sizes, float)), np.log(np.asarray(p99_ms, float)), 1)
    return int(math.floor(math.exp((math.log(budget_ms) - a) / b)))
''',
            "negative_when_over_budget": '''
def affordable(sizes, p99_ms, budget_ms):
    per_item, fixed = np.polyfit(np.asarray(sizes, float), np.asarray(p99_ms, float), 1)
    return int(math.floor((budget_ms - fixed) / per_item))
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
