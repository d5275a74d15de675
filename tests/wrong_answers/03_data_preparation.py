"""Plausible wrong answers to the exercises of 03_data_preparation.

Each entry: the solution cell's grade_id -> the test cells that must lose their points and
the wrong sources that replace the solution cell. Every other test cell must keep full marks.
"""

WRONG_ANSWERS = {
    "time_split": {
        "tests": ["time_split_test"],
        "answers": {
            "random_split": '''
def time_split(impressions, valid_days, test_days):
    n_days = impressions["ts"].dt.floor("D").nunique()
    shuffled = impressions.sample(frac=1.0, random_state=0)
    n_test = round(len(impressions) * test_days / n_days)
    n_valid = round(len(impressions) * valid_days / n_days)
    test = shuffled.iloc[:n_test]
    valid = shuffled.iloc[n_test:n_test + n_valid]
    train = shuffled.iloc[n_test + n_valid:]
    return train, valid, test
''',
            "row_order": '''
def time_split(impressions, valid_days, test_days):
    last_day = impressions["ts"].max().floor("D")
    test_start = last_day - pd.Timedelta(days=test_days - 1)
    valid_start = test_start - pd.Timedelta(days=valid_days)
    n_train = int((impressions["ts"] < valid_start).sum())
    n_before_test = int((impressions["ts"] < test_start).sum())
    return (impressions.iloc[:n_train], impressions.iloc[n_train:n_before_test],
            impressions.iloc[n_before_test:])
''',
            "first_row_is_day_zero": '''
def time_split(impressions, valid_days, test_days):
    first_day = impressions["ts"].iloc[0].floor("D")
    day = (impressions["ts"] - first_day).dt.days
    n_days = day.nunique()
    train = impressions[day < n_days - valid_days - test_days]
    valid = impressions[(day >= n_days - valid_days - test_days) & (day < n_days - test_days)]
    test = impressions[day >= n_days - test_days]
    return train, valid, test
''',
            "hours_before_the_last_timestamp": '''
def time_split(impressions, valid_days, test_days):
    end = impressions["ts"].max()
    test_start = end - pd.Timedelta(days=test_days)
    valid_start = test_start - pd.Timedelta(days=valid_days)
    ts = impressions["ts"]
    return (impressions[ts < valid_start], impressions[(ts >= valid_start) & (ts < test_start)],
            impressions[ts >= test_start])
''',
            "day_of_the_month": '''
def time_split(impressions, valid_days, test_days):
    day = impressions["ts"].dt.day
    last = day.max()
    train = impressions[day <= last - test_days - valid_days]
    valid = impressions[(day > last - test_days - valid_days) & (day <= last - test_days)]
    test = impressions[day > last - test_days]
    return train, valid, test
''',
            "days_present_counted": '''
def time_split(impressions, valid_days, test_days):
    day = impressions["ts"].dt.floor("D")
    present = np.sort(day.unique())
    test_start = present[-test_days]
    valid_start = present[-test_days - valid_days]
    return impressions[day < valid_start], impressions[(day >= valid_start) & (day < test_start)], impressions[day >= test_start]
''',
            "midnight_to_the_earlier_part": '''
def time_split(impressions, valid_days, test_days):
    last_day = impressions["ts"].max().floor("D")
    test_start = last_day - pd.Timedelta(days=test_days - 1)
    valid_start = test_start - pd.Timedelta(days=valid_days)
    ts = impressions["ts"]
    return impressions[ts <= valid_start], impressions[(ts > valid_start) & (ts <= test_start)], impressions[ts > test_start]
''',
            "end_of_the_last_day_by_ceil": '''
def time_split(impressions, valid_days, test_days):
    end = impressions["ts"].max().ceil("D")
    test_start = end - pd.Timedelta(days=test_days)
    valid_start = test_start - pd.Timedelta(days=valid_days)
    ts = impressions["ts"]
    return impressions[ts < valid_start], impressions[(ts >= valid_start) & (ts < test_start)], impressions[ts >= test_start]
''',
            "day_column_added_to_the_input": '''
def time_split(impressions, valid_days, test_days):
    impressions["day"] = impressions["ts"].dt.floor("D")
    last_day = impressions["day"].max()
    test_start = last_day - pd.Timedelta(days=test_days - 1)
    valid_start = test_start - pd.Timedelta(days=valid_days)
    day = impressions["day"]
    return impressions[day < valid_start], impressions[(day >= valid_start) & (day < test_start)], impressions[day >= test_start]
''',
            "sorts_its_input": '''
def time_split(impressions, valid_days, test_days):
    impressions.sort_values("ts", inplace=True)
    last_day = impressions["ts"].iloc[-1].floor("D")
    test_start = last_day - pd.Timedelta(days=test_days - 1)
    valid_start = test_start - pd.Timedelta(days=valid_days)
    n_train = int((impressions["ts"] < valid_start).sum())
    n_before_test = int((impressions["ts"] < test_start).sum())
    return (impressions.iloc[:n_train], impressions.iloc[n_train:n_before_test], impressions.iloc[n_before_test:])
''',
        },
    },
    "point_in_time_ctr": {
        "tests": ["point_in_time_ctr_test"],
        "answers": {
            "full_data_group_mean": '''
def point_in_time_ctr(events, key, prior_strength, global_ctr):
    clicked = events["click_ts"].notna().astype(float)
    group = clicked.groupby(events[key])
    return ((group.transform("sum") + prior_strength * global_ctr)
            / (group.transform("size") + prior_strength))
''',
            "includes_the_current_event": '''
def point_in_time_ctr(events, key, prior_strength, global_ctr):
    ordered = events.sort_values("ts")
    clicked = ordered["click_ts"].notna().astype(float)
    clicks = clicked.groupby(ordered[key]).cumsum()
    shown = ordered.groupby(key).cumcount() + 1
    ctr = (clicks + prior_strength * global_ctr) / (shown + prior_strength)
    return ctr.reindex(events.index)
''',
            "shift_by_one_row_ignoring_ties": '''
def point_in_time_ctr(events, key, prior_strength, global_ctr):
    ordered = events.sort_values("ts")
    clicked = ordered["click_ts"].notna().astype(float)
    clicks = clicked.groupby(ordered[key]).cumsum() - clicked
    shown = ordered.groupby(key).cumcount()
    ctr = (clicks + prior_strength * global_ctr) / (shown + prior_strength)
    return ctr.reindex(events.index)
''',
            "labels_of_earlier_impressions": '''
def point_in_time_ctr(events, key, prior_strength, global_ctr):
    clicked = events["click_ts"].notna().astype(float)
    per_time = clicked.groupby([events[key], events["ts"]]).agg(["size", "sum"])
    before = per_time.groupby(level=0).cumsum() - per_time
    at = pd.MultiIndex.from_arrays([events[key], events["ts"]])
    shown = before["size"].reindex(at).to_numpy()
    clicks = before["sum"].reindex(at).to_numpy()
    return pd.Series((clicks + prior_strength * global_ctr) / (shown + prior_strength),
                     index=events.index)
''',
            "sorted_result_not_realigned": '''
def point_in_time_ctr(events, key, prior_strength, global_ctr):
    rows = events[[key, "ts"]].sort_values("ts")
    shown = (events.groupby([key, "ts"]).size().groupby(level=0).cumsum()
             .rename("shown_before").reset_index().sort_values("ts"))
    clicks = events.loc[events["click_ts"].notna(), [key, "click_ts"]].sort_values("click_ts")
    clicks["clicks_before"] = clicks.groupby(key).cumcount() + 1
    rows = pd.merge_asof(rows, shown, on="ts", by=key, allow_exact_matches=False)
    rows = pd.merge_asof(rows, clicks, left_on="ts", right_on="click_ts", by=key,
                         allow_exact_matches=False)
    ctr = ((rows["clicks_before"].fillna(0) + prior_strength * global_ctr)
           / (rows["shown_before"].fillna(0) + prior_strength))
    return pd.Series(ctr.to_numpy(), index=events.index)
''',
        },
    },
    "standardize_splits": {
        "tests": ["standardize_splits_test"],
        "answers": {
            "fitted_on_all_data": '''
def standardize_splits(train, valid, test, columns):
    everything = pd.concat([train, valid, test])
    mean, std = everything[columns].mean(), everything[columns].std()
    scaled = []
    for part in (train, valid, test):
        part = part.copy()
        part[columns] = (part[columns] - mean) / std
        scaled.append(part)
    return tuple(scaled)
''',
            "each_split_fitted_on_itself": '''
def standardize_splits(train, valid, test, columns):
    scaled = []
    for part in (train, valid, test):
        part = part.copy()
        part[columns] = (part[columns] - part[columns].mean()) / part[columns].std()
        scaled.append(part)
    return tuple(scaled)
''',
            "changes_the_inputs": '''
def standardize_splits(train, valid, test, columns):
    mean, std = train[columns].mean(), train[columns].std()
    for part in (train, valid, test):
        part[columns] = (part[columns] - mean) / std
    return train, valid, test
''',
        },
    },
    "hash_bucket": {
        "tests": ["hash_bucket_test"],
        "answers": {
            "salted_builtin_hash": '''
def hash_bucket(value, n_buckets):
    return hash(str(value)) % n_buckets


def cross(a, b, n_buckets):
    return hash((str(a), str(b))) % n_buckets
''',
            "no_modulo": '''
import zlib


def hash_bucket(value, n_buckets):
    return zlib.crc32(str(value).encode("utf-8"))


def cross(a, b, n_buckets):
    return hash_bucket(f"{a}|{b}", n_buckets)
''',
            "sum_of_characters": '''
def hash_bucket(value, n_buckets):
    return sum(ord(ch) for ch in str(value)) % n_buckets


def cross(a, b, n_buckets):
    return hash_bucket(f"{a}|{b}", n_buckets)
''',
            "cross_without_separator": '''
import hashlib


def hash_bucket(value, n_buckets):
    digest = hashlib.md5(str(value).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n_buckets


def cross(a, b, n_buckets):
    return hash_bucket(f"{a}{b}", n_buckets)
''',
            "bit_mask_instead_of_modulo": '''
import zlib


def hash_bucket(value, n_buckets):
    return zlib.crc32(str(value).encode("utf-8")) & n_buckets


def cross(a, b, n_buckets):
    return hash_bucket(f"{a}|{b}", n_buckets)
''',
            "underscore_separator": '''
import hashlib


def hash_bucket(value, n_buckets):
    digest = hashlib.md5(str(value).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n_buckets


def cross(a, b, n_buckets):
    return hash_bucket(f"{a}_{b}", n_buckets)
''',
            "cross_as_sum_of_buckets": '''
import zlib


def hash_bucket(value, n_buckets):
    return zlib.crc32(str(value).encode("utf-8")) % n_buckets


def cross(a, b, n_buckets):
    return (hash_bucket(a, n_buckets) + hash_bucket(b, n_buckets)) % n_buckets
''',
            "sixteen_bit_hash": '''
import hashlib


def hash_bucket(value, n_buckets):
    return int(hashlib.sha1(str(value).encode("utf-8")).hexdigest()[:4], 16) % n_buckets


def cross(a, b, n_buckets):
    return hash_bucket(f"{a}\\x1f{b}", n_buckets)
''',
            "adler32_checksum": '''
import zlib


def hash_bucket(value, n_buckets):
    return zlib.adler32(str(value).encode("utf-8")) % n_buckets


def cross(a, b, n_buckets):
    return hash_bucket(f"{a}\\x1f{b}", n_buckets)
''',
        },
    },
    "leakage_audit": {
        "tests": ["leakage_audit_test"],
        "answers": {
            "comparison_inverted": '''
def leakage_audit(y, p_model, q_true, tolerance):
    y = np.asarray(y, dtype=float)
    base = y.mean()
    entropy = -(base * np.log(base) + (1 - base) * np.log(1 - base))

    def ne(p):
        p = np.clip(np.asarray(p, dtype=float), 1e-7, 1 - 1e-7)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) / entropy)

    ne_model, ne_floor = ne(p_model), ne(q_true)
    return {"ne_model": ne_model, "ne_floor": ne_floor, "leaky": bool(ne_model > ne_floor + tolerance)}
''',
            "entropy_of_the_mean_prediction": '''
def leakage_audit(y, p_model, q_true, tolerance):
    y = np.asarray(y, dtype=float)

    def ne(p):
        p = np.clip(np.asarray(p, dtype=float), 1e-7, 1 - 1e-7)
        base = p.mean()
        entropy = -(base * np.log(base) + (1 - base) * np.log(1 - base))
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) / entropy)

    ne_model, ne_floor = ne(p_model), ne(q_true)
    return {"ne_model": ne_model, "ne_floor": ne_floor, "leaky": bool(ne_model < ne_floor - tolerance)}
''',
            "no_clipping": '''
def leakage_audit(y, p_model, q_true, tolerance):
    y = np.asarray(y, dtype=float)
    base = y.mean()
    entropy = -(base * np.log(base) + (1 - base) * np.log(1 - base))

    def ne(p):
        p = np.asarray(p, dtype=float)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) / entropy)

    ne_model, ne_floor = ne(p_model), ne(q_true)
    return {"ne_model": ne_model, "ne_floor": ne_floor, "leaky": bool(ne_model < ne_floor - tolerance)}
''',
            "floor_is_the_base_rate": '''
def leakage_audit(y, p_model, q_true, tolerance):
    y = np.asarray(y, dtype=float)
    base = y.mean()
    entropy = -(base * np.log(base) + (1 - base) * np.log(1 - base))
    p = np.clip(np.asarray(p_model, dtype=float), 1e-7, 1 - 1e-7)
    ne_model = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) / entropy)
    return {"ne_model": ne_model, "ne_floor": 1.0, "leaky": bool(ne_model < 1.0 - tolerance)}
''',
        },
    },
}
