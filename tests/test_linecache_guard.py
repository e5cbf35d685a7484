"""The suite's guard around ``linecache.checkcache`` (see tests/conftest.py)."""

from __future__ import annotations

import linecache

import pytest

from tests import conftest


def test_checkcache_is_the_guard() -> None:
    assert linecache.checkcache is conftest._checkcache_safely


def test_an_entry_vanishing_mid_check_is_checked_again(monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    calls: list[str | None] = []

    def flaky(filename: str | None = None) -> None:
        calls.append(filename)
        if len(calls) < 3:
            raise KeyError("<lambdifygenerated-1>")

    monkeypatch.setattr(conftest, "_checkcache", flaky)
    conftest._checkcache_safely()
    assert calls == [None, None, None]


def test_a_key_error_that_persists_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(filename: str | None = None) -> None:
        raise KeyError(filename)

    monkeypatch.setattr(conftest, "_checkcache", broken)
    with pytest.raises(KeyError):
        conftest._checkcache_safely("x")
