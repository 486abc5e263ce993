"""Bulk actions on the screening list, the ranking and the grants list: tick rows (or all
matching the filters), confirm what will happen to each, and apply each row's change on its own;
and the secretariat's broadcasts to whole audiences."""
