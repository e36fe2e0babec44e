"""The talent channel's blueprint: it owns `bp` and lists every route of the view modules (which do not import it)."""
from flask import Blueprint

from . import need_views, pool_views, views

bp = Blueprint("talent", __name__, url_prefix="/tien-cu")

bp.add_url_rule("/", view_func=views.index, methods=["GET"])
bp.add_url_rule("/moi", methods=["GET", "POST"], view_func=views.create)
bp.add_url_rule("/<int:referral_id>/sua", methods=["GET", "POST"], view_func=views.edit)
bp.add_url_rule("/<int:referral_id>", view_func=views.show, methods=["GET"])
bp.add_url_rule("/<int:referral_id>/nop", view_func=views.submit, methods=["POST"])
bp.add_url_rule("/<int:referral_id>/xoa", view_func=views.delete, methods=["POST"])
bp.add_url_rule("/<int:referral_id>/tep", view_func=views.upload, methods=["POST"])
bp.add_url_rule("/tep/<int:referral_attachment_id>/xoa", view_func=views.delete_attachment, methods=["POST"])
bp.add_url_rule("/tep/<int:referral_attachment_id>", view_func=views.download, methods=["GET"])
bp.add_url_rule("/sang-loc", view_func=views.inbox, methods=["GET"])
bp.add_url_rule("/<int:referral_id>/sang-loc", view_func=views.screen, methods=["POST"])
bp.add_url_rule("/nhu-cau", endpoint="needs", view_func=need_views.needs_list, methods=["GET"])
bp.add_url_rule("/nhu-cau/moi", methods=["GET", "POST"], view_func=need_views.need_create)
bp.add_url_rule("/nhu-cau/<int:need_id>/sua", methods=["GET", "POST"], view_func=need_views.need_edit)
bp.add_url_rule("/nhu-cau/<int:need_id>", view_func=need_views.need, methods=["GET"])
bp.add_url_rule("/nhu-cau/<int:need_id>/dong", view_func=need_views.need_close, methods=["POST"])
bp.add_url_rule("/nhu-cau/<int:need_id>/de-xuat", view_func=need_views.propose, methods=["POST"])
bp.add_url_rule("/ket-qua/<int:need_match_id>", view_func=need_views.outcome, methods=["POST"])
bp.add_url_rule("/nguon-nhan-tai", endpoint="pool", view_func=pool_views.pool_list, methods=["GET"])
bp.add_url_rule("/nguon-nhan-tai/qua-han", view_func=pool_views.overdue, methods=["GET"])
bp.add_url_rule("/nguon-nhan-tai/<int:pool_entry_id>", view_func=pool_views.entry, methods=["GET"])
bp.add_url_rule("/nguon-nhan-tai/<int:pool_entry_id>/sang-loc", view_func=pool_views.review, methods=["POST"])
