"""Plausible wrong answers to the exercises of 08_interview.

Each entry: the solution cell's grade_id -> the test cells that must lose their points and
the wrong sources that replace the solution cell. Every other test cell must keep full marks.
"""

# A consistent design of the home feed; each wrong design below changes one decision of it.
_FEED = '''
def feed_design():
    requirements = {key: FEED[key] for key in ("dau", "requests_per_user_per_day", "peak_factor",
                                               "p99_ms")}
    peak = FEED["dau"] * FEED["requests_per_user_per_day"] / 86_400 * FEED["peak_factor"]
    funnel = [
        ("retrieval", FEED["eligible_posts"], 1_000, 45, 15, 8),
        ("feature fetch", 1_000, 1_000, 35, 10, 32),
        ("ranking", 1_000, 100, 90, 30, 8),
        ("re-ranking", 100, FEED["page_size"], 10, 3, 8),
    ]
    stages = [
        {"name": name, "candidates_in": n_in, "candidates_out": n_out, "p99_ms": p99,
         "mean_ms": mean, "concurrency_per_replica": concurrency, "utilisation": 0.7,
         "replicas": int(np.ceil(peak * mean / 1000 / (concurrency * 0.7)))}
        for name, n_in, n_out, p99, mean, concurrency in funnel
    ]
    return {
        "requirements": requirements,
        "label": {"event": "like or comment", "window_hours": 2},
        "features": [
            {"name": "user_embedding", "source": "batch", "freshness_hours": 24},
            {"name": "post_likes_last_10_min", "source": "streaming", "freshness_hours": 0.2},
        ],
        "model": {"name": "multi-task MLP", "predicts": ["like", "comment"],
                  "ranks_by": "expected_value"},
        "split": {"by": "time", "train_days": 7, "validation_days": 1, "gap_hours": 2},
        "metrics": {"offline": ["log_loss", "auc"], "online": ["time spent per user"],
                    "guardrails": ["hide rate"]},
        "stages": stages,
        "monitoring": {"drift_metric": "psi", "drift_threshold": 0.2, "retrain_every_hours": 24},
    }
'''


def _feed(old: str, new: str) -> str:
    assert old in _FEED, old
    return _FEED.replace(old, new)


WRONG_ANSWERS = {
    "request_p99": {
        "tests": ["request_p99_test"],
        "answers": {
            "sum_of_stage_p99s": '''
def request_p99(stage_ms):
    return float(stage_ms.quantile(0.99).sum())
''',
            "p99_of_the_slowest_stage": '''
def request_p99(stage_ms):
    return float(np.percentile(stage_ms.max(axis=1), 99))
''',
            "every_value_pooled": '''
def request_p99(stage_ms):
    return float(np.percentile(stage_ms.to_numpy(), 99) * stage_ms.shape[1])
''',
            "adds_the_stages_in_place": '''
def request_p99(stage_ms):
    stage_ms["total"] = stage_ms.sum(axis=1)
    return float(np.percentile(stage_ms["total"], 99))
''',
        },
    },
    "over_budget_share": {
        "tests": ["over_budget_share_test"],
        "answers": {
            "mean_of_the_stages_shares": '''
def over_budget_share(stage_ms, budgets_ms):
    return float(np.mean([(stage_ms[name] > budget).mean() for name, budget in budgets_ms.items()]))
''',
            "sum_of_the_stages_shares_capped": '''
def over_budget_share(stage_ms, budgets_ms):
    return float(min(1.0, sum((stage_ms[name] > budget).mean() for name, budget in budgets_ms.items())))
''',
            "budgets_by_position": '''
def over_budget_share(stage_ms, budgets_ms):
    over = stage_ms.to_numpy() > np.array(list(budgets_ms.values()))
    return float(over.any(axis=1).mean())
''',
            "at_the_budget_counts_as_over": '''
def over_budget_share(stage_ms, budgets_ms):
    return float(stage_ms.ge(pd.Series(budgets_ms), axis=1).any(axis=1).mean())
''',
        },
    },
    "design_problems": {
        "tests": ["design_problems_test"],
        "answers": {
            "littles_law_with_the_p99": '''
def design_problems(design):
    req, problems = design["requirements"], []
    if sum(s["p99_ms"] for s in design["stages"]) > req["p99_ms"]:
        problems.append("stages: over the latency target")
    peak = req["dau"] * req["requests_per_user_per_day"] / 86_400 * req["peak_factor"]
    for i, s in enumerate(design["stages"]):
        if s["mean_ms"] > s["p99_ms"]:
            problems.append("stages: mean above p99")
        if s["candidates_out"] > s["candidates_in"]:
            problems.append("stages: grows")
        if i and s["candidates_in"] != design["stages"][i - 1]["candidates_out"]:
            problems.append("stages: not chained")
        if not 0 < s["utilisation"] <= 1:
            problems.append("stages: utilisation")
        elif s["replicas"] * s["concurrency_per_replica"] * s["utilisation"] < peak * s["p99_ms"] / 1000:
            problems.append("stages: too few replicas")
    if design["split"]["by"] != "time" or design["split"]["gap_hours"] < design["label"]["window_hours"]:
        problems.append("split: not by time or gap too short")
    m = design["metrics"]
    if not m["online"] or not m["guardrails"] or set(m["online"]) & set(m["guardrails"]):
        problems.append("metrics: online metric or guardrail")
    if design["model"]["ranks_by"] == "expected_value" and not set(m["offline"]) & set(CALIBRATED_METRICS):
        problems.append("metrics: not calibrated")
    if not 0 < design["label"]["window_hours"] < design["monitoring"]["retrain_every_hours"]:
        problems.append("label: window")
    return problems
''',
            "average_qps_and_no_chain": '''
def design_problems(design):
    req, problems = design["requirements"], []
    if sum(s["p99_ms"] for s in design["stages"]) > req["p99_ms"]:
        problems.append("stages: over the latency target")
    qps = req["dau"] * req["requests_per_user_per_day"] / 86_400
    for s in design["stages"]:
        if s["mean_ms"] > s["p99_ms"]:
            problems.append("stages: mean above p99")
        if s["candidates_out"] > s["candidates_in"]:
            problems.append("stages: grows")
        if not 0 < s["utilisation"] <= 1:
            problems.append("stages: utilisation")
        elif s["replicas"] * s["concurrency_per_replica"] * s["utilisation"] < qps * s["mean_ms"] / 1000:
            problems.append("stages: too few replicas")
    if design["split"]["by"] != "time" or design["split"]["gap_hours"] < design["label"]["window_hours"]:
        problems.append("split: not by time or gap too short")
    m = design["metrics"]
    if not m["online"] or not m["guardrails"] or set(m["online"]) & set(m["guardrails"]):
        problems.append("metrics: online metric or guardrail")
    if design["model"]["ranks_by"] == "expected_value" and not set(m["offline"]) & set(CALIBRATED_METRICS):
        problems.append("metrics: not calibrated")
    if not 0 < design["label"]["window_hours"] < design["monitoring"]["retrain_every_hours"]:
        problems.append("label: window")
    return problems
''',
            "stops_at_the_first_problem": '''
def design_problems(design):
    req = design["requirements"]
    if sum(s["p99_ms"] for s in design["stages"]) > req["p99_ms"]:
        return ["stages: over the latency target"]
    peak = req["dau"] * req["requests_per_user_per_day"] / 86_400 * req["peak_factor"]
    for i, s in enumerate(design["stages"]):
        if s["mean_ms"] > s["p99_ms"] or s["candidates_out"] > s["candidates_in"]:
            return ["stages: mean above p99 or growing"]
        if i and s["candidates_in"] != design["stages"][i - 1]["candidates_out"]:
            return ["stages: not chained"]
        if not 0 < s["utilisation"] <= 1:
            return ["stages: utilisation"]
        if s["replicas"] * s["concurrency_per_replica"] * s["utilisation"] < peak * s["mean_ms"] / 1000:
            return ["stages: too few replicas"]
    if design["split"]["by"] != "time" or design["split"]["gap_hours"] < design["label"]["window_hours"]:
        return ["split: not by time or gap too short"]
    m = design["metrics"]
    if not m["online"] or not m["guardrails"] or set(m["online"]) & set(m["guardrails"]):
        return ["metrics: online metric or guardrail"]
    if design["model"]["ranks_by"] == "expected_value" and not set(m["offline"]) & set(CALIBRATED_METRICS):
        return ["metrics: not calibrated"]
    if not 0 < design["label"]["window_hours"] < design["monitoring"]["retrain_every_hours"]:
        return ["label: window"]
    return []
''',
            "strict_at_the_edges": '''
def design_problems(design):
    req, problems = design["requirements"], []
    if sum(s["p99_ms"] for s in design["stages"]) >= req["p99_ms"]:
        problems.append("stages: over the latency target")
    peak = req["dau"] * req["requests_per_user_per_day"] / 86_400 * req["peak_factor"]
    for i, s in enumerate(design["stages"]):
        if s["mean_ms"] > s["p99_ms"]:
            problems.append("stages: mean above p99")
        if s["candidates_out"] > s["candidates_in"]:
            problems.append("stages: grows")
        if i and s["candidates_in"] != design["stages"][i - 1]["candidates_out"]:
            problems.append("stages: not chained")
        if not 0 < s["utilisation"] <= 1:
            problems.append("stages: utilisation")
        elif s["replicas"] * s["concurrency_per_replica"] * s["utilisation"] <= peak * s["mean_ms"] / 1000:
            problems.append("stages: too few replicas")
    if design["split"]["by"] != "time" or design["split"]["gap_hours"] <= design["label"]["window_hours"]:
        problems.append("split: not by time or gap too short")
    m = design["metrics"]
    if not m["online"] or not m["guardrails"] or set(m["online"]) & set(m["guardrails"]):
        problems.append("metrics: online metric or guardrail")
    if design["model"]["ranks_by"] == "expected_value" and not set(m["offline"]) & set(CALIBRATED_METRICS):
        problems.append("metrics: not calibrated")
    if not 0 < design["label"]["window_hours"] < design["monitoring"]["retrain_every_hours"]:
        problems.append("label: window")
    return problems
''',
        },
    },
    "feed_design": {
        "tests": ["feed_design_test"],
        "answers": {
            "budget_over_the_target": _feed('("ranking", 1_000, 100, 90, 30, 8)',
                                            '("ranking", 1_000, 100, 170, 30, 8)'),
            "random_split": _feed('"split": {"by": "time"', '"split": {"by": "random"'),
            "replicas_for_the_average_qps": _feed(
                '* FEED["peak_factor"]\n    funnel', '\n    funnel'),
            "no_guardrail": _feed('"guardrails": ["hide rate"]', '"guardrails": []'),
            "ranked_by_expected_value_judged_by_auc": _feed('"offline": ["log_loss", "auc"]',
                                                            '"offline": ["auc", "ndcg@30"]'),
            "label_window_longer_than_the_cadence": _feed(
                '"window_hours": 2}', '"window_hours": 48}').replace('"gap_hours": 2',
                                                                   '"gap_hours": 48'),
        },
    },
}
