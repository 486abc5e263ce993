"""Settings classes, read from environment variables.

`create_app()` picks one by `FUND_ENV` (development, testing, production); tests pass their
own overrides into the factory instead.
"""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'fund.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Signed-cookie sessions, so several app servers can share them.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    # Every sign-in is a row on the server (fund/auth/sessions.py), ended by logout, a password
    # change or reset, and deactivation. "Keep me logged in" lasts at most 30 days.
    REMEMBER_COOKIE_DURATION = timedelta(days=min(30, int(os.environ.get("REMEMBER_DAYS", "30"))))
    SESSION_LIFETIME_HOURS = int(os.environ.get("SESSION_LIFETIME_HOURS", "24"))
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Open data: the 360Giving export and the public list of grants awarded. The prefix is the
    # fund's 360Giving identifier prefix (360G-...), used for grant and organisation ids.
    OPEN_DATA_PREFIX = os.environ.get("OPEN_DATA_PREFIX", "360G-inspirefund")
    FUNDER_NAME = os.environ.get("FUNDER_NAME", "INSPIRE Fund")
    FUNDER_ID = os.environ.get("FUNDER_ID", "360G-inspirefund")
    OPEN_DATA_LICENSE = os.environ.get(
        "OPEN_DATA_LICENSE", "https://creativecommons.org/licenses/by/4.0/"
    )

    # Mail goes through the outbox; these reach the SMTP server.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "8025"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "INSPIRE Fund <fund@localhost>")
    MAIL_SUPPRESS_SEND = _bool("MAIL_SUPPRESS_SEND", False)
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "6"))
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "15"))  # seconds per SMTP step
    # After a request's commit its mail goes from a background thread ("thread"), or only from
    # the cron job `flask fund send-mail` ("off"); "inline" sends before the response (tests).
    MAIL_SEND_AFTER_COMMIT = os.environ.get("MAIL_SEND_AFTER_COMMIT", "thread")

    # How many reverse proxies (nginx, a load balancer) stand in front of the app: their
    # X-Forwarded-For/-Proto headers are then trusted, so rate limits and the IP address recorded
    # on an accepted agreement are the client's, not the proxy's. 0 = no proxy.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # Rate limits (Flask-Limiter). The default storage is a SQLite file that every worker
    # process of one server shares (fund/ratelimits.py); use redis://host:port with several
    # servers. memory:// counts per process, so N workers would allow N times the limit.
    RATELIMIT_STORAGE_URI = os.environ.get(
        "RATELIMIT_STORAGE_URI", f"sqlite:///{BASE_DIR / 'instance' / 'ratelimits.sqlite3'}"
    )
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10 per minute;50 per hour")
    RATELIMIT_RESET = os.environ.get("RATELIMIT_RESET", "5 per minute;20 per hour")
    RATELIMIT_REGISTER = os.environ.get("RATELIMIT_REGISTER", "5 per minute;20 per hour")
    # Per e-mail address, whatever the client address: registrations and reset requests.
    RATELIMIT_PER_EMAIL = os.environ.get("RATELIMIT_PER_EMAIL", "5 per hour;10 per day")
    # Each open-data download of the flat formats runs a converter for about a second.
    RATELIMIT_OPEN_DATA = os.environ.get("RATELIMIT_OPEN_DATA", "10 per minute;60 per hour")
    # Per account, whatever the client address: this many wrong passwords within the window
    # pause password logins to the account for LOGIN_LOCK_MINUTES (its owner is e-mailed).
    LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
    LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))
    LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "15"))
    # The retention schedule (flask fund apply-retention, daily from cron; fund/admin/retention.py).
    RETAIN_UNVERIFIED_DAYS = int(os.environ.get("RETAIN_UNVERIFIED_DAYS", "30"))
    RETAIN_MAIL_DAYS = int(os.environ.get("RETAIN_MAIL_DAYS", "90"))
    RETAIN_UNFUNDED_YEARS = int(os.environ.get("RETAIN_UNFUNDED_YEARS", "3"))
    RETAIN_GRANT_YEARS = int(os.environ.get("RETAIN_GRANT_YEARS", "7"))
    # Two-factor sign-in. Holders of these roles are held at enrolment until they set it up;
    # everyone else may. Codes are counted per account, whatever the client address.
    TWO_FACTOR_REQUIRED_ROLES = os.environ.get("TWO_FACTOR_REQUIRED_ROLES", "admin,chair")
    RATELIMIT_TWO_FACTOR = os.environ.get("RATELIMIT_TWO_FACTOR", "5 per 5 minutes;30 per day")
    # The name the authenticator app shows beside the codes.
    TWO_FACTOR_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "INSPIRE Fund")
    # Passkeys (WebAuthn): the site they belong to, and the address the browser must show.
    # Empty means derived from PUBLIC_URL (its host name, and its scheme://host[:port]).
    WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", "")
    WEBAUTHN_ORIGIN = os.environ.get("WEBAUTHN_ORIGIN", "")

    # Bank details are encrypted at rest (fund/encryption.py) with Fernet keys: one in
    # DATA_ENCRYPTION_KEY, or several, newest first, in DATA_ENCRYPTION_KEYS while rotating.
    # Development and tests derive one from SECRET_KEY when neither is set; production refuses.
    DATA_ENCRYPTION_KEY = os.environ.get("DATA_ENCRYPTION_KEY", "")
    DATA_ENCRYPTION_KEYS = os.environ.get("DATA_ENCRYPTION_KEYS", "")
    # Who may approve a payment someone else recorded: "admin", or "admin,chair" for a fund
    # with a single admin.
    PAYMENT_APPROVER_ROLES = os.environ.get("PAYMENT_APPROVER_ROLES", "admin")

    # Links sent by e-mail.
    VERIFY_EMAIL_MAX_AGE_HOURS = int(os.environ.get("VERIFY_EMAIL_MAX_AGE_HOURS", "72"))
    RESET_PASSWORD_MAX_AGE_HOURS = int(os.environ.get("RESET_PASSWORD_MAX_AGE_HOURS", "2"))
    INVITATION_MAX_AGE_HOURS = int(os.environ.get("INVITATION_MAX_AGE_HOURS", str(14 * 24)))

    # Uploads are stored outside static/ under random names.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "instance" / "uploads"))
    UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
    # Empty: uploads live in UPLOAD_FOLDER on this server's disk. With several app servers,
    # s3://bucket/prefix keeps them in an S3-compatible object store that all of them share
    # (fund/storage_backends.py); the endpoint (for stores other than Amazon's), region and keys
    # are below. Keys left empty: boto3's own chain (an instance role, ~/.aws).
    STORAGE_URL = os.environ.get("STORAGE_URL", "")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "")
    S3_REGION = os.environ.get("S3_REGION", "")
    S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID", "")
    S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY", "")
    MAX_CONTENT_LENGTH = UPLOAD_MAX_BYTES * 3

    # Flask-Compress: pages, styles, scripts and JSON leave compressed (a page of 70 KB is
    # 13 KB gzipped); uploads and exports are sent as they are.
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
    ]
    COMPRESS_ALGORITHM = ["br", "gzip"]

    LANGUAGES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português"}
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "fund" / "translations")

    # The World Bank fiscal year whose income groups decide eligibility.
    INCOME_GROUP_FISCAL_YEAR = os.environ.get("INCOME_GROUP_FISCAL_YEAR", "FY2027")
    # The address people reach the app at; links in e-mails start with it (never the Host header).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")


class DevelopmentConfig(Config):
    """Local work: SQLite under instance/, plain-HTTP cookies."""

    DEBUG = True
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    # The demo's staff accounts log in with a password alone, so trying it needs no phone app;
    # production holds admins and chairs at enrolment (Config above).
    TWO_FACTOR_REQUIRED_ROLES = os.environ.get("TWO_FACTOR_REQUIRED_ROLES", "")
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class TestingConfig(Config):
    """The test suite; tests override the database and mail settings through the factory."""

    TESTING = True
    SECRET_KEY = "testing"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    MAIL_SUPPRESS_SEND = True
    RATELIMIT_ENABLED = True
    # Tests sign staff in with a password alone; tests of two-factor sign-in set the roles.
    TWO_FACTOR_REQUIRED_ROLES = ""


class ProductionConfig(Config):
    """Production: refuses to start without a real secret key and database."""

    def __init__(self) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if not (os.environ.get("DATA_ENCRYPTION_KEY") or os.environ.get("DATA_ENCRYPTION_KEYS")):
            missing.append("DATA_ENCRYPTION_KEY")
        if missing:
            raise RuntimeError(
                "Production settings need these environment variables: " + ", ".join(missing)
            )
        # Read now, not at import, so the values are the ones the process was started with.
        self.SECRET_KEY = os.environ["SECRET_KEY"]
        self.SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
        self.DATA_ENCRYPTION_KEY = os.environ.get("DATA_ENCRYPTION_KEY", "")
        self.DATA_ENCRYPTION_KEYS = os.environ.get("DATA_ENCRYPTION_KEYS", "")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
