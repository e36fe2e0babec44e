"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` (see README, "Production").

Every value can be changed through the environment without editing this file.
"""
import ipaddress
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# Behind nginx on the same host keep 127.0.0.1; behind a load balancer on another host use 0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")


def _loopback(address: str) -> bool:
    host = address.rsplit(":", 1)[0].strip("[]") if not address.startswith("unix:") else "127.0.0.1"
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def on_starting(server):
    """Refuse to serve anything but loopback with the published default key (anyone could forge a session cookie):
    the app refuses such requests one by one too, this says so at once."""
    from honours import create_app
    from honours.config import uses_default_secret_key

    app = create_app()  # reads SECRET_KEY, or instance/secret_key written by `make run`
    binds = server.cfg.bind or [bind]
    if uses_default_secret_key(app.config) and not all(_loopback(address) for address in binds):
        raise SystemExit(f"Refusing to serve {', '.join(binds)} with the default SECRET_KEY: set SECRET_KEY "
                         "(see README, Production).")


# Synchronous workers: the app does blocking database and file work. Classic sizing is 2 x CPU + 1.
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)
# A request (Excel export, minutes PDF, a 10 MB upload from a slow line) is killed after this many seconds.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On restart/reload, workers finish the requests in flight for up to this long.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Each worker imports the app itself: no database connections shared across fork, and a reload (HUP) picks
# up new code.
preload_app = False
# Recycle workers now and then (memory growth from big exports); the jitter keeps them from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Addresses whose X-Forwarded-Proto gunicorn believes (the TLS proxy). The client address itself is taken
# from X-Forwarded-For by the app, for TRUSTED_PROXIES proxies (werkzeug ProxyFix).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Nothing in a request, not even from those proxies, sets SCRIPT_NAME or PATH_INFO (gunicorn's default accepts
# both as headers from them; proxies pass clients' headers through): SCRIPT_NAME, the prefix of every link, is
# the operator's setting (the SCRIPT_NAME environment variable, read by the app too). Header names with an
# underscore are dropped, so a client cannot pass one off as another.
forwarder_headers = ""
header_map = "drop"

# Logs to stdout/stderr (journald or the container runtime collects them). The access log shows the client
# address as forwarded by the proxy, the request, status, size, duration in microseconds and the user agent.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus "%(f)s" "%(a)s"'

# Worker heartbeat files on a memory file system when there is one (a slow disk can make workers look dead).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
