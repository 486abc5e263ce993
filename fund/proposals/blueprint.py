"""The proposals blueprint; its routes live in views.py (drafting) and submission_views.py."""

from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/proposals")
