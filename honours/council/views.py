"""Council session, secret ballot, chair confirmation, decision and minutes (being written)."""
from flask import Blueprint

bp = Blueprint("council", __name__, url_prefix="/council")
