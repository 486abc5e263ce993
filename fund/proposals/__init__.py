"""Proposals: eligibility, drafting, submission, withdrawal and the applicant's view of them."""
