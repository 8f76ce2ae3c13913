# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""A job's ``filter``: Cloudflare's grammar, checked before any request, and its canonical form.

Only this file knows what a filter looks like. It speaks no HTTP and knows no Ansible.

The grammar, rule by rule: its source, and how sure it is. "Filters page" is Cloudflare's
https://developers.cloudflare.com/logs/logpush/logpush-job/filters/ (cloudflare/cloudflare-docs,
``src/content/docs/logs/logpush/logpush-job/filters.mdx``); "SDK" is cloudflare-go v0
(``logpush.go``: the ``Operator`` constants, ``LogpushJobFilter`` and its ``Validate``; v0.116.0).

F1  The filter is JSON text holding an object with the key ``where`` (filters page: "if used, it must
    contain the ``where`` key"; SDK ``LogpushJobFilters{Where}``; Terraform provider issue #2470, a filter
    without ``where`` refused with "Key is missing"). Strong. Another top-level key: no source says;
    refused, the reading under which nothing is lost (it would be dropped or refused by Cloudflare).
F2  A node is a condition ``{"key", "operator", "value"}`` or a group ``{"and": [...]}`` / ``{"or": [...]}``
    whose value is a LIST of nodes; groups nest (filters page, "Logical Operators", its four examples;
    SDK ``And, Or []LogpushJobFilter``). Strong. A group holding any other key is refused (SDK ``Validate``:
    "And can't be set with Or, Key, Operator or Value"). Strong for the SDK, medium for the API.
F3  An empty and/or list: the SDK lets it through; what the API does is not known. Refused: an empty
    group tests nothing, so the user loses nothing by leaving it out.
F4  A condition has key (a field name), operator and value, all three (SDK ``Validate``: "Key is
    missing", "Operator is missing", "Value is missing"; a null value counts as missing). Strong for the
    SDK. A fourth key: not known whether the API ignores or refuses it; refused (nothing is lost).
    Keys are lower case as documented; ``Key`` or ``AND`` are refused with the spelling to use.
F5  The operators, exactly as Cloudflare spells them, case included: eq, !eq, lt, leq, gt, geq,
    startsWith, endsWith, !startsWith, !endsWith, contains, !contains, in, !in (filters page table; SDK
    constants). Strong for the spelling; that another case (``startswith``) is refused: the API's
    matching is not documented, the SDK constants are exact, and refusing loses nothing. ``neq``
    (written in the Instant Logs page's and the 2024 OpenAPI schema's examples, but in no operator
    table) is refused with "did you mean !eq?".
F6  The value's shape per operator (filters page table, its columns and examples): in/!in a non-empty
    list of strings or numbers (examples ``[200,201]``; cloudflare-docs issue #26491: Cloudflare refused
    ``"200,201"`` for ``in`` with "bad predicate: failed to decode value ..., supported kinds:
    []uint64", code 1004) -- strong; lt/leq/gt/geq a number (Int only) -- medium: the page's own
    examples write ``"value":"30"`` for BotScore, yet the recorded refusal above shows a typed decoder,
    so the text "30" is refused with "give 30" (the reading under which nothing is lost: 30 passes under
    both); startsWith/endsWith and their negations a string (String only) -- strong; contains/!contains
    a string, or for array fields an item (a string or a number) or a list of items -- medium;
    eq/!eq a string, a number or true/false (String, Int, Bool) -- strong. An empty in/!in list is
    refused like F3.
F7  Per field: the value fits the field's documented type (``_field_types``) under the operator, and
    object / array[object] fields cannot be filtered (filters page table and its note "Filtering is not
    supported on the following data types: objects, array[object]"). Strong as documented, medium
    for the refusal (see F6); the messages give the value to write.
F8  Limits: "approximately 30 operators and 1000 bytes. Anything exceeding this value will return an
    error" (filters page). Bytes: the compact JSON text the module sends (UTF-8). Operators: what
    counts is not documented; conditions and and/or groups both count here, the stricter reading.
    Medium (the page says "approximately").
F9  Nesting: "Logical operators can be nested" (filters page); no depth limit is documented, so none
    is checked beyond the 1,000 bytes.
"""

from __future__ import annotations

import difflib
import json
import math

from ._errors import JobInputError
from ._field_types import field_types


_EQ = ("eq", "!eq")
_ORDER = ("lt", "leq", "gt", "geq")
_AFFIX = ("startsWith", "endsWith", "!startsWith", "!endsWith")
_CONTAINS = ("contains", "!contains")
_SET = ("in", "!in")
OPERATORS = _EQ + _ORDER + _AFFIX + _CONTAINS + _SET  # F5
_OPERATORS = OPERATORS
MAX_OPERATORS = 30  # F8
MAX_BYTES = 1000  # F8
_EXAMPLE = '{"where": {"key": "ClientCountry", "operator": "eq", "value": "ca"}}'

# Other spellings of Cloudflare's operators (after lower-casing and dropping "_", "-" and spaces) -> the one to use.
_ALIASES = {
    "neq": "!eq", "ne": "!eq", "!=": "!eq", "<>": "!eq", "==": "eq", "=": "eq", "equals": "eq", "is": "eq",
    "lte": "leq", "le": "leq", "<=": "leq", "<": "lt", "gte": "geq", "ge": "geq", ">=": "geq", ">": "gt",
    "nin": "!in", "!contain": "!contains", "contain": "contains", "includes": "contains",
    "beginswith": "startsWith", "prefix": "startsWith", "suffix": "endsWith",
}
_SQUASHED = dict((op.lower(), op) for op in OPERATORS)


def _show(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def suggest_operator(operator):
    """Cloudflare's spelling of an operator written another way (``startswith`` -> ``startsWith``), or None."""
    if not isinstance(operator, str):
        return None
    squashed = operator.strip().lower().replace("_", "").replace("-", "").replace(" ", "")
    if squashed.startswith("not") and len(squashed) > 3:
        squashed = "!" + squashed[3:]
    if squashed in _SQUASHED:
        return _SQUASHED[squashed]
    if squashed in _ALIASES:
        return _ALIASES[squashed]
    close = difflib.get_close_matches(operator, OPERATORS, n=1, cutoff=0.6)
    return close[0] if close else None


def parse_filter(value):
    """A filter given as a dict or JSON text -> the parsed object, or None to clear it.

    Raises JobInputError when it breaks Cloudflare's grammar (F1-F6); the limits (F8) are
    ``check_filter_limits``'s, the field types (F7) ``filter_type_errors``'s."""
    if isinstance(value, str) and value.strip():
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise JobInputError("filter is not valid JSON (%s); give a dict or JSON text such as %s." % (exc, _EXAMPLE))
    if value is None or value == {} or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dict) and "where" not in value and ("operator" in value or "and" in value or "or" in value):
        raise JobInputError('filter must be an object with a top-level "where" key (Cloudflare refuses it without '
                            'one): write {"where": %s}.' % _show(value))
    if not isinstance(value, dict) or "where" not in value:
        raise JobInputError('filter must be an object with a top-level "where" key, for example %s.' % _EXAMPLE)
    check_grammar(value)
    return value


def check_grammar(parsed):
    """Raise JobInputError at the first node of a parsed filter that Cloudflare's grammar refuses (F1-F6)."""
    extra = sorted(k for k in parsed if k != "where")
    if extra:
        raise JobInputError('filter: unknown top-level key(s) %s: a filter holds only "where".' % ", ".join(map(repr, extra)))
    _check_node(parsed["where"], "where")


def _check_node(node, path):
    if not isinstance(node, dict):
        raise JobInputError('filter: %s must be an object, a condition {"key": ..., "operator": ..., "value": ...} or a '
                            'group {"and": [...]} / {"or": [...]}, not %s.' % (path, _show(node)))
    for name in node:
        if isinstance(name, str) and name.lower() in ("and", "or") and name not in ("and", "or"):
            raise JobInputError('filter: %s has %r; Cloudflare spells the group "%s", in lower case.' % (path, name, name.lower()))
    groups = [k for k in ("and", "or") if k in node]
    if not groups:
        _check_condition(node, path)
        return
    group = groups[0]
    others = sorted(k for k in node if k != group)
    if others:
        raise JobInputError('filter: %s has "%s" beside %s; a group holds only its list: put each condition inside '
                            'the list, and nest {"and": [...]} / {"or": [...]} to mix them.'
                            % (path, group, ", ".join('"%s"' % k for k in others)))
    items = node[group]
    if isinstance(items, dict):
        raise JobInputError('filter: "%s" at %s takes a list, not an object: write {"%s": [%s]}.'
                            % (group, path, group, _show(items)))
    if not isinstance(items, list) or not items:
        raise JobInputError('filter: "%s" at %s must be a non-empty list of conditions or groups, not %s.'
                            % (group, path, _show(items)))
    for index, item in enumerate(items):
        _check_node(item, "%s.%s[%d]" % (path, group, index))


def _check_condition(node, path):
    extra = sorted(k for k in node if k not in ("key", "operator", "value"))
    if extra:
        cased = [k for k in extra if isinstance(k, str) and k.lower() in ("key", "operator", "value", "where")]
        hint = (" (write %s in lower case)" % ", ".join('"%s"' % k.lower() for k in cased)) if cased else ""
        if "where" in [k.lower() for k in extra]:
            hint = ' ("where" belongs at the top only: {"where": {"and": [...]}})'
        raise JobInputError("filter: the condition at %s has %s; a condition has exactly key, operator and value%s."
                            % (path, ", ".join('"%s"' % k for k in extra), hint))
    missing = [k for k in ("key", "operator", "value") if k not in node or node[k] is None]
    if missing:
        raise JobInputError("filter: the condition at %s has no %s; a condition needs key, operator and value, for "
                            "example %s." % (path, " and no ".join(missing), _show(json.loads(_EXAMPLE)["where"])))
    key, operator, value = node["key"], node["operator"], node["value"]
    if not isinstance(key, str) or not key.strip():
        raise JobInputError("filter: key at %s must be a field name, not %s." % (path, _show(key)))
    if operator not in OPERATORS:
        hint = suggest_operator(operator)
        raise JobInputError("filter: operator %s at %s is not one of Cloudflare's operators%s Cloudflare spells "
                            "them exactly, case included: %s." % (
                                _show(operator), path, "; did you mean %s?" % _show(hint) if hint else ".",
                                ", ".join(OPERATORS)))
    problem = _value_problem(operator, value)
    if problem:
        raise JobInputError("filter: %s at %s (%s %s): %s." % (key, path, operator, _show(value), problem))


def _list_from(value):
    """A list to suggest for a scalar given to in/!in ("200,201" -> [200, 201])."""
    items = value.split(",") if isinstance(value, str) else [value]
    out = []
    for item in items:
        item = item.strip() if isinstance(item, str) else item
        if isinstance(item, str) and item.lstrip("-").isdigit():
            item = int(item)
        out.append(item)
    return out


def _number_from(value):
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        if math.isfinite(number):
            return int(number) if number.is_integer() else number
    return None


def _value_problem(operator, value):
    """Why ``value`` has the wrong shape for ``operator`` (F6), or None."""
    scalar = isinstance(value, str) or _is_number(value)
    if operator in _SET:
        if not isinstance(value, list):
            return "in/!in take a list, such as %s" % _show(_list_from(value)) if scalar else "in/!in take a list"
        if not value:
            return "in/!in need at least one value in the list"
        if not all(isinstance(item, str) or _is_number(item) for item in value):
            return "every item of an in/!in list must be a string or a number"
        return None
    if operator in _ORDER:
        if _is_number(value):
            return None
        number = _number_from(value)
        if number is not None:
            return "lt/leq/gt/geq compare numbers: give %s, not %s" % (_show(number), _show(value))
        return "lt/leq/gt/geq compare numbers: give a number"
    if operator in _AFFIX:
        return None if isinstance(value, str) else "%s takes one string" % operator
    if operator in _CONTAINS:
        if scalar:
            return None
        if isinstance(value, list) and value and all(isinstance(i, str) or _is_number(i) for i in value):
            return None
        return "contains/!contains take a string (or, for an array field, an item or a list of items)"
    if scalar or isinstance(value, bool):
        return None
    return "eq/!eq take one string, number, true or false; for several values use in/!in with a list"


def filter_conditions(node, depth=0):
    """Every {key, operator, value} condition of a parsed filter, nested and/or included."""
    if depth > 200:
        return
    if isinstance(node, list):
        for item in node:
            yield from filter_conditions(item, depth + 1)
    elif isinstance(node, dict):
        if "operator" in node and "key" in node:
            yield node
        for group in ("where", "and", "or"):
            if group in node:
                yield from filter_conditions(node[group], depth + 1)


def _groups(node, depth=0):
    """How many and/or groups a parsed filter has."""
    if depth > 200 or not isinstance(node, (dict, list)):
        return 0
    if isinstance(node, list):
        return sum(_groups(item, depth + 1) for item in node)
    own = sum(1 for k in ("and", "or") if isinstance(node.get(k), list))
    return own + sum(_groups(node[k], depth + 1) for k in ("where", "and", "or") if k in node)


def filter_keys(value):
    """The field names a filter tests (its conditions' ``key``)."""
    parsed = json.loads(value) if isinstance(value, str) and value.strip() else value
    return [c["key"] for c in filter_conditions(parsed) if isinstance(c.get("key"), str)]


def check_filter_limits(text):
    """Cloudflare refuses a filter of more than about 30 operators or 1,000 bytes (F8)."""
    parsed = json.loads(text)
    conditions = sum(1 for _c in filter_conditions(parsed))
    groups = _groups(parsed)
    size = len(json.dumps(parsed, separators=(",", ":")).encode("utf-8"))
    if conditions + groups > MAX_OPERATORS:
        raise JobInputError("filter has %d operators (%d conditions and %d and/or groups); Cloudflare allows about %d. "
                            "Use in / !in with a list instead of one condition per value."
                            % (conditions + groups, conditions, groups, MAX_OPERATORS))
    if size > MAX_BYTES:
        raise JobInputError("filter is %d bytes long as compact JSON; Cloudflare allows at most %d. Use in / !in with a "
                            "list instead of one condition per value, or fewer conditions." % (size, MAX_BYTES))


def canonical_filter(value):
    """Filters compare as parsed JSON: key order and white space do not matter."""
    if value is None or value == "":
        return None
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return value  # a filter we cannot parse compares as text
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"))


# -- F7: the value against its field's type ----------------------------------------------------------------

def _a(type_name):
    return ("an " if type_name[0] in "aeiou" else "a ") + type_name


def _fits(value, type_name):
    """Whether a JSON scalar fits a scalar field type."""
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "bool":
        return isinstance(value, bool)
    if type_name == "int":
        return _is_number(value) and (isinstance(value, int) or value.is_integer())
    if type_name == "float":
        return _is_number(value)
    if type_name == "int or string":
        return isinstance(value, str) or _is_number(value)
    return False


def _convert(value, type_name):
    """The value the user probably meant, as the field's type; None when there is none."""
    if type_name == "string" and (_is_number(value) or isinstance(value, bool)):
        return _show(value)
    if isinstance(value, str):
        text = value.strip()
        if type_name == "bool" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if type_name in ("int", "float"):
            try:
                number = int(text)
            except ValueError:
                try:
                    number = float(text)
                except ValueError:
                    return None
                if type_name == "int" and not number.is_integer():
                    return None
                if not math.isfinite(number):
                    return None
            return number
    return None


def _what(type_name):
    return {
        "string": "a string", "int": "a whole number", "float": "a number", "bool": "true or false",
        "int or string": "a number or a string",
    }[type_name]


def _give(key, type_name, value):
    """'<key> is an int field: give 400, not "400"'."""
    fixed = _convert(value, type_name)
    wanted = _show(fixed) if fixed is not None else _what(type_name)
    return "%s is %s field: give %s, not %s" % (key, _a(type_name), wanted, _show(value))


def _give_list(key, type_name, value):
    """The message for an in/!in list holding items that do not fit."""
    fixed = [item if _fits(item, type_name) else _convert(item, type_name) for item in value]
    if all(item is not None for item in fixed):
        return "%s is %s field: give %s, not %s" % (key, _a(type_name), _show(fixed), _show(value))
    return "%s is %s field: every item of an in/!in list must be %s, not %s" % (
        key, _a(type_name), _what(type_name), _show(value))


def _as_list(value, type_name):
    """A list to suggest for a scalar given to in/!in ("200,201" -> [200, 201])."""
    items = value.split(",") if isinstance(value, str) and "," in value else [value]
    fixed = []
    for item in items:
        item = item.strip() if isinstance(item, str) else item
        fixed.append(item if _fits(item, type_name) else _convert(item, type_name))
    return None if any(item is None for item in fixed) else fixed


def _condition_errors(key, operator, value, type_name):
    """The message for one condition, or None when it fits."""
    if type_name in ("object", "array[object]"):
        return "%s is %s field: Cloudflare cannot filter on %s fields" % (key, _a(type_name), type_name)
    if type_name.startswith("array["):
        item_type = type_name[6:-1]
        if operator not in _CONTAINS:
            return ("%s is %s field: only contains/!contains test it (for one item it holds), not %s"
                    % (key, _a(type_name), operator))
        items = value if isinstance(value, list) else [value]
        if not items or not all(_fits(item, item_type) for item in items):
            return _give(key, item_type, value) + " (an item of the array)"
        return None
    if operator in _SET:
        if type_name == "bool":
            return "%s is a bool field: in/!in do not apply to it; use eq/!eq with true or false" % key
        if not isinstance(value, list):
            suggestion = _as_list(value, type_name)
            such = (" such as %s," % _show(suggestion)) if suggestion is not None else ""
            return "%s: in/!in need a list,%s not %s" % (key, such, _show(value))
        if not all(_fits(item, type_name) for item in value):
            return _give_list(key, type_name, value)
        return None
    if operator in _ORDER:
        if type_name in ("string", "bool"):
            return "%s is %s field: lt/leq/gt/geq compare numbers only" % (key, _a(type_name))
        if not _is_number(value):
            fixed = _convert(value, "float" if type_name == "float" else "int")
            wanted = _show(fixed) if fixed is not None else "a number"
            return "%s is %s field: give %s, not %s (lt/leq/gt/geq compare numbers)" % (
                key, _a(type_name), wanted, _show(value))
        if not _fits(value, type_name):
            return _give(key, type_name, value)
        return None
    if operator in _AFFIX + _CONTAINS:
        if type_name not in ("string", "int or string"):
            which = "startsWith/endsWith/!startsWith/!endsWith" if operator in _AFFIX else "contains/!contains"
            kinds = "string" if operator in _AFFIX else "string and array"
            return "%s is %s field: %s work on %s fields only" % (key, _a(type_name), which, kinds)
        if isinstance(value, (list, dict)):
            return "%s: %s on %s field needs one string, not %s (join several conditions with or)" % (
                key, operator, _a(type_name), _show(value))
        if not isinstance(value, str):
            return "%s: %s needs a string, such as %s, not %s" % (key, operator, _show(_show(value)), _show(value))
        return None
    # eq / !eq
    if not _fits(value, type_name):
        return _give(key, type_name, value)
    return None


def filter_type_errors(filter_obj, dataset):
    """Messages for every condition whose value does not fit its field's type and operator.

    ``filter_obj`` is the parsed filter (``{"where": ...}``; JSON text is parsed first). Empty when
    all fits, and for an unknown dataset, unknown fields, unknown operators, or text that is not
    JSON (other checks report those). Example: ``EdgeResponseStatus is an int field: give 400, not "400"``.
    """
    if isinstance(filter_obj, str):
        try:
            filter_obj = json.loads(filter_obj)
        except ValueError:
            return []
    types = field_types(dataset)
    if not types:
        return []
    errors = []
    for condition in filter_conditions(filter_obj):
        key, operator = condition.get("key"), condition.get("operator")
        if not isinstance(key, str) or key not in types or operator not in _OPERATORS or "value" not in condition:
            continue
        message = _condition_errors(key, operator, condition["value"], types[key])
        if message and message not in errors:
            errors.append(message)
    return errors
