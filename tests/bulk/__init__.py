"""Tests of bulk actions (fund/bulk/)."""
