"""Council members: my dossiers, score sheets, conflict declarations (being written)."""
from flask import Blueprint

bp = Blueprint("scoring", __name__, url_prefix="/reviews")
