"""Grants: creation on award (creation.py); the grantee portal and follow-up come later."""
