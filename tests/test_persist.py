"""Loading a model never runs code from the file: checksums, trusted types, versions."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import zipfile

import numpy as np
import pytest

from toolkit.baselines import MajorityTagger
from toolkit.cli import main
from toolkit.errors import ModelError
from toolkit.paths import DEFAULT_MODEL_DIR, bundled_model
from toolkit.persist import load_model, sha256_file
from toolkit.save import save_model
from toolkit.tag import Tagger

from .conftest import HEALTH_DIR


@pytest.fixture
def model_copy(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, target)
    return target


@pytest.fixture
def skops_model(tmp_path, labelled):
    """A baseline's model directory: the kind still saved with skops."""
    model = MajorityTagger().fit(labelled.speeches[:2], labelled.labels[:2])
    return save_model(model, tmp_path / "majority", {"name": "majority"})


def reseal(directory, name="model.skops"):
    """Record the current file's checksum, as an attacker who edits meta.json too would."""
    meta = json.loads((directory / "meta.json").read_text())
    meta["model_sha256"] = sha256_file(directory / name)
    (directory / "meta.json").write_text(json.dumps(meta))


def test_the_default_model_loads(model_copy):
    model, meta = load_model(model_copy)
    assert list(model.classes_) == meta["labels"]


def test_the_bundled_model_is_package_data_read_through_importlib_resources():
    bundled = bundled_model()
    assert bundled.is_dir() and (bundled / "predictor.npz").is_file()
    tagger = Tagger.load()
    assert tagger.meta["model_sha256"] == sha256_file(DEFAULT_MODEL_DIR / "predictor.npz")


def zipped(directory, path) -> zipfile.Path:
    """The model directory inside a zip: a Traversable that is not a file-system path."""
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("meta.json", "predictor.npz"):
            archive.write(directory / name, f"default/{name}")
    return zipfile.Path(path, "default/")


def test_a_resource_that_is_not_a_path_loads_and_is_checked(model_copy, tmp_path):
    model, meta = load_model(zipped(model_copy, tmp_path / "good.zip"))
    assert list(model.classes_) == meta["labels"]
    data = bytearray((model_copy / "predictor.npz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (model_copy / "predictor.npz").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="the file was altered or corrupted"):
        load_model(zipped(model_copy, tmp_path / "flipped.zip"))


@pytest.mark.parametrize("name", ["predictor.npz", "model.skops"])
def test_one_flipped_byte_is_refused(model_copy, skops_model, name):
    directory = model_copy if name == "predictor.npz" else skops_model
    path = directory / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="the file was altered or corrupted after it was saved"):
        load_model(directory)


def test_arrays_holding_a_pickle_are_refused_even_when_resealed(model_copy, tmp_path,
                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    arrays = dict(np.load(model_copy / "predictor.npz"))
    arrays["coef"] = np.array([Payload()], dtype=object)
    np.savez(model_copy / "predictor.npz", **arrays)
    reseal(model_copy, "predictor.npz")
    with pytest.raises(ModelError, match="expected the arrays of a tagger"):
        load_model(model_copy)
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("name", ["../predictor.npz", "/etc/passwd", "meta.json", 7])
def test_a_model_file_named_outside_the_two_known_names_is_refused(model_copy, name):
    meta = json.loads((model_copy / "meta.json").read_text())
    meta["model_file"] = name
    (model_copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=re.escape("expected model_file predictor.npz or model.skops")):
        load_model(model_copy)


class Payload:
    def __reduce__(self):
        import os

        return (os.system, ("touch PWNED",))


def test_a_pickle_crafted_to_run_a_command_is_refused(skops_model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (skops_model / "model.skops").write_bytes(pickle.dumps(Payload()))
    reseal(skops_model)
    with pytest.raises(ModelError, match="expected a skops archive"):
        load_model(skops_model)
    assert not (tmp_path / "PWNED").exists()


class Gadget:
    pass


def test_an_untrusted_type_is_refused_and_named(skops_model):
    import skops.io as sio

    sio.dump({"model": Gadget()}, skops_model / "model.skops")
    reseal(skops_model)
    with pytest.raises(ModelError, match=re.escape("found untrusted types ['tests.test_persist.Gadget']")):
        load_model(skops_model)


def test_another_scikit_learn_minor_version_names_both_and_the_fix(skops_model):
    meta = json.loads((skops_model / "meta.json").read_text())
    meta["versions"]["scikit-learn"] = "1.4.2"
    (skops_model / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=re.escape(
            "found one saved with scikit-learn 1.4.2. Retrain it here with "
            "`speechtag train --config experiments/default.toml`")):
        load_model(skops_model)


def test_the_tagger_arrays_do_not_depend_on_the_scikit_learn_version(model_copy):
    meta = json.loads((model_copy / "meta.json").read_text())
    meta["versions"]["scikit-learn"] = "1.4.2"
    (model_copy / "meta.json").write_text(json.dumps(meta))
    model, _ = load_model(model_copy)
    assert list(model.classes_) == meta["labels"]


def test_missing_file_is_named(model_copy, capsys):
    (model_copy / "predictor.npz").unlink()
    assert main(["evaluate", "--model", str(model_copy), str(HEALTH_DIR)]) == 1
    assert "found no predictor.npz. Retrain with `speechtag train`" in capsys.readouterr().err


def test_a_model_of_an_older_feature_format_is_refused_with_the_fix(model_copy, capsys):
    meta = json.loads((model_copy / "meta.json").read_text())
    meta["format_version"] = 1
    (model_copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=re.escape(
            "found format 1. Retrain it with `speechtag train --config experiments/default.toml`")):
        load_model(model_copy)
    assert main(["tag", "--model", str(model_copy), "-"]) == 1
    assert "Traceback" not in capsys.readouterr().err
