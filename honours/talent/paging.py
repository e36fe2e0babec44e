"""The page number and size of the talent lists."""
from flask import current_app, request


def per_page() -> int:
    return current_app.config["PER_PAGE"]


def page_number() -> int:
    return request.args.get("page", 1, type=int)
