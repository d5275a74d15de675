"""Plausible wrong answers to the exercises of 03b_scale.

Each entry: the solution cell's grade_id -> the test cells that must lose their points and
the wrong sources that replace the solution cell. Every other test cell must keep full marks.
"""

WRONG_ANSWERS = {
    "opening_counters": {
        "tests": ["opening_counters_test"],
        "answers": {
            "the_day_itself_included": '''
def opening_counters(daily_totals):
    opening, so_far = [], pd.DataFrame({"shown": [], "clicks": []}, index=pd.Index([], name="user_id"))
    for total in daily_totals:
        so_far = so_far.add(total[["shown", "clicks"]], fill_value=0)
        opening.append(so_far)
    return opening
''',
            "users_missing_on_a_day_become_nan": '''
def opening_counters(daily_totals):
    opening, so_far = [], None
    for total in daily_totals:
        opening.append(pd.DataFrame({"shown": [], "clicks": []}) if so_far is None else so_far)
        so_far = total[["shown", "clicks"]] if so_far is None else so_far + total[["shown", "clicks"]]
    return opening
''',
            "only_the_day_before": '''
def opening_counters(daily_totals):
    empty = pd.DataFrame({"shown": [], "clicks": []}, index=pd.Index([], name="user_id"))
    return [empty] + [total[["shown", "clicks"]] for total in daily_totals[:-1]]
''',
            "adds_into_the_first_day": '''
def opening_counters(daily_totals):
    opening = [pd.DataFrame({"shown": [], "clicks": []}, index=pd.Index([], name="user_id"))]
    so_far = daily_totals[0] if daily_totals else None
    for total in daily_totals[1:]:
        opening.append(so_far.copy())
        so_far.loc[:, ["shown", "clicks"]] = so_far.add(total, fill_value=0).reindex(so_far.index)
    return opening[:len(daily_totals)]
''',
            "one_day_short": '''
def opening_counters(daily_totals):
    opening, so_far = [], pd.DataFrame({"shown": [], "clicks": []}, index=pd.Index([], name="user_id"))
    for total in daily_totals[:-1]:
        opening.append(so_far)
        so_far = so_far.add(total[["shown", "clicks"]], fill_value=0)
    return opening
''',
        },
    },
    "growth_exponent": {
        "tests": ["growth_exponent_test"],
        "answers": {
            "slope_on_linear_axes": '''
def growth_exponent(rows, cost):
    return float(np.polyfit(np.asarray(rows, float), np.asarray(cost, float), 1)[0])
''',
            "logarithm_of_the_cost_only": '''
def growth_exponent(rows, cost):
    return float(np.polyfit(np.asarray(rows, float), np.log(np.asarray(cost, float)), 1)[0])
''',
            "first_and_last_points": '''
def growth_exponent(rows, cost):
    rows, cost = np.asarray(rows, float), np.asarray(cost, float)
    order = np.argsort(rows)
    return float(np.log(cost[order][-1] / cost[order][0]) / np.log(rows[order][-1] / rows[order][0]))
''',
            "rows_fitted_on_cost": '''
def growth_exponent(rows, cost):
    slope = np.polyfit(np.log(np.asarray(cost, float)), np.log(np.asarray(rows, float)), 1)[0]
    return float(1 / slope) if slope else 0.0
''',
            "the_intercept": '''
def growth_exponent(rows, cost):
    return float(np.polyfit(np.log(np.asarray(rows, float)), np.log(np.asarray(cost, float)), 1)[1])
''',
            "mean_of_neighbouring_slopes": '''
def growth_exponent(rows, cost):
    rows, cost = np.asarray(rows, float), np.asarray(cost, float)
    order = np.argsort(rows)
    x, y = np.log(rows[order]), np.log(cost[order])
    return float(np.mean(np.diff(y) / np.diff(x)))
''',
        },
    },
    "rows_at_budget": {
        "tests": ["rows_at_budget_test"],
        "answers": {
            "straight_line_on_linear_axes": '''
def rows_at_budget(rows, cost, budget):
    slope, intercept = np.polyfit(np.asarray(rows, float), np.asarray(cost, float), 1)
    return float((budget - intercept) / slope)
''',
            "linear_from_the_largest_measurement": '''
def rows_at_budget(rows, cost, budget):
    i = int(np.argmax(rows))
    return float(rows[i] * budget / cost[i])
''',
            "the_logarithm_of_the_rows": '''
def rows_at_budget(rows, cost, budget):
    b, log_a = np.polyfit(np.log(np.asarray(rows, float)), np.log(np.asarray(cost, float)), 1)
    return float((np.log(budget) - log_a) / b)
''',
            "first_and_last_points": '''
def rows_at_budget(rows, cost, budget):
    rows, cost = np.asarray(rows, float), np.asarray(cost, float)
    order = np.argsort(rows)
    r0, r1, c0, c1 = rows[order][0], rows[order][-1], cost[order][0], cost[order][-1]
    b = np.log(c1 / c0) / np.log(r1 / r0)
    return float(r1 * (budget / c1) ** (1 / b))
''',
            "rows_fitted_on_cost": '''
def rows_at_budget(rows, cost, budget):
    slope, intercept = np.polyfit(np.log(np.asarray(cost, float)), np.log(np.asarray(rows, float)), 1)
    return float(np.exp(intercept + slope * np.log(budget)))
''',
            "base_ten_fit_natural_inverse": '''
def rows_at_budget(rows, cost, budget):
    b, log_a = np.polyfit(np.log10(np.asarray(rows, float)), np.log10(np.asarray(cost, float)), 1)
    return float(np.exp((np.log10(budget) - log_a) / b))
''',
        },
    },
}
