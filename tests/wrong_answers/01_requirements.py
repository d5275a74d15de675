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
