"""The portfolio: where the fund's money went and what it did, in aggregates only (for the
secretariat, the chairs and the observers)."""
