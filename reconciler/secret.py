"""A secret (the API key, a code host's token) as a value that never shows itself, and the
masking of its echoes. At the package's top, importing nothing of it: the client masks the
API key with it, and the CI glue masks the code host's and the push token, without either
depending on the other.

Servers, gateways and proxies echo what they were sent: in an error message, a request ID,
or any field of a campaign. Not only the whole key: a 401 that quotes the header minus
its last character, or a log line cut in the middle. So any run of FRAGMENT or more
consecutive characters of the key, wherever it stands in a text, is masked.
"""

from __future__ import annotations

import re
from typing import Any


def public_url(url: str) -> str:
    """`url` as it may be shown: a `user:password@` masked, and a query string or a fragment
    (where keys and tokens get put) masked whole."""
    url = re.sub(r"(?<=//)[^/?#]*@", "***@", url)
    return re.sub(r"([?#]).*", r"\1***", url, count=1, flags=re.DOTALL)


FRAGMENT = 8  # the shortest run of the key's characters that is masked
MASK = "********"


class Secret:
    """An API key that never shows itself in a repr, a log line or an exception."""

    __slots__ = ("_grams", "_raw_grams", "_size", "_value")

    def __init__(self, value: str) -> None:
        self._value = value
        # A key shorter than FRAGMENT is masked only whole (the sandbox's is "sandbox").
        self._size = min(FRAGMENT, len(value))
        grams = {value[i:i + self._size] for i in range(len(value) - self._size + 1)} \
            if value else set()
        self._grams = frozenset(grams)
        self._raw_grams = tuple(g.encode("utf-8") for g in grams)

    def reveal(self) -> str:
        return self._value

    def redact(self, text: str) -> str:
        """`text` with every run of FRAGMENT or more of the key's characters masked."""
        size, grams = self._size, self._grams
        if not grams or len(text) < size:
            return text
        hits = [i for i in range(len(text) - size + 1) if text[i:i + size] in grams]
        if not hits:
            return text
        out: list[str] = []
        start = end = -1  # the masked run being built: text[start:end]
        shown = 0
        for i in hits:
            if i > end:
                if end >= 0:
                    out.extend((text[shown:start], MASK))
                    shown = end
                start = i
            end = i + size
        out.extend((text[shown:start], MASK, text[end:]))
        return "".join(out)

    def may_appear_in(self, body: bytes) -> bool:
        """Whether a JSON body may hold a fragment of the key once decoded: one does, or the
        body has escapes (`\\u0041` decodes to a character that the bytes do not show).

        A key shorter than FRAGMENT (no real one is) could not be told apart from ordinary
        text (`bench` in `lst_bench`): it is masked only in error messages (`redact`)."""
        if self._size < FRAGMENT:
            return False
        return b"\\" in body or any(g in body for g in self._raw_grams)

    def redact_all(self, doc: Any) -> Any:
        """A decoded JSON document with every string in it (keys too) redacted."""
        if isinstance(doc, str):
            return self.redact(doc)
        if isinstance(doc, list):
            return [self.redact_all(item) for item in doc]
        if isinstance(doc, dict):
            return {self.redact(str(k)): self.redact_all(v) for k, v in doc.items()}
        return doc

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("an API key cannot be pickled")
