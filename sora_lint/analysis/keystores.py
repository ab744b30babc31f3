"""The keys a dict gets after its literal (``params["seconds"] = "8"``), and which of them reach a call."""
from __future__ import annotations

from .scopes import Binding, KeyStore, Scope
from .shapes import INTERDEPENDENT_PARAMS as CHECKED_PARAMS
from .walk import Walk

__all__ = ["CHECKED_PARAMS", "KeyStores"]


class KeyStores:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self._stores: dict[tuple[int, str], list[KeyStore]] | None = None

    def completions(self, binding: Binding, before: int, reader: Scope) -> list[tuple[KeyStore, int | None]] | None:
        """The ``name["key"] = value`` statements that complete a dict after its literal, before ``before``.

        Each comes with None when it is in straight-line code right after the literal (the same
        block, later): then it holds on every path. A store in a branch or a loop of the same scope,
        after the literal and before the call, comes with the id of its block: the key may hold
        that value or the one before. A key the rules do not check may be written anywhere. None
        when a checked key is written where its value at the call cannot be bounded: after the
        call in a loop around both, in another scope (a nested function may run after it), or
        before the literal.
        """
        stores = self._by_owner().get((id(binding.scope), binding.name), [])
        if not stores:
            return []
        where = self.walk.positions.get(id(binding.line))
        literal_order = self.walk.order.get(id(binding.line), -1)
        out: list[tuple[KeyStore, int | None]] = []
        for store in stores:
            at = self.walk.positions.get(id(store.line))
            straight = where is not None and at is not None and at[0] == where[0] and at[1] > where[1]
            if straight and store.order > before:
                if reader is not binding.scope:
                    return None
                continue  # written after the call, in the same straight line: not sent by it
            if straight:
                out.append((store, None))
                continue
            checked = store.key in CHECKED_PARAMS
            if store.scope is not binding.scope or store.order > before or store.order < literal_order:
                if checked:
                    return None
                continue  # a key no rule checks: whatever it holds, the checked ones are unchanged
            out.append((store, at[0] if at is not None else id(store.line)))
        return out

    def _by_owner(self) -> dict[tuple[int, str], list[KeyStore]]:
        if self._stores is None:
            self._stores = {}
            for store in self.walk.key_stores:
                owner = store.scope.owner(store.name)
                if owner is not None:
                    self._stores.setdefault((id(owner), store.name), []).append(store)
        return self._stores
