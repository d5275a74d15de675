"""Plausible wrong answers to the exercises of 04_model_development.

Each entry: the solution cell's grade_id -> the test cells that must lose their points and
the wrong sources that replace the solution cell. Every other test cell must keep full marks.
"""

WRONG_ANSWERS = {
    "downsample_training": {
        "tests": ["downsample_training_test"],
        "answers": {
            "every_window_downsampled": '''
def downsample_training(splits, w, seed):
    rng = np.random.default_rng(seed)
    out = {}
    for name, frame in splits.items():
        keep = (frame["label"] == 1).to_numpy() | (rng.random(len(frame)) < w)
        out[name] = frame[keep].reset_index(drop=True)
    return out
''',
            "positives_dropped_too": '''
def downsample_training(splits, w, seed):
    train = splits["train"]
    keep = np.random.default_rng(seed).random(len(train)) < w
    return {**splits, "train": train[keep].reset_index(drop=True)}
''',
            "rate_of_dropping": '''
def downsample_training(splits, w, seed):
    train = splits["train"]
    rng = np.random.default_rng(seed)
    keep = (train["label"] == 1).to_numpy() | (rng.random(len(train)) < 1 - w)
    return {**splits, "train": train[keep].reset_index(drop=True)}
''',
            "changes_its_input": '''
def downsample_training(splits, w, seed):
    train = splits["train"]
    rng = np.random.default_rng(seed)
    keep = (train["label"] == 1).to_numpy() | (rng.random(len(train)) < w)
    splits["train"] = train[keep].reset_index(drop=True)
    return splits
''',
            "negatives_sampled_then_appended": '''
def downsample_training(splits, w, seed):
    train = splits["train"]
    negatives = train[train["label"] == 0].sample(frac=w, random_state=seed)
    kept = pd.concat([train[train["label"] == 1], negatives])
    return {**splits, "train": kept.reset_index(drop=True)}
''',
            "w_in_whole_percent": '''
def downsample_training(splits, w, seed):
    train = splits["train"]
    rng = np.random.default_rng(seed)
    keep = (train["label"] == 1).to_numpy() | (rng.integers(0, 100, len(train)) < int(w * 100))
    return {**splits, "train": train[keep].reset_index(drop=True)}
''',
            "seed_ignored": '''
def downsample_training(splits, w, seed):
    train = splits["train"]
    rng = np.random.default_rng()
    keep = (train["label"] == 1).to_numpy() | (rng.random(len(train)) < w)
    return {**splits, "train": train[keep].reset_index(drop=True)}
''',
        },
    },
    "predict_ctr": {
        "tests": ["predict_ctr_test"],
        "answers": {
            "class_labels": '''
def predict_ctr(model, X):
    return model.predict(X)
''',
            "wrong_column": '''
def predict_ctr(model, X):
    return model.predict_proba(X)[:, 0]
''',
            "both_columns": '''
def predict_ctr(model, X):
    return model.predict_proba(X)
''',
        },
    },
    "recalibrate": {
        "tests": ["recalibrate_test"],
        "answers": {
            "times_w": '''
def recalibrate(p, w):
    return np.asarray(p, dtype=float) * w
''',
            "inverted_rate": '''
def recalibrate(p, w):
    p = np.asarray(p, dtype=float)
    return p / (p + (1 - p) * w)
''',
            "odds_not_probability": '''
def recalibrate(p, w):
    p = np.asarray(p, dtype=float)
    return w * p / (1 - p)
''',
        },
    },
    "platt_calibrator": {
        "tests": ["platt_calibrator_test"],
        "answers": {
            "probability_not_logit_as_feature": '''
def platt_calibrator(p, y):
    from sklearn.linear_model import LogisticRegression
    fit = LogisticRegression(C=1e6).fit(np.asarray(p, dtype=float)[:, None], np.asarray(y))
    return lambda values: fit.predict_proba(np.asarray(values, dtype=float)[:, None])[:, 1]
''',
            "mean_ratio_only": '''
def platt_calibrator(p, y):
    ratio = np.mean(y) / np.mean(p)
    return lambda values: np.clip(np.asarray(values, dtype=float) * ratio, 1e-7, 1 - 1e-7)
''',
            "labels_not_probabilities": '''
def platt_calibrator(p, y):
    from sklearn.linear_model import LogisticRegression
    logit = lambda v: np.log(np.clip(np.asarray(v, dtype=float), 1e-7, 1 - 1e-7) / (1 - np.clip(np.asarray(v, dtype=float), 1e-7, 1 - 1e-7)))
    fit = LogisticRegression(C=1e6).fit(logit(p)[:, None], np.asarray(y))
    return lambda values: fit.predict(logit(values)[:, None])
''',
            "closed_form_whatever_the_data": '''
def platt_calibrator(p, y):
    return lambda values: recalibrate(np.asarray(values, dtype=float), W)
''',
            "no_clipping": '''
def platt_calibrator(p, y):
    from sklearn.linear_model import LogisticRegression
    p = np.asarray(p, dtype=float)
    fit = LogisticRegression(C=1e6).fit(np.log(p / (1 - p))[:, None], np.asarray(y))
    return lambda values: fit.predict_proba(np.log(np.asarray(values) / (1 - np.asarray(values)))[:, None])[:, 1]
''',
            "fitted_on_the_notebooks_validation_window": '''
def platt_calibrator(p, y):
    from sklearn.linear_model import LogisticRegression
    valid = splits["valid"]
    raw = np.clip(predict_ctr(lr, hashed_features(valid)), 1e-7, 1 - 1e-7)
    fit = LogisticRegression(C=1e6).fit(np.log(raw / (1 - raw))[:, None], valid["label"].to_numpy())

    def calibrate(values):
        values = np.clip(np.asarray(values, dtype=float), 1e-7, 1 - 1e-7)
        return fit.predict_proba(np.log(values / (1 - values))[:, None])[:, 1]

    return calibrate
''',
        },
    },
    "leaf_one_hot": {
        "tests": ["leaf_one_hot_test"],
        "answers": {
            "offsets_added_in_place": '''
def leaf_one_hot(leaves, nodes_per_tree):
    leaves = np.asarray(leaves)
    n_rows, n_trees = leaves.shape
    leaves += np.arange(n_trees) * nodes_per_tree
    indptr = np.arange(0, n_rows * n_trees + 1, n_trees)
    return sp.csr_matrix((np.ones(n_rows * n_trees), leaves.ravel(), indptr),
                         shape=(n_rows, n_trees * nodes_per_tree))
''',
            "dense_leaf_ids": '''
def leaf_one_hot(leaves, nodes_per_tree):
    return np.asarray(leaves)
''',
            "columns_shared_across_trees": '''
def leaf_one_hot(leaves, nodes_per_tree):
    leaves = np.asarray(leaves, dtype=np.int64)
    n_rows, n_trees = leaves.shape
    rows = np.repeat(np.arange(n_rows), n_trees)
    return sp.csr_matrix((np.ones(n_rows * n_trees), (rows, leaves.ravel())),
                         shape=(n_rows, n_trees * nodes_per_tree))
''',
            "tree_added_not_multiplied": '''
def leaf_one_hot(leaves, nodes_per_tree):
    leaves = np.asarray(leaves, dtype=np.int64)
    n_rows, n_trees = leaves.shape
    rows = np.repeat(np.arange(n_rows), n_trees)
    columns = (np.arange(n_trees) + leaves).ravel()
    return sp.csr_matrix((np.ones(n_rows * n_trees), (rows, columns)),
                         shape=(n_rows, n_trees * nodes_per_tree))
''',
            "encoder_fitted_per_call": '''
from sklearn.preprocessing import OneHotEncoder

def leaf_one_hot(leaves, nodes_per_tree):
    return OneHotEncoder().fit_transform(np.asarray(leaves)).tocsr()
''',
        },
    },
    "choose_model": {
        "tests": ["choose_model_test"],
        "answers": {
            "drops_rows_in_place": '''
def choose_model(results, budget_ms):
    results.drop(results.index[results["p99_ms"] > budget_ms], inplace=True)
    if results.empty:
        return None
    return results.loc[results["ne"].idxmin(), "model"]
''',
            "best_ne_regardless_of_latency": '''
def choose_model(results, budget_ms):
    return results.loc[results["ne"].idxmin(), "model"]
''',
            "mean_latency": '''
def choose_model(results, budget_ms):
    fits = results[results["mean_ms"] <= budget_ms]
    if fits.empty:
        return None
    return fits.loc[fits["ne"].idxmin(), "model"]
''',
            "highest_ne": '''
def choose_model(results, budget_ms):
    fits = results[results["p99_ms"] <= budget_ms]
    if fits.empty:
        return None
    return fits.loc[fits["ne"].idxmax(), "model"]
''',
            "fastest_model": '''
def choose_model(results, budget_ms):
    fits = results[results["p99_ms"] <= budget_ms]
    if fits.empty:
        return None
    return fits.loc[fits["p99_ms"].idxmin(), "model"]
''',
        },
    },
}
