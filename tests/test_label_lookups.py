"""The busy lists' templates read their per-page label dicts by key: `label.x` on a dict makes
Jinja try an attribute first and catch the AttributeError, once per cell of every row."""

from __future__ import annotations

import pytest
from jinja2 import nodes

# The lists of 50 rows or more and the dicts of labels they set once for all their rows.
TEMPLATES = {
    "reviews/queue.html": {"label"},
    "reports/inbox.html": {"label", "titles", "last_label"},
}


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_label_dicts_are_read_by_key_not_by_attribute(app, name):
    source, _filename, _uptodate = app.jinja_env.loader.get_source(app.jinja_env, name)
    tree = app.jinja_env.parse(source)
    dicts = TEMPLATES[name]
    set_here = {
        target.name
        for assign in tree.find_all(nodes.Assign)
        for target in assign.find_all(nodes.Name)
        if target.ctx == "store" and isinstance(assign.node, nodes.Dict)
    }
    assert dicts <= set_here  # the dicts are still there, so the check below means something
    by_attribute = [
        f"{node.node.name}.{node.attr} (line {node.lineno})"
        for node in tree.find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name) and node.node.name in dicts
    ]
    assert by_attribute == []
