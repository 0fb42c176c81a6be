"""Reads repeated by several panels of one GET page are answered once (yuqi.core.request_memo)."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from yuqi.core.request_memo import (
    RequestMemoMiddleware,
    _memo,
    memoised,
    remember,
    request_memo,
)


def test_a_memoised_function_runs_once_per_block_and_every_time_outside():
    calls = []

    @memoised
    def codes(ids):
        calls.append(ids)
        return ["a", "b"]

    assert codes([1, 2]) == ["a", "b"]
    assert codes([1, 2]) == ["a", "b"]
    assert len(calls) == 2  # no memo outside a request
    with request_memo():
        first = codes([1, 2])
        first.append("changed by a caller")
        assert codes([2, 1]) == ["a", "b"]  # ids as a set; the caller's change is its own
        assert codes([3]) == ["a", "b"]
    assert len(calls) == 4


def test_a_post_reads_afresh():
    seen = []

    def view(request):
        seen.append(_memo.get())
        return HttpResponse("ok")

    middleware = RequestMemoMiddleware(view)
    middleware(RequestFactory().get("/"))
    middleware(RequestFactory().post("/"))
    assert seen[0] == {}
    assert seen[1] is None


def test_a_remembered_answer_is_given_inside_the_block_only():
    calls = []

    @memoised
    def summary(ids):
        calls.append(ids)
        return {"read": True}

    remember(summary, [1], value={"kept": True})  # outside a request: nothing kept
    assert summary([1]) == {"read": True}
    with request_memo():
        remember(summary, [1], value={"kept": True})
        assert summary([1]) == {"kept": True}
        assert summary([2]) == {"read": True}
        remember(summary, [2], value={"kept": True})  # already answered: keeps its answer
        assert summary([2]) == {"read": True}
    assert calls == [[1], [2]]
