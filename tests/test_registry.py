"""The course's MLflow registry: where it lives, a round trip, and clear errors for bad input."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mlsd.clicklog.data import build_dir, separate_build_dir
from mlsd.learner import registry


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "registry"


def _model():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    return LogisticRegression().fit(X, (X[:, 0] > 0).astype(int)), X


def test_register_alias_and_load_round_trip(folder):
    import mlflow

    client = registry.open_registry(folder, fresh=True)
    client.create_registered_model("ctr")
    model, X = _model()
    with mlflow.start_run() as run:
        mlflow.log_metrics({"ne": 0.9})
        logged = mlflow.sklearn.log_model(model, name="model", serialization_format="pickle",
                                          pip_requirements=[])
    version = client.create_model_version("ctr", logged.model_uri, run_id=run.info.run_id).version
    client.set_registered_model_alias("ctr", "champion", version)
    loaded = registry.load_model("ctr", folder=folder)
    assert np.array_equal(loaded.predict_proba(X), model.predict_proba(X))
    assert (folder / registry.DB_NAME).is_file()
    assert str(folder / "artifacts") in client.get_experiment_by_name(
        registry.EXPERIMENT).artifact_location


def test_fresh_starts_an_empty_registry(folder):
    client = registry.open_registry(folder, fresh=True)
    client.create_registered_model("ctr")
    assert [m.name for m in registry.open_registry(folder).search_registered_models()] == ["ctr"]
    assert registry.open_registry(folder, fresh=True).search_registered_models() == []


def test_a_scratch_registry_leaves_the_active_one_in_place(tmp_path):
    import mlflow

    registry.open_registry(tmp_path / "main", fresh=True)
    registry.open_registry(tmp_path / "scratch", fresh=True, activate=False)
    assert str(tmp_path / "main") in mlflow.get_tracking_uri()


def test_no_registry_yet_says_what_to_run(folder):
    with pytest.raises(registry.RegistryError, match="no model registry.*step 6"):
        registry.load_model("ctr", folder=folder)
    assert not folder.exists(), "loading must not create an empty registry"


def test_unknown_model_and_missing_alias_are_named(folder):
    client = registry.open_registry(folder, fresh=True)
    with pytest.raises(registry.RegistryError, match="no model named 'ctr'"):
        registry.load_model("ctr", folder=folder)
    client.create_registered_model("ctr")
    with pytest.raises(registry.RegistryError, match="no alias 'champion'.*aliases: none"):
        registry.load_model("ctr", folder=folder)


def test_build_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MLSD_BUILD_DIR", str(tmp_path / "elsewhere"))
    assert registry.registry_dir() == tmp_path / "elsewhere" / "registry"
    monkeypatch.delenv("MLSD_BUILD_DIR")
    with separate_build_dir() as scratch:
        assert build_dir() == scratch and scratch.is_dir()
    assert not scratch.exists()
    assert "MLSD_BUILD_DIR" not in os.environ


def test_importing_the_course_turns_mlflow_telemetry_off():
    # MLflow also stays quiet under CI or pytest: drop those markers to see what a learner gets.
    ci_markers = ("PYTEST_CURRENT_TEST", "GITHUB_ACTIONS", "CI", "MLFLOW_DISABLE_TELEMETRY",
                  "DO_NOT_TRACK")
    env = {k: v for k, v in os.environ.items() if k not in ci_markers}
    probe = "import mlflow.telemetry.utils as t; print(t.is_telemetry_disabled())"
    for before, expected in (("", "False"), ("import mlsd; ", "True")):
        out = subprocess.run([sys.executable, "-c", before + probe], env=env, capture_output=True,
                             text=True, check=True)
        assert out.stdout.strip() == expected, (before, out.stdout, out.stderr[-500:])
