"""Payments: bank details entered by an organisation's members and approved by the
secretariat, tranche payments approved by a second person, and the bank file of approved ones."""
