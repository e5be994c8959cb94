"""A small bounded store, shared by the page cache and the session cookie check."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class LeastRecentlyUsed:
    """A bounded store that drops what was used longest ago; safe to share between threads."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self.entries: OrderedDict[Hashable, object] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: object) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def discard(self, key: Hashable) -> None:
        with self.lock:
            self.entries.pop(key, None)

    def drop_where(self, predicate: Callable[[Hashable], bool]) -> None:
        with self.lock:
            for key in [key for key in self.entries if predicate(key)]:
                del self.entries[key]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
