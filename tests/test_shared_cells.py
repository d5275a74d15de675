"""Given code that several notebooks share is one definition: the course's label and its
history features are one cell each, identical wherever they appear, and mean what step 3's
exercise asks for. The package itself must not hold that answer (a learner can import it)."""

from __future__ import annotations

import ast

import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import run_solution_cell

import mlsd
from mlsd import course

# tag -> the steps whose notebooks must carry the cell
SHARED = {
    "shared-label": {"03_data_preparation", "03b_scale", "04_model_development",
                     "05_evaluation", "06_serving", "07_monitoring"},
    "shared-history": {"03b_scale", "04_model_development", "06_serving"},
}
ROOT = course.root()


def tagged_cells(folder: str, tag: str) -> dict[str, list[str]]:
    found = {}
    for step in course.steps():
        nb = nbformat.read(ROOT / folder / step / f"{step}.ipynb", as_version=4)
        sources = [c.source for c in nb.cells if tag in c.metadata.get("tags", [])]
        if sources:
            found[step] = sources
    return found


def definitions(*tags: str) -> dict:
    """The shared cells run in a fresh namespace, as a notebook would run them."""
    namespace = {"np": np, "pd": pd}
    for tag in tags:
        exec(next(iter(tagged_cells("solutions", tag).values()))[0], namespace)
    return namespace


@pytest.fixture(scope="module")
def log(tiny_log):
    return mlsd.load_log("tiny")


@pytest.mark.parametrize("tag", sorted(SHARED))
@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_a_shared_cell_is_one_identical_cell_in_every_notebook_that_needs_it(folder, tag):
    found = tagged_cells(folder, tag)
    assert set(found) == SHARED[tag], f"{tag} is in {sorted(found)}"
    assert all(len(sources) == 1 for sources in found.values()), "a notebook carries the cell twice"
    assert len({sources[0] for sources in found.values()}) == 1, f"the {tag} cells differ"


def test_the_shared_label_is_a_click_within_six_hours(log):
    shared = definitions("shared-label")
    assert shared["WINDOW"] == pd.Timedelta(hours=6)
    events = shared["labelled_impressions"](log)
    click_ts = events["impression_id"].map(log.clicks.set_index("impression_id")["click_ts"])
    delay = click_ts - events["ts"]
    expected = (delay <= pd.Timedelta(hours=6)).to_numpy()
    assert 0 < expected.sum() < delay.notna().sum(), "the tiny log should have late clicks"
    assert np.array_equal(events["label"].to_numpy() == 1, expected)
    assert events["click_ts"].notna().to_numpy().tolist() == expected.tolist()
    assert events[["impression_id", "ts"]].equals(log.impressions[["impression_id", "ts"]])


@pytest.mark.parametrize("key", ["user_id", "ad_id"])
def test_the_shared_history_features_agree_with_step_3s_solution(log, key):
    shared = definitions("shared-label", "shared-history")
    events = shared["labelled_impressions"](log)
    prior = float(events["label"].mean())
    shuffled = events.sample(frac=1.0, random_state=3)   # step 3 takes rows in any order
    strength = shared["PRIOR_STRENGTH"]
    step_3 = run_solution_cell("03_data_preparation", "point_in_time_ctr", np=np, pd=pd)
    want = step_3["point_in_time_ctr"](shuffled, key, strength, prior)
    table = shared["history_table"](events, key, prior)
    got = shared["point_in_time"](shuffled, table, key)
    assert got.index.equals(shuffled.index)
    assert np.allclose(got["ctr"].fillna(prior).to_numpy(), want.to_numpy(), rtol=0, atol=1e-12)
    # the features vary: a test on constant columns would prove nothing
    assert got["ctr"].nunique() > 100 and got["shown"].max() > 10
    # the strict boundary: a key's first request has no history, not even from its other slots
    first = (shuffled["ts"] == shuffled.groupby(key)["ts"].transform("min")).to_numpy()
    assert got["ctr"][first].isna().all()


def test_the_package_does_not_hold_step_3s_answer():
    names = {"history_table", "point_in_time", "point_in_time_ctr", "labelled_impressions"}
    for path in (ROOT / "src" / "mlsd").rglob("*.py"):
        tree = ast.parse(path.read_text())
        defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert not defined & names, f"{path.name} defines {sorted(defined & names)}"
        assert "merge_asof" not in path.read_text(), f"{path.name} holds an as-of join"
