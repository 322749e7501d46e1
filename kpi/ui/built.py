"""Chart specs and rows tables, built once per content for the whole server process.

A spec or a table is a pure function of its inputs (metric results, language,
currency). Kept under a digest of those inputs, it is reused by any rerun,
page or session asking for the same content: a page switched back to, another
filter's rerun, a new tab of the same browser (which reopens the same draft:
its first page was 0.26-0.33 s of Altair work, BENCHMARKS.md, issue 14), every
visitor of the demo. A session gets an entry only by presenting that very
content, so nothing one session computed reaches a session that does not
already hold it; no connection or workspace is ever kept here. Bounded: the
least recently used entries go first.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


def digest(*content: Any) -> bytes | None:
    """A digest of picklable content (None when it is not: then nothing is kept).

    Equal content gives equal bytes: pickled without its memo ("fast" mode: a memo
    writes an object seen twice as a back-reference, so the bytes would depend on
    which strings happen to be one object), and a pydantic result by its fields
    in declaration order (its pickle holds the set of fields given, whose order
    may differ between equal results). Content with a cycle cannot be pickled
    so: not kept. The bytes are only hashed, never read back.
    """
    buffer = io.BytesIO()
    pickler = _ContentPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    try:
        pickler.dump(content)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
        return None
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).digest()


class _ContentPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            return type(obj), (), obj.__dict__
        return NotImplemented


class ContentCache(Generic[T]):
    """digest of the inputs -> what was built from them; treat entries as read-only."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[bytes, T] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: bytes | None, build: Callable[[], T]) -> T:
        """The entry of `key`, else `build()` kept under it (built outside the lock: two
        sessions asking at once may both build, and get equal results)."""
        if key is None:
            return build()
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = build()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)
