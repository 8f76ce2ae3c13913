"""Validation of the job `filter` (README, Sources: filters): a JSON document inside a string.

Values are also checked against the field's documented data type (``data/fields/types/<dataset>.json``,
from Cloudflare's log field reference) and the operators Cloudflare's filters page allows for that type;
README: "Sources and how sure".
"""
import json
import os

OPERATORS = ("eq", "!eq", "lt", "leq", "gt", "geq", "startsWith", "endsWith", "!startsWith", "!endsWith",
             "contains", "!contains", "in", "!in")
MAX_OPERATORS = 30
MAX_BYTES = 1000


FIELDS_DIR = os.path.join(os.path.dirname(__file__), "data", "fields")
TYPES_DIR = os.path.join(FIELDS_DIR, "types")

_EQ = ("eq", "!eq")
_ORDER = ("lt", "leq", "gt", "geq")
_AFFIX = ("startsWith", "endsWith", "!startsWith", "!endsWith")
_CONTAINS = ("contains", "!contains")
_SET = ("in", "!in")
_EXPECTED = {"string": "a string", "int": "an int", "float": "a number", "bool": "true or false",
             "int or string": "an int or a string"}

_types = None          # {dataset: {field: documented type}}
_field_sets = None     # {frozenset(names in data/fields/<dataset>.json): dataset}


class FilterError(ValueError):
    pass


def _read_dir(directory):
    """{file name without .json: parsed content} of a directory's JSON files ({} without the directory)."""
    out = {}
    if os.path.isdir(directory):
        for name in sorted(os.listdir(directory)):
            if name.endswith(".json"):
                with open(os.path.join(directory, name), encoding="utf-8") as fh:
                    out[name[:-5]] = json.load(fh)
    return out


def _load():
    global _types, _field_sets
    if _types is None:
        _field_sets = {frozenset(fields): dataset for dataset, fields in _read_dir(FIELDS_DIR).items()}
        _types = _read_dir(TYPES_DIR)
    return _types, _field_sets


def field_types(dataset):
    """{field: type} for a dataset ("int", "string", "bool", "float", "int or string", "object",
    "array[string]", "array[int]", "array[object]"), or {} when its types are not known."""
    return _load()[0].get(dataset, {})


def dataset_of(known_fields):
    """The dataset whose field list (data/fields/<dataset>.json) is exactly `known_fields`, or None."""
    if not known_fields:
        return None
    return _load()[1].get(frozenset(known_fields))


def _fits(value, type_name):
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "bool":
        return isinstance(value, bool)
    if type_name == "int":
        return _is_number(value) and (isinstance(value, int) or float(value).is_integer())
    if type_name == "float":
        return _is_number(value)
    if type_name == "int or string":
        return isinstance(value, str) or _is_number(value)
    return False


def _must(field, path, expected, value):
    return "filter: %s; the value at %s must be %s, not %s" % (field, path, expected, json.dumps(value))


def _type_error(key, op, value, type_name, path):
    """Why `value` does not fit field `key` of `type_name` under `op`, or None (Cloudflare's filters page)."""
    if type_name not in _EXPECTED and type_name not in ("object", "array[object]", "array[string]", "array[int]"):
        return None
    field = "%s is %s %s field" % (key, "an" if type_name[0] in "aeiou" else "a", type_name)
    if type_name in ("object", "array[object]"):
        return "filter: %s; filtering is not supported on object and array[object] fields (at %s)" % (field, path)
    if type_name.startswith("array["):
        item = type_name[6:-1]
        if op not in _CONTAINS:
            return "filter: %s; only contains and !contains apply to it, not %r (at %s)" % (field, op, path)
        items = value if isinstance(value, list) else [value]
        if not items or not all(_fits(v, item) for v in items):
            return _must(field, path, _EXPECTED[item], value)
        return None
    if op in _SET:
        if type_name == "bool":
            return "filter: %s; operator %r does not apply to bool fields (at %s)" % (field, op, path)
        if not all(_fits(v, type_name) for v in value):
            return "filter: %s; every value of %r at %s must be %s, not %s" % (
                field, op, path, _EXPECTED[type_name], json.dumps(value))
        return None
    if op in _ORDER:
        if type_name in ("string", "bool"):
            return "filter: %s; operator %r compares numbers and does not apply to it (at %s)" % (field, op, path)
        if not _fits(value, type_name):
            return _must(field, path, _EXPECTED[type_name], value)
        return None
    if op in _AFFIX + _CONTAINS:
        if type_name not in ("string", "int or string"):
            kinds = "string fields" if op in _AFFIX else "string and array fields"
            return "filter: %s; operator %r applies to %s only (at %s)" % (field, op, kinds, path)
        if not isinstance(value, str):
            return _must(field, path, "a string", value)
        return None
    if not _fits(value, type_name):
        return _must(field, path, _EXPECTED[type_name], value)
    return None


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _check_leaf(expr, path, known_fields, types=None):
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
        item_is_number = bool(types) and types.get(key) == "array[int]" and _is_number(value)
        if not (isinstance(value, str) or isinstance(value, list) or item_is_number):
            raise FilterError("filter: operator %r at %s needs a string or array value" % (op, path))
    elif op in ("startsWith", "endsWith", "!startsWith", "!endsWith"):
        if not isinstance(value, str):
            raise FilterError("filter: operator %r at %s needs a string value" % (op, path))
    elif isinstance(value, (dict, list)):
        raise FilterError("filter: operator %r at %s needs a scalar value" % (op, path))
    if types and key in types:
        problem = _type_error(key, op, value, types[key], path)
        if problem:
            raise FilterError(problem)
    return 1


def _check(expr, path, known_fields, types=None, depth=0):
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
        return sum(_check(item, "%s.%s[%d]" % (path, group, i), known_fields, types, depth + 1)
                   for i, item in enumerate(items))
    return _check_leaf(expr, path, known_fields, types)


def validate_filter(text, known_fields=None, dataset=None):
    """Raise FilterError with a precise message if `text` is not an acceptable filter.

    `known_fields`: a collection of field names for the dataset, or None to skip the key check.
    `dataset`: whose field types to check values against; when None, the dataset whose field list is
    exactly `known_fields` (so a caller passing only the field list gets the type check too).
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
    if dataset is None:
        dataset = dataset_of(known_fields)
    types = field_types(dataset) if dataset else None
    count = _check(doc["where"], "where", known_fields, types)
    if count > MAX_OPERATORS:
        raise FilterError("filter has too many operators: %d (max %d)" % (count, MAX_OPERATORS))
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise FilterError("filter is too long: %d bytes (max %d)" % (size, MAX_BYTES))
    return doc


def normalise_filter(text):
    """What the emulator stores: the same JSON, whitespace removed, key order kept (README: open question 5)."""
    return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
