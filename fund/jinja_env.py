"""The app's Jinja environment: Flask's, reading a dict's keys written as attributes fast."""

from __future__ import annotations

from typing import Any

from flask.templating import Environment

# A name a dict has as an attribute (`items`, `get`, ...): Jinja gives the method, not the key.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class TemplateEnvironment(Environment):
    """Flask's template environment, reading `row.total` from a plain dict as `row["total"]`.

    Jinja tries the attribute first and reads the key only after the attribute lookup failed:
    an exception raised and caught for every such cell of a list page (figures, labels,
    counts), which cost more than the cell itself. The result is the same: a name that is an
    attribute of dict is still looked up as Jinja does, and a missing key is still undefined.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        try:  # the attribute of anything else, with no call of Jinja's on the way (a list page
            # reads a thousand)
            return getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)  # Jinja's own way: an item, else undefined
