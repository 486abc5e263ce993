"""The chairs' ranking of reviewed proposals, their decisions, letters and the quorum."""
