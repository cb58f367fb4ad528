"""A small IAM policy evaluator over synthesized statements: explicit deny wins, then allow, else no.

Enough of IAM's rules to ask "may this role do X to Y" of a template: Action/NotAction and Resource with
`*`/`?` wildcards, and the condition operators the stacks use (an unknown one fails the test, so the
evaluator never quietly says yes). CloudFormation intrinsics in a Resource are compared as text: pass a
resource rendered the same way (`render`), e.g. `render({"Fn::GetAtt": ["Table", "Arn"]})`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any, Literal

Decision = Literal["allow", "deny", "implicit-deny"]


def render(value: Any) -> str:
    """A resource as comparable text: strings as they are, intrinsics as canonical JSON."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _matches(patterns: list[Any], value: str, *, case_sensitive: bool) -> bool:
    for pattern in patterns:
        text = render(pattern)
        if not isinstance(pattern, str):  # an intrinsic: the same reference or nothing
            if text == value:
                return True
            continue
        if case_sensitive:
            if fnmatchcase(value, text):
                return True
        elif fnmatchcase(value.lower(), text.lower()):
            return True
    return False


def _string_like(value: str, pattern: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."), value) is not None


def _condition_holds(operator: str, key: str, expected: list[Any], context: Mapping[str, Any]) -> bool:
    qualifier, _, base = operator.rpartition(":")
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    present = key in context
    values = [str(v) for v in _as_list(context.get(key, []))]
    wanted = [render(v) for v in expected]
    if not present and if_exists:
        return True
    negated = base.startswith(("StringNot", "ArnNot"))
    if base in ("StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals"):
        test = lambda v: v in wanted  # noqa: E731
    elif base in ("StringLike", "StringNotLike", "ArnLike", "ArnNotLike"):
        test = lambda v: any(_string_like(v, w) for w in wanted)  # noqa: E731
    elif base == "Bool":
        test = lambda v: v.lower() in [w.lower() for w in wanted]  # noqa: E731
    elif base == "Null":
        return (not present) is (wanted[0].lower() == "true")
    else:
        raise NotImplementedError(f"condition operator {operator}")
    if qualifier == "ForAllValues":
        holds = all(test(v) for v in values)  # true for no values at all, as in IAM
        return not holds if negated else holds
    if qualifier == "ForAnyValue":
        holds = any(test(v) for v in values)
        return not holds if negated else holds
    if qualifier:
        raise NotImplementedError(f"condition qualifier {qualifier}")
    if not present:
        return negated  # a missing key fails every positive test and passes every negated one
    matched = any(test(v) for v in values)
    return not matched if negated else matched


def _applies(statement: Mapping[str, Any], action: str, resource: str, context: Mapping[str, Any]) -> bool:
    if "Action" in statement and not _matches(_as_list(statement["Action"]), action, case_sensitive=False):
        return False
    if "NotAction" in statement and _matches(_as_list(statement["NotAction"]), action, case_sensitive=False):
        return False
    if "Resource" in statement and not _matches(
        _as_list(statement["Resource"]), resource, case_sensitive=True
    ):
        return False
    if "NotResource" in statement and _matches(
        _as_list(statement["NotResource"]), resource, case_sensitive=True
    ):
        return False
    for operator, tests in statement.get("Condition", {}).items():
        for key, expected in tests.items():
            if not _condition_holds(operator, key, _as_list(expected), context):
                return False
    return True


def evaluate(
    statements: list[Mapping[str, Any]], action: str, resource: str, context: Mapping[str, Any] | None = None
) -> Decision:
    applicable = [s for s in statements if _applies(s, action, resource, context or {})]
    if any(s["Effect"] == "Deny" for s in applicable):
        return "deny"
    if any(s["Effect"] == "Allow" for s in applicable):
        return "allow"
    return "implicit-deny"
