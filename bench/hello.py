"""The baseline: a bare Flask app served by the same gunicorn settings as the real one (bench/run.py)."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Xin chào, Bắc Ninh!"
