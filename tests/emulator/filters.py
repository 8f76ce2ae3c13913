"""Validation of the job `filter` (README, Sources: filters): a JSON document inside a string.

The grammar, from Cloudflare's filters page (https://developers.cloudflare.com/logs/logpush/logpush-job/filters/)
and cloudflare-go v0 (`logpush.go`: the `Operator` constants and `LogpushJobFilter.Validate`); README,
"Sources and how sure", rows "filters: ...". Two readings where Cloudflare's behaviour is not known
(setting `filter_reading`):

* "strict" (default, the collection's reading): a condition or the top level with another key, an empty
  and/or or in/!in list, and a string holding a number for lt/leq/gt/geq (or for an int/float field) are
  refused; the operator count takes conditions and and/or groups.
* "lenient": those are let through (unknown keys ignored; "30" counts as 30); only conditions count.

Both refuse: an operator not spelled exactly as Cloudflare does (case included), and/or that is not a list,
a group with other keys, a condition without key/operator/value (null counts as missing), a value of the
wrong shape for its operator, more than 30 operators or 1,000 bytes.

Values are also checked against the field's documented data type (``data/fields/types/<dataset>.json``,
from Cloudflare's log field reference) and the operators Cloudflare's filters page allows for that type.
"""
import json
import os

OPERATORS = ("eq", "!eq", "lt", "leq", "gt", "geq", "startsWith", "endsWith", "!startsWith", "!endsWith",
             "contains", "!contains", "in", "!in")
MAX_OPERATORS = 30
MAX_BYTES = 1000
READINGS = ("strict", "lenient")


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


def _number_text(value):
    """The number a string holds ("30" -> 30), or None."""
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        if number == number and number not in (float("inf"), float("-inf")):
            return int(number) if number.is_integer() else number
    return None


def _lenient_value(value, type_name):
    """Under the lenient reading, a string holding a number stands for the number where one is expected."""
    if type_name in ("int", "float"):
        if isinstance(value, list):
            return [_lenient_value(v, type_name) for v in value]
        number = _number_text(value)
        return value if number is None else number
    return value


def _check_leaf(expr, path, known_fields, types, lenient):
    extra = sorted(set(expr) - {"key", "operator", "value"})
    if extra and not lenient:
        raise FilterError("filter: unexpected key(s) %s in condition at %s" % (", ".join(map(str, extra)), path))
    missing = [k for k in ("key", "operator", "value") if expr.get(k) is None]
    if missing:
        raise FilterError("filter: condition at %s needs key, operator and value (missing %s)" % (path, ", ".join(missing)))
    key, op, value = expr["key"], expr["operator"], expr["value"]
    if not isinstance(key, str) or not key:
        raise FilterError("filter: `key` at %s must be a non-empty string" % path)
    if known_fields is not None and key not in known_fields:
        raise FilterError("filter: unknown field %r at %s" % (key, path))
    if op not in OPERATORS:
        raise FilterError("filter: operator %r at %s is not supported (allowed: %s)" % (op, path, ", ".join(OPERATORS)))
    if lenient and op in _ORDER and _number_text(value) is not None:
        value = _number_text(value)
    if lenient and types and key in types:
        value = _lenient_value(value, types[key])
    scalar = isinstance(value, str) or _is_number(value)
    if op in _ORDER:
        if not _is_number(value):
            raise FilterError("filter: operator %r at %s needs a number value" % (op, path))
    elif op in _SET:
        if not isinstance(value, list) or not all(isinstance(v, str) or _is_number(v) for v in value):
            raise FilterError("filter: operator %r at %s needs an array of strings or numbers" % (op, path))
        if not value and not lenient:
            raise FilterError("filter: operator %r at %s needs a non-empty array" % (op, path))
    elif op in _CONTAINS:
        if not (scalar or isinstance(value, list) and value and all(isinstance(v, str) or _is_number(v) for v in value)):
            raise FilterError("filter: operator %r at %s needs a string, a number or an array of them" % (op, path))
    elif op in _AFFIX:
        if not isinstance(value, str):
            raise FilterError("filter: operator %r at %s needs a string value" % (op, path))
    elif not (scalar or isinstance(value, bool)):
        raise FilterError("filter: operator %r at %s needs a string, number or boolean value" % (op, path))
    if types and key in types:
        problem = _type_error(key, op, value, types[key], path)
        if problem:
            raise FilterError(problem)
    return 1


def _check(expr, path, known_fields, types, lenient, counts):
    if not isinstance(expr, dict):
        raise FilterError("filter: expression at %s must be an object" % path)
    groups = [k for k in ("and", "or") if k in expr]
    if not groups:
        counts[0] += _check_leaf(expr, path, known_fields, types, lenient)
        return
    if len(expr) != 1:
        raise FilterError("filter: %s at %s cannot be combined with other keys" % ("/".join(groups), path))
    group = groups[0]
    items = expr[group]
    if not isinstance(items, list) or not items and not lenient:
        raise FilterError("filter: `%s` at %s must be a non-empty array" % (group, path))
    counts[1] += 1
    for i, item in enumerate(items):
        _check(item, "%s.%s[%d]" % (path, group, i), known_fields, types, lenient, counts)


def validate_filter(text, known_fields=None, dataset=None, reading="strict"):
    """Raise FilterError with a precise message if `text` is not an acceptable filter.

    `known_fields`: a collection of field names for the dataset, or None to skip the key check.
    `dataset`: whose field types to check values against; when None, the dataset whose field list is
    exactly `known_fields` (so a caller passing only the field list gets the type check too).
    `reading`: "strict" or "lenient" (module docstring).
    """
    lenient = reading == "lenient"
    if not isinstance(text, str):
        raise FilterError("filter must be a string holding a JSON document")
    # the size first: the limit also bounds how deep the walk below can go
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise FilterError("filter is too long: %d bytes (max %d)" % (size, MAX_BYTES))
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise FilterError("filter is not valid JSON: %s" % exc) from None
    if not isinstance(doc, dict) or "where" not in doc:
        raise FilterError("filter must be a JSON object with a top-level `where` key")
    extra = sorted(set(doc) - {"where"})
    if extra and not lenient:
        raise FilterError("filter: unexpected top-level key(s) %s (only `where` is allowed)" % ", ".join(extra))
    if dataset is None:
        dataset = dataset_of(known_fields)
    types = field_types(dataset) if dataset else None
    counts = [0, 0]  # conditions, and/or groups
    _check(doc["where"], "where", known_fields, types, lenient, counts)
    count = counts[0] if lenient else counts[0] + counts[1]
    if count > MAX_OPERATORS:
        raise FilterError("filter has too many operators: %d (max %d)" % (count, MAX_OPERATORS))
    return doc


def normalise_filter(text):
    """What the emulator stores: the same JSON, whitespace removed, key order kept (README: open question 5)."""
    return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
