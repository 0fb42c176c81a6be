"""Segmentation with the shipped service-centre user dictionary, and the tokenizer."""

from __future__ import annotations

import pickle

from yuqi.domain.text.segment import (
    TextTokenizer,
    load_user_dictionary,
    segment,
    shipped_user_dictionary,
    words,
)


def test_shipped_dictionary_exists_and_lists_service_terms():
    content = shipped_user_dictionary().read_text(encoding="utf-8")
    for term in ("携号转网", "宽带报装", "流量包", "工信部", "12315"):
        assert term in content


def test_service_vocabulary_stays_whole():
    tokens = segment("我要携号转网，宽带报装一直没人管，流量包乱扣费，打12315投诉到工信部")
    for term in ("携号转网", "宽带报装", "流量包", "12315", "工信部"):
        assert term in tokens


def test_words_drop_punctuation_and_lower_case_english():
    assert words("话费扣了，Refund NOW!") == ["话费", "扣", "了", "refund", "now"]


def test_extra_user_dictionary_is_applied(tmp_path):
    assert "宽带提速包" not in segment("办理宽带提速包业务")
    path = tmp_path / "extra.txt"
    path.write_text("宽带提速包 5000 n\n", encoding="utf-8")
    load_user_dictionary(path)
    assert "宽带提速包" in segment("办理宽带提速包业务")


def test_tokenizer_combines_words_and_character_ngrams():
    tokens = TextTokenizer()("携号转网太慢")
    assert "携号转网" in tokens
    assert "#号转" in tokens  # a character bigram
    assert "#号转网" not in tokens  # no trigrams by default
    assert "#号转网" in TextTokenizer((2, 3))("携号转网太慢")


def test_tokenizer_gives_english_lower_case_words_only():
    assert TextTokenizer()("Refund my FEE, please") == ["refund", "my", "fee", "please"]


def test_tokenizer_pickles():
    tokenizer = pickle.loads(pickle.dumps(TextTokenizer((2, 2))))
    assert tokenizer("话费") == ["话费", "#话费"]


def test_fast_path_cuts_exactly_as_jieba_without_hmm():
    from yuqi.domain.text.segment import _fast_cut, _tokenizer

    sentences = [
        "我要携号转网，宽带报装一直没人管！打12315投诉到工信部",
        "话费莫名多扣了30元，ABC套餐 refund 138****5678",
        "送餐太慢了，等了一个多小时，饭菜都凉了。。。",
        "The agent hung up on me twice, 第三次了",
    ]
    for sentence in sentences:
        assert _fast_cut(sentence) == list(_tokenizer().cut(sentence, HMM=False))


def test_jieba_is_loaded_once_when_threads_race(monkeypatch):
    import threading

    import jieba

    from yuqi.domain.text import segment as module

    created = []
    original = jieba.Tokenizer

    def counting(*args, **kwargs):
        created.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, "_TOKENIZER", None)
    monkeypatch.setattr(module, "_EXTRA_DICTIONARIES", [])
    monkeypatch.setattr(jieba, "Tokenizer", counting)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(module._tokenizer())) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(created) == 1
    assert len({id(result) for result in results}) == 1
