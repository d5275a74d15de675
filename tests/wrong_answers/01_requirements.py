"""Plausible wrong answers to the exercises of 01_requirements.

Each entry: the solution cell's grade_id -> the test cells that must lose their points and
the wrong sources that replace the solution cell. Every other test cell must keep full marks.
"""

WRONG_ANSWERS = {
    "peak_qps": {
        "tests": ["peak_qps_test"],
        "answers": {
            "seconds_per_hour": '''
def peak_qps(dau, requests_per_user_per_day, peak_factor):
    return dau * requests_per_user_per_day / 3_600 * peak_factor
''',
            "no_peak_factor": '''
def peak_qps(dau, requests_per_user_per_day, peak_factor):
    return dau * requests_per_user_per_day / 86_400
''',
            "peak_factor_added": '''
def peak_qps(dau, requests_per_user_per_day, peak_factor):
    return dau * requests_per_user_per_day / 86_400 + peak_factor
''',
        },
    },
    "peak_factor": {
        "tests": ["peak_factor_test"],
        "answers": {
            "impressions_not_requests": '''
def peak_factor(impressions):
    per_hour = impressions["ts"].dt.hour.value_counts().reindex(range(24), fill_value=0)
    return float(per_hour.max() / per_hour.mean())
''',
            "mean_over_busy_hours_only": '''
def peak_factor(impressions):
    per_hour = impressions.drop_duplicates("request_id")["ts"].dt.hour.value_counts()
    return float(per_hour.max() / per_hour.mean())
''',
            "busiest_clock_hour_of_the_log": '''
def peak_factor(impressions):
    requests = impressions.drop_duplicates("request_id")
    per_hour = requests.groupby(requests["ts"].dt.floor("h")).size()
    return float(per_hour.max() / per_hour.mean())
''',
            "peak_over_quietest_hour": '''
def peak_factor(impressions):
    per_hour = impressions.drop_duplicates("request_id")["ts"].dt.hour.value_counts()
    return float(per_hour.max() / per_hour.min())
''',
            "hour_column_added_to_the_input": '''
def peak_factor(impressions):
    impressions["hour"] = impressions["ts"].dt.hour
    per_hour = impressions.drop_duplicates("request_id")["hour"].value_counts()
    per_hour = per_hour.reindex(range(24), fill_value=0)
    return float(per_hour.max() / per_hour.mean())
''',
            "uses_the_notebooks_log": '''
def peak_factor(impressions):
    requests = log.impressions.drop_duplicates("request_id")
    per_hour = requests["ts"].dt.hour.value_counts().reindex(range(24), fill_value=0)
    return float(per_hour.max() / per_hour.mean())
''',
        },
    },
    "ranking_load": {
        "tests": ["ranking_load_test"],
        "answers": {
            "hits_reach_the_model": '''
def ranking_load(peak_qps, candidates_per_request, cache_hit_rate):
    return peak_qps * candidates_per_request * cache_hit_rate
''',
            "one_prediction_per_request": '''
def ranking_load(peak_qps, candidates_per_request, cache_hit_rate):
    return peak_qps * (1 - cache_hit_rate)
''',
            "cache_ignored": '''
def ranking_load(peak_qps, candidates_per_request, cache_hit_rate):
    return peak_qps * candidates_per_request
''',
        },
    },
    "storage_per_day": {
        "tests": ["storage_per_day_test"],
        "answers": {
            "gibibytes": '''
def storage_per_day_gb(events_per_day, bytes_per_event):
    return events_per_day * bytes_per_event / 2**30
''',
            "megabytes": '''
def storage_per_day_gb(events_per_day, bytes_per_event):
    return events_per_day * bytes_per_event / 1e6
''',
            "bits": '''
def storage_per_day_gb(events_per_day, bytes_per_event):
    return events_per_day * bytes_per_event * 8 / 1e9
''',
        },
    },
    "p99": {
        "tests": ["p99_test"],
        "answers": {
            "mean": '''
def p99(samples):
    return float(np.mean(samples))
''',
            "fraction_not_percent": '''
def p99(samples):
    return float(np.percentile(samples, 0.99))
''',
            "maximum": '''
def p99(samples):
    return float(np.max(samples))
''',
            "p95": '''
def p99(samples):
    return float(np.percentile(samples, 95))
''',
            "sorts_its_input": '''
def p99(samples):
    samples.sort()
    return float(samples[int(0.99 * (len(samples) - 1))])
''',
            "one_past_the_rank": '''
def p99(samples):
    ordered = np.sort(samples)
    return float(ordered[min(len(ordered) - 1, int(np.ceil(0.99 * len(ordered))))])
''',
        },
    },
    "fanout_p99": {
        "tests": ["fanout_p99_test"],
        "answers": {
            "one_shard_only": '''
def fanout_p99(shard_latency_ms, n_shards):
    return float(np.percentile(shard_latency_ms, 99))
''',
            "percentiles_added": '''
def fanout_p99(shard_latency_ms, n_shards):
    return float(n_shards * np.percentile(shard_latency_ms, 99))
''',
            "level_raised_to_the_power": '''
def fanout_p99(shard_latency_ms, n_shards):
    return float(np.quantile(shard_latency_ms, 0.99 ** n_shards))
''',
            "mean_of_the_shards": '''
def fanout_p99(shard_latency_ms, n_shards):
    rng = np.random.default_rng(0)
    draws = rng.choice(shard_latency_ms, size=(100_000, n_shards))
    return float(np.percentile(draws.mean(axis=1), 99))
''',
            "shards_one_after_another": '''
def fanout_p99(shard_latency_ms, n_shards):
    rng = np.random.default_rng(0)
    draws = rng.choice(shard_latency_ms, size=(100_000, n_shards))
    return float(np.percentile(draws.sum(axis=1), 99))
''',
            "sorts_its_input": '''
def fanout_p99(shard_latency_ms, n_shards):
    shard_latency_ms.sort()
    level = 0.99 ** (1 / n_shards)
    return float(shard_latency_ms[int(level * (len(shard_latency_ms) - 1))])
''',
        },
    },
    "model_budget": {
        "tests": ["model_budget_test"],
        "answers": {
            "no_headroom": '''
def model_budget_ms(total_ms, stage_p99_ms, headroom):
    return total_ms - sum(stage_p99_ms.values())
''',
            "headroom_in_ms": '''
def model_budget_ms(total_ms, stage_p99_ms, headroom):
    return total_ms - headroom - sum(stage_p99_ms.values())
''',
            "clipped_at_zero": '''
def model_budget_ms(total_ms, stage_p99_ms, headroom):
    return max(0.0, total_ms * (1 - headroom) - sum(stage_p99_ms.values()))
''',
        },
    },
    "scoring_mode": {
        "tests": ["scoring_mode_test"],
        "answers": {
            "hours_vs_seconds": '''
def scoring_mode(n_users, candidates_per_user, predictions_per_second, window_hours):
    seconds_needed = n_users * candidates_per_user / predictions_per_second
    return "batch" if seconds_needed <= window_hours else "online"
''',
            "ignores_candidates": '''
def scoring_mode(n_users, candidates_per_user, predictions_per_second, window_hours):
    seconds_needed = n_users / predictions_per_second
    return "batch" if seconds_needed <= window_hours * 3600 else "online"
''',
            "always_online": '''
def scoring_mode(n_users, candidates_per_user, predictions_per_second, window_hours):
    return "online"
''',
            "strict_inequality": '''
def scoring_mode(n_users, candidates_per_user, predictions_per_second, window_hours):
    seconds_needed = n_users * candidates_per_user / predictions_per_second
    return "batch" if seconds_needed < window_hours * 3600 else "online"
''',
        },
    },
    "log_scale": {
        "tests": ["log_scale_test"],
        "answers": {
            "dau_over_whole_log": '''
def log_scale(impressions, clicks):
    days = impressions["ts"].dt.floor("D").nunique()
    return {
        "dau": float(impressions["user_id"].nunique()),
        "impressions_per_day": len(impressions) / days,
        "base_ctr": float(impressions["impression_id"].isin(clicks["impression_id"]).mean()),
    }
''',
            "clicks_per_user": '''
def log_scale(impressions, clicks):
    day = impressions["ts"].dt.floor("D")
    return {
        "dau": float(impressions.groupby(day)["user_id"].nunique().mean()),
        "impressions_per_day": float(impressions.groupby(day).size().mean()),
        "base_ctr": len(clicks) / impressions["user_id"].nunique(),
    }
''',
            "total_impressions": '''
def log_scale(impressions, clicks):
    day = impressions["ts"].dt.floor("D")
    return {
        "dau": float(impressions.groupby(day)["user_id"].nunique().mean()),
        "impressions_per_day": float(len(impressions)),
        "base_ctr": float(impressions["impression_id"].isin(clicks["impression_id"]).mean()),
    }
''',
            "clicks_rows_over_impressions": '''
def log_scale(impressions, clicks):
    day = impressions["ts"].dt.floor("D")
    return {
        "dau": float(impressions.groupby(day)["user_id"].nunique().mean()),
        "impressions_per_day": float(impressions.groupby(day).size().mean()),
        "base_ctr": len(clicks) / len(impressions),
    }
''',
            "day_of_the_month": '''
def log_scale(impressions, clicks):
    day = impressions["ts"].dt.day
    return {
        "dau": float(impressions.groupby(day)["user_id"].nunique().mean()),
        "impressions_per_day": float(impressions.groupby(day).size().mean()),
        "base_ctr": float(impressions["impression_id"].isin(clicks["impression_id"]).mean()),
    }
''',
            "day_column_added_to_the_input": '''
def log_scale(impressions, clicks):
    impressions["day"] = impressions["ts"].dt.floor("D")
    daily = impressions.groupby("day").agg(users=("user_id", "nunique"), shown=("impression_id", "size"))
    return {
        "dau": float(daily["users"].mean()),
        "impressions_per_day": float(daily["shown"].mean()),
        "base_ctr": float(impressions["impression_id"].isin(clicks["impression_id"]).mean()),
    }
''',
            "dau_per_hour": '''
def log_scale(impressions, clicks):
    day = impressions["ts"].dt.floor("D")
    hour = impressions["ts"].dt.floor("h")
    return {
        "dau": float(impressions.groupby(hour)["user_id"].nunique().mean()),
        "impressions_per_day": float(impressions.groupby(day).size().mean()),
        "base_ctr": float(impressions["impression_id"].isin(clicks["impression_id"]).mean()),
    }
''',
        },
    },
}
