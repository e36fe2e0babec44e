"""Every action, entity type and state the code base can write into the audit log has a label (honours.core.
audit_labels), so the log reads in words: from every Workflow's transitions, and from every `audit.record(...)`
call in honours/ (a static scan of its literal arguments; constants are resolved in their module)."""
import ast
import importlib
from pathlib import Path

import pytest

from honours.core import audit_labels
from honours.core.roles import ALL_ROLES
from honours.core.workflow import registry

ROOT = Path(__file__).resolve().parents[2]
HONOURS = ROOT / "honours"
# Calls whose entity type and action are not literals, and why that is fine.
DYNAMIC_CALLS = {
    "honours/core/workflow.py": "the engine: every Workflow's entity type and transitions are checked below",
}
# States computed at the call site, on objects without a workflow: the values they can take.
DYNAMIC_STATES = {
    ("honours/auth/services.py", "user"): {*ALL_ROLES, *(f"{role}{audit_labels.CHAIR_SUFFIX}" for role in ALL_ROLES)},
}
UNKNOWN = object()


def _values(node, namespace) -> set[str] | object:
    """The strings an argument can be: literals, both arms of `a if c else b`, or a module constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _values(node.body, namespace), _values(node.orelse, namespace)
        return UNKNOWN if UNKNOWN in (body, orelse) else body | orelse
    if isinstance(node, (ast.Name, ast.Attribute)):
        try:
            value = eval(compile(ast.Expression(node), "<audit-scan>", "eval"), namespace)  # noqa: S307
        except Exception:
            return UNKNOWN
        return {value} if isinstance(value, str) else UNKNOWN
    return UNKNOWN


def _is_audit_record(call: ast.Call, imports_record: bool) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr == "record" and isinstance(func.value, ast.Name) and func.value.id == "audit"
    return imports_record and isinstance(func, ast.Name) and func.id == "record"


def _argument(call: ast.Call, position: int, name: str):
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == name), None)


def scan() -> list[dict]:
    """Every audit.record(actor, entity_type, entity_id, action, from_state, to_state, ...) call in honours/."""
    calls = []
    for path in sorted(HONOURS.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative == "honours/core/audit.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_record = any(isinstance(n, ast.ImportFrom) and n.module == "honours.core.audit"
                             and any(alias.name == "record" for alias in n.names) for n in ast.walk(tree))
        found = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _is_audit_record(n, imports_record)]
        if not found:
            continue
        module = importlib.import_module(relative.removesuffix(".py").replace("/", "."))
        namespace = vars(module)
        for call in found:
            values = {name: _values(node, namespace) if node is not None else {""}
                      for name, node in (("entity_type", _argument(call, 1, "entity_type")),
                                         ("action", _argument(call, 3, "action")),
                                         ("from_state", _argument(call, 4, "from_state")),
                                         ("to_state", _argument(call, 5, "to_state")))}
            calls.append({"where": f"{relative}:{call.lineno}", "path": relative, **values})
    return calls


@pytest.fixture(scope="module")
def calls(module_app):
    with module_app.app_context():
        return scan()


@pytest.fixture(scope="module")
def workflows(module_app):
    return registry()


def test_the_scan_finds_the_call_sites(calls):
    assert len(calls) > 30  # a scanner that finds nothing would pass every check below
    actions = {a for c in calls if c["action"] is not UNKNOWN for a in c["action"]}
    assert {"open", "open_early", "publish", "lock", "assign_reviewer"} <= actions


def test_every_recorded_action_and_entity_type_has_a_label(calls):
    missing, dynamic = [], []
    for call in calls:
        if UNKNOWN in (call["entity_type"], call["action"]):
            if call["path"] not in DYNAMIC_CALLS:
                dynamic.append(call["where"])
            continue
        for entity_type in call["entity_type"]:
            if entity_type not in audit_labels.ENTITIES:
                missing.append(f"{call['where']}: entity type {entity_type!r}")
            for action in call["action"]:
                if not audit_labels.has_action_label(entity_type, action):
                    missing.append(f"{call['where']}: action {entity_type}.{action}")
    assert not dynamic, f"audit.record with a computed entity type or action (make it literal or explain): {dynamic}"
    assert not missing, "add these to honours/core/audit_labels.py:\n" + "\n".join(missing)


def test_every_recorded_state_has_a_label(calls, workflows):
    with_workflow = {w.entity_type for w in workflows}
    missing = []
    for call in calls:
        if call["entity_type"] is UNKNOWN:
            continue
        for entity_type in call["entity_type"]:
            for key in ("from_state", "to_state"):
                states = call[key]
                if states is UNKNOWN:
                    states = DYNAMIC_STATES.get((call["path"], entity_type))
                    if states is None:
                        if entity_type not in with_workflow:  # the object's own state: its workflow labels it
                            missing.append(f"{call['where']}: computed {key} of {entity_type!r} (no workflow)")
                        continue
                missing += [f"{call['where']}: state {entity_type}.{s}" for s in states
                            if not audit_labels.has_state_label(entity_type, s)]
    assert not missing, "add these to honours/core/audit_labels.py STATES:\n" + "\n".join(missing)


def test_every_workflow_action_entity_type_and_state_has_a_label(workflows):
    missing = []
    assert {"dossier", "council_session", "talent_match", "referral"} <= {w.entity_type for w in workflows}
    for workflow in workflows:
        if workflow.entity_type not in audit_labels.ENTITIES:
            missing.append(f"entity type {workflow.entity_type!r}")
        for transition in workflow.transitions.values():
            action = transition.audit_action or transition.action
            if not audit_labels.has_action_label(workflow.entity_type, action):
                missing.append(f"action {workflow.entity_type}.{action}")
        for state, label in workflow.states.items():
            if not str(label).strip() or str(label) == state:
                missing.append(f"state {workflow.entity_type}.{state}")
    assert not missing, "add these to honours/core/audit_labels.py:\n" + "\n".join(missing)


def test_the_action_filter_shows_no_two_codes_under_one_label(module_app):
    with module_app.test_request_context():
        labels = [str(label) for label in audit_labels.ACTIONS.values()]
    duplicated = sorted({label for label in labels if labels.count(label) > 1})
    assert not duplicated, duplicated


def test_labels_read_in_words_and_follow_the_language(module_app):
    with module_app.test_request_context():
        assert audit_labels.action_label("talent_pool_entry", "review_keep") == "Sàng lọc định kỳ: giữ nguyên"
        assert audit_labels.action_label("council_session", "close") == "Đóng bỏ phiếu"
        assert audit_labels.action_label("talent_need", "close") == "Đóng nhu cầu"
        assert audit_labels.state_label("talent_match", "engaged") == "Đã tham gia nhiệm vụ"
        assert audit_labels.state_label("user", "council chair") == "Thành viên hội đồng (Chủ tịch Hội đồng)"
        assert audit_labels.entity_label("talent_match") == "Đề xuất người cho nhu cầu"
        # Bare numbers of older entries say what they count; a role code is named.
        assert audit_labels.reason_text("round", "publish", "12") == "12 người được tôn vinh"
        assert audit_labels.reason_text("user", "totp_recovery_code_used", "7") == "Còn 7 mã khôi phục"
        assert audit_labels.reason_text("security_policy", "require_totp", "secretariat") == "Thư ký"
        assert audit_labels.reason_text("dossier", "return", "Thiếu minh chứng") == "Thiếu minh chứng"
    from flask_babel import force_locale

    with module_app.test_request_context(), force_locale("en"):
        assert audit_labels.action_label("council_session", "open_early") == "Council session opened early"
        assert audit_labels.state_label("dossier", "returned") == "Returned for supplement"
