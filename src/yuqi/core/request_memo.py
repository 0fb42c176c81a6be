"""Reads that several panels of one page ask for again, answered once per GET request.

A ticket page asks the complaints facade for the same ticket's summary three times (the
promise, expectation and text panels each do) and the text analysis five times; each panel is
written not to know of the others. Inside :func:`request_memo` a function decorated with
:func:`memoised` answers a repeated call (same arguments) from the first answer.

The memo lives in a context variable set by :class:`RequestMemoMiddleware` for GET and HEAD
requests only, so it never outlives the page nor leaks between threads, and a request that
changes data (POST …) reads afresh every time, as does code outside a request (jobs, tests
calling a facade). Lists, dicts and sets are handed out as shallow copies, so a caller that
extends the list it got does not change what the next caller gets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

_memo: ContextVar[dict[Any, Any] | None] = ContextVar("yuqi_request_memo", default=None)

SAFE_METHODS = frozenset({"GET", "HEAD"})


@contextmanager
def request_memo() -> Iterator[None]:
    """Within the block, :func:`memoised` functions answer each distinct call once. Nested
    blocks share the outer memo."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _frozen(value: Any) -> Any:
    """A hashable stand-in for an argument: id lists and sets compare as sets."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return frozenset(value)
    return value


def _copy(value: Any) -> Any:
    if isinstance(value, (list, dict, set)):
        return value.copy()
    return value


def _key(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    key = (
        function,
        tuple(_frozen(a) for a in args),
        frozenset((k, _frozen(v)) for k, v in kwargs.items()),
    )
    hash(key)  # TypeError for an unhashable argument
    return key


def remember(function: Callable[..., Any], *args: Any, value: Any, **kwargs: Any) -> None:
    """Let a later call of the :func:`memoised` ``function`` with these arguments in this
    request answer ``value``, which the caller has already read as the function would have
    (the ticket page has the ticket the panels' facade calls read again). A call already
    answered keeps its answer; outside :func:`request_memo` nothing is kept."""
    memo = _memo.get()
    if memo is None:
        return
    memo.setdefault(_key(function, args, kwargs), value)


def memoised[F: Callable[..., Any]](function: F) -> F:
    """Answer repeated calls with the same arguments from the request's memo (outside
    :func:`request_memo` every call runs). Sequence arguments are keyed as sets, so use it only
    for functions whose answer does not depend on the order or repetition of such ids."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        memo = _memo.get()
        if memo is None:
            return function(*args, **kwargs)
        try:
            key = _key(wrapper, args, kwargs)
        except TypeError:
            return function(*args, **kwargs)
        if key not in memo:
            memo[key] = function(*args, **kwargs)
        return _copy(memo[key])

    return wrapper  # type: ignore[return-value]


class RequestMemoMiddleware:
    """Runs each GET and HEAD request inside :func:`request_memo`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        with request_memo():
            return self.get_response(request)
