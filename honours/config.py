"""Settings, read from environment variables in one place."""
import os

DEFAULT_SECRET_KEY = "dev-insecure-change-me"  # nosec B105 # a placeholder, refused in production


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class InsecureConfiguration(RuntimeError):
    """A production setting would leave the platform open: refuse to start rather than run like that."""


MIN_SECRET_KEY_LENGTH = 16
# Written by `make run` on first start (mode 0600) and read when SECRET_KEY is not set.
SECRET_KEY_FILE = "secret_key"  # nosec B105 # a file name, not a key


def read_secret_key_file(config, instance_path: str) -> None:
    """Without SECRET_KEY in the environment, use the key `make run` generated into the instance folder."""
    if config.get("SECRET_KEY") != DEFAULT_SECRET_KEY:
        return
    try:
        with open(os.path.join(instance_path, SECRET_KEY_FILE), encoding="utf-8") as stored:
            key = stored.read().strip()
    except OSError:
        return
    if len(key) >= MIN_SECRET_KEY_LENGTH:
        config["SECRET_KEY"] = key


def uses_default_secret_key(config) -> bool:
    """Anyone can sign a session cookie with the published default: such an app may serve loopback only."""
    return (config.get("SECRET_KEY") or DEFAULT_SECRET_KEY) == DEFAULT_SECRET_KEY


def finalise(config) -> None:
    """Settings derived from PRODUCTION, applied after any override (tests pass PRODUCTION=True in a dict)."""
    production = bool(config["PRODUCTION"])
    if production:
        key = config.get("SECRET_KEY") or ""
        if key == DEFAULT_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
            raise InsecureConfiguration(
                "HONOURS_ENV=production: set SECRET_KEY to a long random value (the same on every app server), "
                "e.g. python -c 'import secrets; print(secrets.token_hex(32))'. Refusing to start with the "
                f"default or a key shorter than {MIN_SECRET_KEY_LENGTH} characters.")
        totp_key = config.get("TOTP_ENCRYPTION_KEY") or ""
        if len(totp_key) < MIN_SECRET_KEY_LENGTH or totp_key == key:
            raise InsecureConfiguration(
                "HONOURS_ENV=production: set TOTP_ENCRYPTION_KEY to a long random value different from "
                "SECRET_KEY (it encrypts the two-step login secrets; keep it, or enrolled users must enrol again).")
    # Cookies only over HTTPS in production; links built outside a request (emails) use https.
    config["SESSION_COOKIE_SECURE"] = production
    config["REMEMBER_COOKIE_SECURE"] = production
    config["PREFERRED_URL_SCHEME"] = "https" if production else "http"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    # None means "SQLite file in the instance folder" (filled in by create_app).
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    PRODUCTION = os.environ.get("HONOURS_ENV", "development") == "production"
    # Cookies: never readable from JavaScript, not sent on cross-site POSTs; Secure is set by finalise().
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Strict-Transport-Security max-age (production only): browsers then refuse plain HTTP for this long.
    HSTS_MAX_AGE = _int("HSTS_MAX_AGE", 365 * 24 * 3600)
    # Reverse proxies (nginx, a load balancer) in front of the app whose X-Forwarded-For/-Proto/-Host are
    # trusted; 0 = none (the headers are ignored, so a client cannot fake its address for login throttling).
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
    # The path the app is served under when not at the root of its host (e.g. "/vinh-danh-tri-thuc"); the
    # same variable gunicorn reads. A SCRIPT_NAME sent by a client or proxy is ignored (core/http.py).
    SCRIPT_ROOT = os.environ.get("SCRIPT_NAME", "")

    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER")  # default: <instance>/uploads
    MAX_ATTACHMENT_BYTES = _int("MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
    MAX_DOSSIER_ATTACHMENT_BYTES = _int("MAX_DOSSIER_ATTACHMENT_BYTES", 40 * 1024 * 1024)
    MAX_FILES_PER_DOSSIER = _int("MAX_FILES_PER_DOSSIER", 20)  # current files of a dossier (or a referral)
    # Flask refuses bigger request bodies outright (413); a little headroom for the form fields.
    MAX_CONTENT_LENGTH = MAX_ATTACHMENT_BYTES + 1024 * 1024
    # Uploaded JPEG/PNG larger than this (width x height) are refused before decoding (decompression bombs).
    MAX_IMAGE_PIXELS = _int("MAX_IMAGE_PIXELS", 40_000_000)
    # Excel imports: at most this many data rows, and the zip's declared uncompressed size (zip bombs).
    IMPORT_MAX_ROWS = _int("IMPORT_MAX_ROWS", 10_000)
    # A dossier import file larger than this (a few hundred rows) is checked and imported by the background-jobs
    # worker, the user watching its progress, instead of inside the web request.
    IMPORT_BACKGROUND_BYTES = _int("IMPORT_BACKGROUND_BYTES", 48 * 1024)
    IMPORT_MAX_UNZIPPED_BYTES = _int("IMPORT_MAX_UNZIPPED_BYTES", 50 * 1024 * 1024)
    # ... and of any one part, and the entries of its shared-strings table (read before any row).
    IMPORT_MAX_PART_BYTES = _int("IMPORT_MAX_PART_BYTES", 25 * 1024 * 1024)
    IMPORT_MAX_SHARED_STRINGS = _int("IMPORT_MAX_SHARED_STRINGS", 200_000)
    # The upload is parsed in a child process killed after this much CPU time or wall-clock time (more, for a
    # busy server), or when it allocates more than this much memory: a hostile file never holds a worker for long.
    # A 10,000-row file takes 1-2 s of CPU.
    IMPORT_PARSE_CPU_SECONDS = _int("IMPORT_PARSE_CPU_SECONDS", 10)
    IMPORT_PARSE_SECONDS = _int("IMPORT_PARSE_SECONDS", 20)
    IMPORT_PARSE_MEMORY_BYTES = _int("IMPORT_PARSE_MEMORY_BYTES", 512 * 1024 * 1024)
    # Staff lists (honours.intake): bigger than a round's dossiers (50,000 rows must load), so their own limits;
    # a 50,000-row file takes 5-10 s of CPU to parse. The other protections are the imports' own.
    INTAKE_MAX_ROWS = _int("INTAKE_MAX_ROWS", 50_000)
    INTAKE_MAX_UNZIPPED_BYTES = _int("INTAKE_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024)
    INTAKE_MAX_PART_BYTES = _int("INTAKE_MAX_PART_BYTES", 150 * 1024 * 1024)
    INTAKE_MAX_SHARED_STRINGS = _int("INTAKE_MAX_SHARED_STRINGS", 1_000_000)
    INTAKE_PARSE_CPU_SECONDS = _int("INTAKE_PARSE_CPU_SECONDS", 60)
    INTAKE_PARSE_SECONDS = _int("INTAKE_PARSE_SECONDS", 90)
    INTAKE_PARSE_MEMORY_BYTES = _int("INTAKE_PARSE_MEMORY_BYTES", 1024 * 1024 * 1024)
    # Imports (dossiers or accounts) one account may start within the window; more are refused until it passes.
    IMPORT_RATE_LIMIT = _int("IMPORT_RATE_LIMIT", 10)
    IMPORT_RATE_WINDOW_MINUTES = _int("IMPORT_RATE_WINDOW_MINUTES", 10)
    # Days an emailed set-password (invitation) link stays valid.
    INVITATION_DAYS = _int("INVITATION_DAYS", 7)
    # How long the link asking a nominee for consent works (it also stops once used or when a new one is sent).
    CONSENT_LINK_DAYS = _int("CONSENT_LINK_DAYS", 30)
    # "Quên mật khẩu": minutes an emailed reset link stays valid, and the requests allowed per email address and
    # per client address within the window (more are refused until it passes, whether the account exists or not).
    PASSWORD_RESET_MINUTES = _int("PASSWORD_RESET_MINUTES", 60)
    PASSWORD_RESET_PER_EMAIL = _int("PASSWORD_RESET_PER_EMAIL", 3)
    PASSWORD_RESET_PER_IP = _int("PASSWORD_RESET_PER_IP", 20)
    PASSWORD_RESET_WINDOW_MINUTES = _int("PASSWORD_RESET_WINDOW_MINUTES", 60)

    # The person's rights online (honours/privacy): hours an emailed "your data" link stays valid; link requests
    # allowed per email address and per client address within the window; calendar days to complete a request
    # (Decree 356/2025/ND-CP: acknowledge within 2 working days, complete within 15 days for most requests —
    # docs/personal-data.md); days before the deadline from which an open request counts as due soon.
    DATA_SUBJECT_LINK_HOURS = _int("DATA_SUBJECT_LINK_HOURS", 24)
    DATA_SUBJECT_LINK_PER_EMAIL = _int("DATA_SUBJECT_LINK_PER_EMAIL", 3)
    DATA_SUBJECT_LINK_PER_IP = _int("DATA_SUBJECT_LINK_PER_IP", 20)
    DATA_SUBJECT_LINK_WINDOW_MINUTES = _int("DATA_SUBJECT_LINK_WINDOW_MINUTES", 60)
    DATA_REQUEST_DAYS = _int("DATA_REQUEST_DAYS", 15)
    DATA_REQUEST_DUE_SOON_DAYS = _int("DATA_REQUEST_DUE_SOON_DAYS", 3)
    # Public notice of the proposed list (honours/notice): opinions one client address may send within the window.
    NOTICE_OPINIONS_PER_IP = _int("NOTICE_OPINIONS_PER_IP", 5)
    NOTICE_OPINION_WINDOW_MINUTES = _int("NOTICE_OPINION_WINDOW_MINUTES", 60)
    # Complaints (honours/complaints), Luật Khiếu nại 2011 (Law 02/2011/QH13): Art. 9 (90 days to lodge, the
    # default of a round's complaint_days), Art. 27 (10 days to accept or refuse), Art. 28 (30 days to resolve from
    # acceptance, 45 for a complex case). docs/complaints.md.
    COMPLAINT_ACCEPT_DAYS = _int("COMPLAINT_ACCEPT_DAYS", 10)
    COMPLAINT_RESOLVE_DAYS = _int("COMPLAINT_RESOLVE_DAYS", 30)
    COMPLAINT_RESOLVE_COMPLEX_DAYS = _int("COMPLAINT_RESOLVE_COMPLEX_DAYS", 45)
    # Days a complaint link emailed to a nominee stays valid; requests per email and per client address per hour.
    COMPLAINT_LINK_DAYS = _int("COMPLAINT_LINK_DAYS", 7)
    COMPLAINT_LINKS_PER_IP = _int("COMPLAINT_LINKS_PER_IP", 10)
    # Certificate verification pages (/xac-minh/<code>) a client address may open per window (found or not).
    CERTIFICATE_VERIFY_PER_IP = _int("CERTIFICATE_VERIFY_PER_IP", 30)
    CERTIFICATE_VERIFY_WINDOW_MINUTES = _int("CERTIFICATE_VERIFY_WINDOW_MINUTES", 10)

    # Storage limitation (honours/retention, `flask retention run`; docs/personal-data.md says why these periods):
    # files of dossiers never honoured, kept N years after their round's council; login throttling records with no
    # attempt for N days; Excel import error reports older than N days.
    RETENTION_UNHONOURED_ATTACHMENT_YEARS = _int("RETENTION_UNHONOURED_ATTACHMENT_YEARS", 5)
    # Files of referrals declined, never submitted, or whose pool entry was retired: N years after that.
    RETENTION_REFERRAL_ATTACHMENT_YEARS = _int("RETENTION_REFERRAL_ATTACHMENT_YEARS", 5)
    RETENTION_LOGIN_FAILURE_DAYS = _int("RETENTION_LOGIN_FAILURE_DAYS", 90)
    RETENTION_IMPORT_REPORT_DAYS = _int("RETENTION_IMPORT_REPORT_DAYS", 7)

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Ban thư ký <no-reply@honours.local>")
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_BACKOFF_SECONDS = _int("OUTBOX_BACKOFF_SECONDS", 60)
    # A worker that claimed a message longer ago than this died mid-send; the message is sent again.
    OUTBOX_LEASE_SECONDS = _int("OUTBOX_LEASE_SECONDS", 900)

    # Background jobs (honours/core/jobs, `flask jobs work`): a running job whose heartbeat is older than this
    # belongs to a worker that died and is run again from the start, at most JOBS_MAX_ATTEMPTS times in all, then
    # failed with a message. The worker looks for new jobs every JOBS_IDLE_SECONDS when it has nothing to do.
    JOBS_STALE_SECONDS = _int("JOBS_STALE_SECONDS", 300)
    JOBS_MAX_ATTEMPTS = _int("JOBS_MAX_ATTEMPTS", 3)
    JOBS_IDLE_SECONDS = _int("JOBS_IDLE_SECONDS", 2)
    # A finished job's file (an export holds personal data) is deleted this many days after the job ended.
    JOBS_RESULT_DAYS = _int("JOBS_RESULT_DAYS", 7)

    # Login throttling (auth/throttling.py): attempts that go through at once per account / per address, then a
    # delay from LOGIN_DELAY_SECONDS doubling up to LOGIN_MAX_DELAY_SECONDS; never a lock. A run of attempts is
    # forgotten after LOGIN_FAILURE_WINDOW_MINUTES without any.
    LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5)
    LOGIN_MAX_FAILURES_PER_IP = _int("LOGIN_MAX_FAILURES_PER_IP", 30)
    LOGIN_DELAY_SECONDS = _int("LOGIN_DELAY_SECONDS", 15)
    LOGIN_MAX_DELAY_SECONDS = _int("LOGIN_MAX_DELAY_SECONDS", 300)
    LOGIN_FAILURE_WINDOW_MINUTES = _int("LOGIN_FAILURE_WINDOW_MINUTES", 15)
    # A browser that signed in carries a signed "known device" cookie this long (its attempts count on their own).
    KNOWN_DEVICE_DAYS = _int("KNOWN_DEVICE_DAYS", 180)
    # Login throttling counts failures in Redis when set (else in the database); keys start with the prefix.
    REDIS_URL = os.environ.get("REDIS_URL")
    REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "honours:")
    # A signed-in user idle longer than this is signed out on the next request.
    SESSION_IDLE_MINUTES = _int("SESSION_IDLE_MINUTES", 30)
    # However active, a session ends this many hours after its sign-in.
    SESSION_MAX_HOURS = _int("SESSION_MAX_HOURS", 12)
    # Time to enter the second-factor code after the password step.
    TWO_FACTOR_PENDING_MINUTES = _int("TWO_FACTOR_PENDING_MINUTES", 5)
    TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "Trí thức Bắc Ninh")
    # Encrypts the stored TOTP secrets (required in production; derived from SECRET_KEY on a developer's machine).
    TOTP_ENCRYPTION_KEY = os.environ.get("TOTP_ENCRYPTION_KEY")

    # Official documents (honours/documents, Decree 30/2020 layout): the issuing bodies named top left, and the place
    # of the date line.
    DOCUMENT_COUNCIL_NAME = os.environ.get("DOCUMENT_COUNCIL_NAME", "Hội đồng xét tôn vinh Trí thức Bắc Ninh tiêu biểu")
    DOCUMENT_UNION_NAME = os.environ.get("DOCUMENT_UNION_NAME",
                                         "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Bắc Ninh")
    DOCUMENT_PROVINCE_NAME = os.environ.get("DOCUMENT_PROVINCE_NAME", "Ủy ban nhân dân tỉnh Bắc Ninh")
    DOCUMENT_PLACE = os.environ.get("DOCUMENT_PLACE", "Bắc Ninh")

    # Signed documents (honours/decisions, honours/core/signing.py): the PEM bundle of the certification
    # authorities whose signatures on an uploaded provincial decision count as trusted (empty: signatures are
    # checked for integrity only), and the limits of that check (the file is parsed in a child process).
    TRUSTED_SIGNING_CAS = os.environ.get("TRUSTED_SIGNING_CAS", "")
    SIGNATURE_CHECK_CPU_SECONDS = _int("SIGNATURE_CHECK_CPU_SECONDS", 10)
    SIGNATURE_CHECK_SECONDS = _int("SIGNATURE_CHECK_SECONDS", 15)
    SIGNATURE_CHECK_MEMORY_BYTES = _int("SIGNATURE_CHECK_MEMORY_BYTES", 512 * 1024 * 1024)
    # The organisation's own certificate (PKCS#12 file) signing the minutes and certificates it generates, and
    # its password; empty: generated PDFs are not signed.
    SIGNING_PKCS12 = os.environ.get("SIGNING_PKCS12", "")
    SIGNING_PKCS12_PASSWORD = os.environ.get("SIGNING_PKCS12_PASSWORD", "")

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
    PER_PAGE = 25
    # Months between periodic screenings (sàng lọc định kỳ) of a talent pool member.
    TALENT_REVIEW_MONTHS = _int("TALENT_REVIEW_MONTHS", 12)
    # Different persons (name + birth date) a nominator account may check for a duplicate nomination in 24 hours.
    DUPLICATE_CHECKS_PER_DAY = _int("DUPLICATE_CHECKS_PER_DAY", 30)
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Who the public home page tells nominators to contact about an open call (the secretariat); empty: not shown.
    PUBLIC_CONTACT_EMAIL = os.environ.get("PUBLIC_CONTACT_EMAIL", "" if PRODUCTION else "bantuky@example.vn")
    PUBLIC_CONTACT_PHONE = os.environ.get("PUBLIC_CONTACT_PHONE", "" if PRODUCTION else "0222 3 800 000")
    PUBLIC_CONTACT_ADDRESS = os.environ.get("PUBLIC_CONTACT_ADDRESS", "")
    # Anonymous views of the public honoured list are served from a per-process copy this many seconds old at
    # most (a commit in the process refreshes it at once); 0 turns the copy off.
    PUBLIC_PAGE_CACHE_SECONDS = _int("PUBLIC_PAGE_CACHE_SECONDS", 5)
