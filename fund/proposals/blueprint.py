"""The proposals blueprint; its routes live in views.py (drafting), review_views.py (check
your answers, submit) and submission_views.py (the proposal page, versions, withdrawing)."""

from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/proposals")
