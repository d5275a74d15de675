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
        keep = (frame["clicked"] == 1).to_numpy() | (rng.random(len(frame)) < w)
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
    keep = (train["clicked"] == 1).to_numpy() | (rng.random(len(train)) < 1 - w)
    return {**splits, "train": train[keep].reset_index(drop=True)}
''',
            "seed_ignored": '''
def downsample_training(splits, w, seed):
    train = splits["train"]
    rng = np.random.default_rng()
    keep = (train["clicked"] == 1).to_numpy() | (rng.random(len(train)) < w)
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
    "leaf_one_hot": {
        "tests": ["leaf_one_hot_test"],
        "answers": {
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
