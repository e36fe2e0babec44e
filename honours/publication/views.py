"""Publication: the secretariat publishes; the public honoured list, per-honouree pages, exports (being written)."""
from flask import Blueprint

bp = Blueprint("publication", __name__)
