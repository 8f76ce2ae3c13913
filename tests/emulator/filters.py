"""Validation of the job `filter` (API.md section 10): a JSON document inside a string."""
import json

OPERATORS = ("eq", "!eq", "lt", "leq", "gt", "geq", "startsWith", "endsWith", "!startsWith", "!endsWith",
             "contains", "!contains", "in", "!in")
MAX_OPERATORS = 30
MAX_BYTES = 1000


class FilterError(ValueError):
    pass


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _check_leaf(expr, path, known_fields):
    missing = [k for k in ("key", "operator", "value") if k not in expr]
    if missing:
        raise FilterError("filter: condition at %s needs key, operator and value (missing %s)" % (path, ", ".join(missing)))
    extra = sorted(set(expr) - {"key", "operator", "value"})
    if extra:
        raise FilterError("filter: unexpected key(s) %s in condition at %s" % (", ".join(extra), path))
    key, op, value = expr["key"], expr["operator"], expr["value"]
    if not isinstance(key, str) or not key:
        raise FilterError("filter: `key` at %s must be a non-empty string" % path)
    if known_fields is not None and key not in known_fields:
        raise FilterError("filter: unknown field %r at %s" % (key, path))
    if op not in OPERATORS:
        raise FilterError("filter: operator %r at %s is not supported (allowed: %s)" % (op, path, ", ".join(OPERATORS)))
    if op in ("lt", "leq", "gt", "geq"):
        if not _is_number(value):
            raise FilterError("filter: operator %r at %s needs a number value" % (op, path))
    elif op in ("in", "!in"):
        if not isinstance(value, list) or not all(isinstance(v, str) or _is_number(v) for v in value):
            raise FilterError("filter: operator %r at %s needs an array of strings or numbers" % (op, path))
    elif op in ("contains", "!contains"):
        if not (isinstance(value, str) or isinstance(value, list)):
            raise FilterError("filter: operator %r at %s needs a string or array value" % (op, path))
    elif op in ("startsWith", "endsWith", "!startsWith", "!endsWith"):
        if not isinstance(value, str):
            raise FilterError("filter: operator %r at %s needs a string value" % (op, path))
    elif isinstance(value, (dict, list)):
        raise FilterError("filter: operator %r at %s needs a scalar value" % (op, path))
    return 1


def _check(expr, path, known_fields, depth=0):
    if depth > 10:
        raise FilterError("filter: nesting too deep at %s" % path)
    if not isinstance(expr, dict):
        raise FilterError("filter: expression at %s must be an object" % path)
    groups = [k for k in ("and", "or") if k in expr]
    if groups:
        if len(expr) != 1:
            raise FilterError("filter: %s at %s cannot be combined with other keys" % ("/".join(groups), path))
        group = groups[0]
        items = expr[group]
        if not isinstance(items, list) or not items:
            raise FilterError("filter: `%s` at %s must be a non-empty array" % (group, path))
        return sum(_check(item, "%s.%s[%d]" % (path, group, i), known_fields, depth + 1) for i, item in enumerate(items))
    return _check_leaf(expr, path, known_fields)


def validate_filter(text, known_fields=None):
    """Raise FilterError with a precise message if `text` is not an acceptable filter.

    `known_fields`: a collection of field names for the dataset, or None to skip the key check.
    """
    if not isinstance(text, str):
        raise FilterError("filter must be a string holding a JSON document")
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise FilterError("filter is not valid JSON: %s" % exc) from None
    if not isinstance(doc, dict) or "where" not in doc:
        raise FilterError("filter must be a JSON object with a top-level `where` key")
    extra = sorted(set(doc) - {"where"})
    if extra:
        raise FilterError("filter: unexpected top-level key(s) %s (only `where` is allowed)" % ", ".join(extra))
    count = _check(doc["where"], "where", known_fields)
    if count > MAX_OPERATORS:
        raise FilterError("filter has too many operators: %d (max %d)" % (count, MAX_OPERATORS))
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise FilterError("filter is too long: %d bytes (max %d)" % (size, MAX_BYTES))
    return doc


def normalise_filter(text):
    """What the emulator stores: the same JSON, whitespace removed, key order kept (README: open question 5)."""
    return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
