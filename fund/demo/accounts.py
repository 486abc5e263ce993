"""The demo accounts: one per role, all with the same password."""

from __future__ import annotations

from fund.models import Role

DEMO_PASSWORD = "inspire-demo-2027"

ACCOUNTS = (
    ("admin@example.org", "Amina Secretariat", (Role.ADMIN,)),
    # a second admin approves the payments the first records (never one's own)
    ("admin2@example.org", "Bruno Treasurer", (Role.ADMIN,)),
    ("chair@example.org", "Carlos Chair", (Role.CHAIR, Role.REVIEWER)),
    ("chair2@example.org", "Chiara Co-chair", (Role.CHAIR,)),
    ("reviewer@example.org", "Ruth Reviewer", (Role.REVIEWER,)),
    ("reviewer2@example.org", "Rahul Reviewer", (Role.REVIEWER,)),
    ("reviewer3@example.org", "Rosa Reviewer", (Role.REVIEWER,)),
    ("applicant@example.org", "Ana Applicant", (Role.APPLICANT,)),
    ("applicant2@example.org", "Kofi Applicant", (Role.APPLICANT,)),
    ("observer@example.org", "Olu Observer", (Role.OBSERVER,)),
    ("safeguarding@example.org", "Sade Safeguarding", (Role.SAFEGUARDING_LEAD,)),
)
