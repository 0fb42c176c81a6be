"""The supervised classifier: round trip, calibrated output, cross-validation shape."""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime

import joblib
import pytest

from yuqi.domain.text import classifier
from yuqi.domain.text.classifier import (
    ModelFormatError,
    cross_validate,
    load,
    train,
)

TEMPLATES = {
    "billing": [
        "话费莫名多扣了{n}元",
        "套餐资费乱收费{n}元",
        "账单里有{n}元不认识的扣费",
        "流量包扣费{n}元不对",
    ],
    "quality": ["宽带断网{n}天了", "信号差，网速慢了{n}天", "光猫坏了{n}天没网", "家里没信号{n}天"],
    "attitude": [
        "客服态度差，挂了我{n}次电话",
        "工作人员不耐烦，敷衍{n}次",
        "营业员态度恶劣，骂了{n}句",
        "话务员很凶{n}次",
    ],
}


def corpus(per_label: int = 20, seed: int = 1) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, labels = [], []
    for label, templates in TEMPLATES.items():
        for _ in range(per_label):
            texts.append(rng.choice(templates).format(n=rng.randint(1, 99)))
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def model():
    texts, labels = corpus()
    return train(texts, labels, evaluate=False, created=datetime(2026, 11, 29, tzinfo=UTC))


NEW = ["又多扣了我30元话费", "宽带又断网了", "那个客服态度太差", "信号差"]


def test_predictions_carry_calibrated_confidence_and_top3(model):
    predictions = model.predict(NEW)
    assert [p.label for p in predictions[:3]] == ["billing", "quality", "attitude"]
    for prediction in predictions:
        assert 0 < prediction.confidence <= 1
        assert len(prediction.top3) == 3
        assert prediction.top3[0] == (prediction.label, prediction.confidence)
        assert sum(p for _, p in prediction.top3) == pytest.approx(1, abs=1e-6)


def test_save_and_load_give_identical_predictions(model, tmp_path):
    path = model.save(tmp_path / "model.joblib")
    again = load(path)
    assert again.predict(NEW) == model.predict(NEW)
    assert again.metadata == model.metadata


def test_metadata_records_version_counts_and_estimator(model):
    assert model.metadata.version == "20261129000000"
    assert model.metadata.label_counts == {"attitude": 20, "billing": 20, "quality": 20}
    assert model.metadata.n_train == 60
    assert model.metadata.estimator == "CalibratedClassifierCV"


def test_training_with_evaluation_stores_per_label_scores():
    texts, labels = corpus(per_label=10)
    trained = train(texts, labels, folds=3)
    evaluation = trained.metadata.evaluation
    assert set(evaluation.per_label) == {"attitude", "billing", "quality"}
    assert evaluation.per_label["billing"].support == 10


def test_a_newer_format_is_refused_with_a_clear_error(model, tmp_path):
    path = tmp_path / "future.joblib"
    joblib.dump(
        {"magic": "yuqi-text-classifier", "format_version": classifier.FORMAT_VERSION + 1}, path
    )
    with pytest.raises(ModelFormatError, match="newer"):
        load(path)


def test_a_foreign_file_is_refused(tmp_path):
    path = tmp_path / "other.joblib"
    joblib.dump([1, 2, 3], path)
    with pytest.raises(ModelFormatError, match="not a Yuqi"):
        load(path)


def test_cross_validation_shape():
    texts, labels = corpus(per_label=10)
    evaluation = cross_validate(texts, labels, folds=5, seed=0)
    assert evaluation.n == 30
    assert evaluation.folds == 5
    assert 0 <= evaluation.accuracy <= 1
    assert 0 <= evaluation.macro_f1 <= 1
    assert set(evaluation.per_label) == {"attitude", "billing", "quality"}
    assert sum(score.support for score in evaluation.per_label.values()) == 30
    assert set(evaluation.to_dict()) >= {"accuracy", "macro_f1", "per_label", "n"}


def test_cross_validation_is_reproducible():
    texts, labels = corpus(per_label=10)
    assert cross_validate(texts, labels, seed=3) == cross_validate(texts, labels, seed=3)


def test_folds_are_reduced_with_a_note_for_a_small_label():
    texts, labels = corpus(per_label=10)
    texts += ["积分兑换失败", "积分没到账", "积分兑换礼品没发"]
    labels += ["points"] * 3
    evaluation = cross_validate(texts, labels, folds=5)
    assert evaluation.folds == 3
    assert any("reduced" in note for note in evaluation.notes)


def test_a_label_with_one_example_is_left_out_of_cross_validation_with_a_note():
    texts, labels = corpus(per_label=6)
    evaluation = cross_validate([*texts, "孤例"], [*labels, "lonely"], folds=3)
    assert "lonely" not in evaluation.per_label
    assert any("lonely" in note for note in evaluation.notes)


def test_training_with_a_single_example_label_still_works():
    texts, labels = corpus(per_label=6)
    trained = train([*texts, "积分兑换失败"], [*labels, "points"], evaluate=False)
    assert "points" in trained.labels
    assert trained.metadata.estimator == "LogisticRegression"


def test_one_label_cannot_be_trained():
    with pytest.raises(ValueError, match="two different labels"):
        train(["a", "b"], ["x", "x"])


def test_fast_count_vectorizer_matches_scikit_learn():
    from sklearn.feature_extraction.text import CountVectorizer

    from yuqi.domain.text.classifier import FastCountVectorizer
    from yuqi.domain.text.segment import TextTokenizer

    texts, _ = corpus(per_label=5)
    options = {"tokenizer": TextTokenizer(), "token_pattern": None, "lowercase": False}
    fast = FastCountVectorizer(**options).fit(texts)
    reference = CountVectorizer(**options).fit(texts)
    new = [*NEW, "完全没见过的句子", ""]
    assert (fast.transform(new) != reference.transform(new)).nnz == 0


@pytest.mark.parametrize("features", ["chars", "jieba"])
def test_the_stored_vocabulary_holds_no_phone_or_id_number(features):
    texts, labels = corpus(per_label=6)
    texts[0] += "，我的手机13812345678，身份证110101199003071234"
    trained = train(texts, labels, evaluate=False, features=features)
    vocabulary = trained.pipeline.named_steps["counts"].get_feature_names_out()
    assert not [token for token in vocabulary if "13812345678" in token or "19900307" in token]
    if features == "chars":  # every digit is folded to 0
        assert not [token for token in vocabulary if set(token) & set("123456789")]


def test_new_models_use_character_features_in_the_current_format(model):
    assert model.metadata.features == "chars"
    assert model.metadata.format_version == classifier.FORMAT_VERSION
    assert not model.outdated


def test_the_jieba_pipeline_is_kept_for_comparison():
    texts, labels = corpus(per_label=6)
    trained = train(texts, labels, evaluate=False, features="jieba")
    assert trained.metadata.features == "jieba"
    assert trained.predict(["又多扣了我30元话费"])[0].label == "billing"


def test_an_unknown_feature_set_is_refused():
    with pytest.raises(ValueError, match="features must be one of"):
        train(*corpus(per_label=3), evaluate=False, features="bert")


def _format_1_file(path):
    """A model file as Yuqi wrote it before format 2: the jieba pipeline, format_version 1,
    metadata without the ``features`` field."""
    texts, labels = corpus(per_label=6)
    old = train(texts, labels, evaluate=False, features="jieba")
    metadata = old.metadata.__dict__.copy()
    del metadata["features"]
    metadata["format_version"] = 1
    stored = object.__new__(classifier.ModelMetadata)
    object.__setattr__(stored, "__dict__", metadata)
    payload = {"magic": "yuqi-text-classifier", "format_version": 1}
    joblib.dump({**payload, "metadata": stored, "pipeline": old.pipeline}, path)
    return old


def test_a_format_1_file_still_loads_predicts_and_says_it_is_outdated(tmp_path):
    old = _format_1_file(tmp_path / "v1.joblib")
    loaded = load(tmp_path / "v1.joblib")
    assert loaded.outdated
    assert loaded.format_version == 1
    assert loaded.metadata.features == "jieba"
    assert loaded.predict(NEW) == old.predict(NEW)


def test_a_file_without_a_format_number_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "ancient.joblib"
    joblib.dump({"magic": "yuqi-text-classifier", "pipeline": None, "metadata": None}, path)
    with pytest.raises(ModelFormatError, match="no model format number"):
        load(path)


def test_parallel_prediction_equals_in_process_prediction(model, monkeypatch):
    monkeypatch.setattr(classifier, "PARALLEL_MIN", 4)
    texts = NEW * 5
    assert model.predict(texts, n_jobs=2) == model.predict(texts)


@pytest.mark.skipif(not classifier._can_fork(), reason="the folds are forked: POSIX only")
def test_folds_fitted_in_forked_workers_give_the_same_model_and_scores(monkeypatch, tmp_path):
    texts, labels = corpus(per_label=10)
    texts, labels = [*texts, "孤例"], [*labels, "lonely"]  # a label left out, with its note
    alone = train(texts, labels, folds=5, seed=2, version="1")
    log = tmp_path / "folds"
    fold = classifier._FoldPlan.fold

    def logged(plan, split):  # runs in a worker: writes its process id and the test rows
        with log.open("a") as out:
            out.write(f"{os.getpid()} {len(split[1])}\n")
        return fold(plan, split)

    monkeypatch.setattr(classifier._FoldPlan, "fold", logged)
    forked = train(texts, labels, folds=5, seed=2, version="1", n_jobs=2)
    fitted = [line.split() for line in log.read_text().splitlines()]
    assert len(fitted) == 5
    assert sum(int(rows) for _pid, rows in fitted) == 30  # every text tested once
    assert str(os.getpid()) not in {pid for pid, _index in fitted}
    assert forked.metadata.evaluation == alone.metadata.evaluation
    assert forked.metadata.evaluation.notes
    assert forked.predict(NEW) == alone.predict(NEW)
    assert (forked.pipeline.predict_proba(NEW) == alone.pipeline.predict_proba(NEW)).all()


def test_forked_folds_end_even_where_sigterm_only_sets_a_flag():
    """A process with its own SIGTERM handler (a worker's graceful stop) hung for ever after
    training: the pool's workers inherited the handler, so stopping them did not stop them."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(
        """
        import signal
        from yuqi.domain.text.classifier import train
        signal.signal(signal.SIGTERM, lambda *_: None)  # only a flag, as a graceful worker's
        texts = [f"快递{i} 延误 没到" for i in range(12)]
        texts += [f"退款{i} 没收到 钱" for i in range(12)]
        labels = ["delivery"] * 12 + ["refund"] * 12
        for _ in range(10):  # the hang came at one training in a few
            model = train(texts, labels, folds=4, seed=1, version="1", n_jobs=2)
        print(model.metadata.evaluation is not None)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "True"
