"""The INSPIRE Fund grants application: `create_app()` and the small helpers it calls."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from flask_compress import Compress
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS
from fund import storage_backends
from fund.jinja_env import TemplateEnvironment


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application; `test_config` overrides settings (tests pass theirs here)."""
    app = Flask(__name__, instance_relative_config=True)
    app.jinja_environment = TemplateEnvironment  # before anything makes the environment
    env = (test_config or {}).get("FUND_ENV") or os.environ.get("FUND_ENV", "development")
    if env not in CONFIGS:
        raise RuntimeError(f"FUND_ENV must be one of {', '.join(CONFIGS)}, not {env!r}")
    app.config.from_object(CONFIGS[env]())
    if test_config:
        app.config.from_mapping(test_config)
    refuse_breach_prone_settings(app.config)
    storage_backends.check_settings(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    register_translations(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_static_files(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_cli(app)
    return app


def refuse_breach_prone_settings(config: dict[str, Any]) -> None:
    """Compressed pages carry the CSRF token; only same-site cookies keep another site from
    sending the many signed-in requests the BREACH attack needs (README, "Caching and
    compression"). Refuse to start with compressed pages and cookies sent cross-site."""
    if "text/html" not in config.get("COMPRESS_MIMETYPES", ()):
        return
    for name in ("SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE"):
        if config.get(name) not in ("Lax", "Strict"):
            raise RuntimeError(
                f"{name} must be Lax or Strict while pages are compressed "
                "(or take text/html out of COMPRESS_MIMETYPES)"
            )


def register_translations(app: Flask) -> None:
    """Compile the translation catalogues that are missing or older than their .po files."""
    from fund import catalogues

    catalogues.prepare(app)


def register_extensions(app: Flask) -> None:
    """Bind the extension objects of fund/extensions.py to this app."""
    from fund import auth, i18n, outbox
    from fund.extensions import babel, csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    from fund import sqlite_cache  # a page cache that holds a busy page's rows (SQLite only)

    with app.app_context():
        sqlite_cache.install(db.engine)
    from fund.decisions import score_hook  # the ranking's statistics, kept at each flush

    score_hook.install(db.session)
    from fund.reviews import waiting_hook  # the waiting reviews' counts; after the score hook

    waiting_hook.install(db.session)
    from fund.calls import figures_hook  # each call's proposals per state and money; last

    figures_hook.install(db.session)
    migrations = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")
    migrate.init_app(app, db, directory=migrations, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    mail.init_app(app)
    outbox.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.install_template_gettext(app)  # after Flask-Babel's own: found once per request
    login_manager.init_app(app)
    auth.configure_login(login_manager)
    # One Flask-Compress per app: its instance keeps the app's settings (which types, which
    # algorithms), so a shared one would take the last app's settings for every app.
    app.extensions["compress"] = Compress(app)


def register_url_converters(app: Flask) -> None:
    """`<int:...>` accepts only ids a column can hold (others are 404); before any route."""
    from fund.numbers import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_blueprints(app: Flask) -> None:
    """One blueprint per area."""
    from fund.admin import audit_views, overview_views  # noqa: F401  (routes on the admin blueprint)
    from fund.admin.erasure_views import bp as erasure_admin_bp
    from fund.admin.retention_views import bp as retention_bp
    from fund.admin.views import bp as admin_bp
    from fund.auth.passkey_views import bp as passkeys_bp
    from fund.auth.personal_data_views import bp as my_data_bp
    from fund.auth.two_factor_views import bp as two_factor_bp
    from fund.auth.views import bp as auth_bp
    from fund.bulk.broadcast_views import bp as broadcasts_bp
    from fund.bulk.views import bp as bulk_bp
    from fund.calls import (  # noqa: F401  (routes on the calls blueprint)
        form_move_views,
        form_views,
        report_template_views,
        translation_views,
    )
    from fund.calls.views import bp as calls_bp
    from fund.decisions.views import bp as decisions_bp
    from fund.grants.amendment_views import bp as amendments_bp
    from fund.grants.report_views import bp as reports_bp
    from fund.grants.views import bp as grants_bp
    from fund.main.views import bp as main_bp
    from fund.messages import information_views  # noqa: F401  (routes on the messages blueprint)
    from fund.messages.views import bp as messages_bp
    from fund.opendata.views import bp as opendata_bp
    from fund.organisations.views import bp as organisations_bp
    from fund.payments.views import bp as payments_bp
    from fund.portfolio.views import bp as portfolio_bp
    from fund.privacy.views import bp as policies_bp
    from fund.proposals import concept_views as _concept  # noqa: F401  (routes on the blueprint)
    from fund.proposals import review_views, submission_views, views  # noqa: F401  (routes)
    from fund.proposals.blueprint import bp as proposals_bp
    from fund.reviews import concept_views, pool_views, profile_views, screening_views
    from fund.reviews import views as reviews_views
    from fund.safeguarding.views import bp as safeguarding_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(calls_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(two_factor_bp)
    app.register_blueprint(passkeys_bp)
    app.register_blueprint(my_data_bp)
    app.register_blueprint(erasure_admin_bp)
    app.register_blueprint(retention_bp)
    app.register_blueprint(policies_bp)
    app.register_blueprint(safeguarding_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(opendata_bp)  # before grants: /grants/awarded is not a grant
    app.register_blueprint(grants_bp)
    app.register_blueprint(amendments_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(decisions_bp)
    app.register_blueprint(reviews_views.bp)
    app.register_blueprint(screening_views.bp)
    app.register_blueprint(concept_views.bp)
    app.register_blueprint(pool_views.bp)
    app.register_blueprint(profile_views.bp)
    app.register_blueprint(portfolio_bp)
    app.register_blueprint(payments_bp)
    app.register_blueprint(messages_bp)
    app.register_blueprint(bulk_bp)
    app.register_blueprint(broadcasts_bp)


def register_static_files(app: Flask) -> None:
    """Static files under content-hashed names, cached for a year (fund/static_files.py)."""
    from fund import static_files, timezones

    static_files.register(app, {"timezones.json": timezones.all_zones_json()})


def register_error_handlers(app: Flask) -> None:
    """Friendly pages for every error; a 500 rolls back first."""
    from fund import errors

    errors.register(app)


def register_security_headers(app: Flask) -> None:
    """CSP, frame denial, nosniff and a referrer policy on every response."""
    from fund import security

    app.after_request(security.set_headers)


def register_template_helpers(app: Flask) -> None:
    """Names every template can use: permissions, workflow buttons, roles, formatting."""
    from fund import templating

    templating.register(app)


def register_cli(app: Flask) -> None:
    """`flask fund ...` commands."""
    from fund.cli import fund_cli

    app.cli.add_command(fund_cli)
