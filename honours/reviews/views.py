"""Secretariat: the round's council, reviewer assignment, results and ranking (being written)."""
from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/rounds")
