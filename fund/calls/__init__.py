"""Calls for proposals: the secretariat runs them, anyone can read the open ones."""
