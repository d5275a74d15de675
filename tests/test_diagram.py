"""The course's box diagram: one box per stage, arrows between them, the latency in each label,
and a readable error for a stage that lacks a field."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from mlsd.learner.diagram import ARROW_GID, BOX_GID, draw_budget, draw_design  # noqa: E402

STAGES = [
    {"name": "retrieval", "candidates_in": 1_000_000, "candidates_out": 1_000, "p99_ms": 30},
    {"name": "ranking", "candidates_in": 1_000, "candidates_out": 100, "p99_ms": 42.5},
    {"name": "re-ranking", "candidates_in": 100, "candidates_out": 20, "p99_ms": 5},
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _by_gid(ax, gid):
    return [p for p in ax.patches if p.get_gid() == gid]


@pytest.mark.parametrize("n", [1, 2, 3])
def test_one_box_per_stage_and_an_arrow_between_consecutive_stages(n):
    ax = draw_design(STAGES[:n], title="feed")
    assert len(_by_gid(ax, BOX_GID)) == n
    assert len(_by_gid(ax, ARROW_GID)) == n - 1
    assert ax.get_title() == "feed"


def test_boxes_run_left_to_right_in_serving_order():
    ax = draw_design(STAGES)
    xs = [box.get_x() for box in _by_gid(ax, BOX_GID)]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    texts = sorted(ax.texts, key=lambda t: t.get_position()[0])
    assert [t.get_text().splitlines()[0] for t in texts] == [s["name"] for s in STAGES]


def test_each_label_shows_name_candidates_and_latency():
    ax = draw_design(STAGES)
    labels = [t.get_text() for t in ax.texts]
    assert len(labels) == len(STAGES)
    for stage in STAGES:
        (label,) = [t for t in labels if t.startswith(stage["name"])]
        assert f"p99 {stage['p99_ms']:g} ms" in label
        assert f"{stage['candidates_in']:,}" in label and f"{stage['candidates_out']:,}" in label


def test_draws_on_the_axes_it_is_given():
    ax = plt.subplots()[1]
    assert draw_design(STAGES, ax=ax) is ax
    assert draw_budget(STAGES, 100, ax=plt.subplots()[1]) is not ax


@pytest.mark.parametrize("field", ["name", "candidates_in", "candidates_out", "p99_ms"])
def test_a_stage_without_a_field_is_a_value_error_naming_it(field):
    broken = [dict(s) for s in STAGES]
    del broken[1][field]
    with pytest.raises(ValueError, match=f"stage 1.*'{field}'"):
        draw_design(broken)
    with pytest.raises(ValueError, match=f"'{field}'"):
        draw_budget(broken, 100)


@pytest.mark.parametrize("bad", [[], {"name": "one stage, not a list"}, ["retrieval"], 3])
def test_a_path_that_is_not_a_list_of_stages_is_a_value_error(bad):
    with pytest.raises(ValueError, match="stage"):
        draw_design(bad)


@pytest.mark.parametrize("value", ["30", -1, None, True])
def test_a_latency_that_is_not_a_number_is_a_value_error(value):
    broken = [dict(s) for s in STAGES]
    broken[0]["p99_ms"] = value
    with pytest.raises(ValueError, match="p99_ms"):
        draw_design(broken)


def test_the_budget_bar_stacks_every_stage_up_to_their_sum():
    ax = draw_budget(STAGES, 100, title="budget")
    bars = ax.patches
    assert len(bars) == len(STAGES)
    tops = [bar.get_y() + bar.get_height() for bar in bars]
    assert tops[-1] == pytest.approx(sum(s["p99_ms"] for s in STAGES))
    assert [bar.get_height() for bar in bars] == pytest.approx([s["p99_ms"] for s in STAGES])
    (target,) = ax.get_lines()
    assert set(target.get_ydata()) == {100}
    assert ax.get_title() == "budget" and ax.get_ylabel() and ax.get_xlabel()
    assert any("42.5 ms" in t.get_text() for t in ax.get_legend().get_texts())


@pytest.mark.parametrize("target", [0, -5, "100", None])
def test_the_budget_needs_a_positive_target(target):
    with pytest.raises(ValueError, match="target_ms"):
        draw_budget(STAGES, target)
