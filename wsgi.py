"""The one module-level application, for `gunicorn wsgi:app` and `flask --app wsgi`."""

from fund import create_app

app = create_app()
