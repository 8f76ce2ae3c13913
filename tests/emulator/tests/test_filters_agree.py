"""The emulator refuses exactly what the collection's filter grammar refuses: about 2,500 filters (every operator,
misspelled ones too, with every kind of value, on fields of every type; then the structures around them) are
judged by both, and both must agree on each.

This TEST reads the collection's plugins/module_utils/_filter.py by path, as test_recorded_shapes.py reads the
unit tests' fixtures: the emulator itself still imports nothing from plugins/ (each side is written on its own
from Cloudflare's sources, so that a mistake in one shows up here instead of hiding on both sides).
"""
import importlib
import itertools
import json
import os
import sys
import types

import pytest

from emulator import filters

MODULE_UTILS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "plugins", "module_utils")


def _collection_filter():
    package = types.ModuleType("collection_module_utils")
    package.__path__ = [os.path.abspath(MODULE_UTILS)]
    sys.modules.setdefault("collection_module_utils", package)
    return importlib.import_module("collection_module_utils._filter")


COLLECTION = _collection_filter()
DATASET = "http_requests"
FIELDS = ["ClientRequestPath", "EdgeResponseStatus", "CacheReserveUsed", "BotTags", "BotDetectionIDs",
          "EdgeStartTimestamp", "EdgeResponseCompressionRatio", "RequestHeaders", "NoSuchField"]
OPERATORS = list(filters.OPERATORS) + ["startswith", "neq", "IN", "gte", "!startswith"]
VALUES = ["ca", "30", 30, 30.5, -1, True, None, [], ["a"], [1, 2], [True], [["a"]], {"a": 1}, "200,201", ""]
CONDITION = {"key": "ClientCountry", "operator": "eq", "value": "ca"}
STRUCTURES = [
    {"where": CONDITION}, {"where": {"and": [CONDITION]}}, {"where": {"or": [CONDITION, {"and": [CONDITION]}]}},
    {"where": {"and": CONDITION}}, {"where": {"and": []}}, {"where": {"or": "x"}}, {"where": {"and": [1]}},
    {"where": {"and": [CONDITION], "or": [CONDITION]}}, {"where": {"and": [CONDITION], "key": "RayID"}},
    {"where": {"AND": [CONDITION]}}, {"where": dict(CONDITION, comment="x")}, {"where": dict(CONDITION, value=None)},
    {"where": {"key": "ClientCountry", "operator": "eq"}}, {"where": {"Key": "ClientCountry", "operator": "eq", "value": "ca"}},
    {"where": CONDITION, "limit": 1}, {"where": []}, {"where": "ClientCountry"}, CONDITION, [CONDITION], {},
    {"where": {"and": [CONDITION, {"where": {"and": [CONDITION]}}]}}, {"where": dict(CONDITION, key="")},
    {"where": {"or": [dict(CONDITION, value=str(n)) for n in range(14)]}},
    {"where": {"or": [{"key": "RayID", "operator": "eq", "value": str(n)} for n in range(21)]}},
    {"where": {"key": "ClientRequestPath", "operator": "startsWith", "value": "/" + "a" * 940}},
    {"where": {"key": "ClientRequestPath", "operator": "startsWith", "value": "/" + "a" * 960}},
]
_NESTED = {"or": [{"key": "RayID", "operator": "eq", "value": "a"}] * 8}
for _level in range(12):
    _NESTED = {"or": [_NESTED, {"key": "RayID", "operator": "eq", "value": "b"}]}
    STRUCTURES.append({"where": _NESTED})


def collection_accepts(text):
    try:
        parsed = COLLECTION.parse_filter(text)
        if parsed is None:
            return False
        compact = json.dumps(parsed, separators=(",", ":"))
        COLLECTION.check_filter_limits(compact)
        return not COLLECTION.filter_type_errors(compact, DATASET)
    except COLLECTION.JobInputError:
        return False


def emulator_accepts(text):
    try:
        filters.validate_filter(text, None, DATASET)
        return True
    except filters.FilterError:
        return False


def test_both_sides_know_the_same_field_types():
    theirs = COLLECTION.field_types(DATASET)
    assert {f: theirs.get(f) for f in FIELDS} == {f: filters.field_types(DATASET).get(f) for f in FIELDS}
    assert tuple(COLLECTION.OPERATORS) == tuple(filters.OPERATORS)


def test_every_condition_is_judged_alike():
    disagree = []
    accepted = 0
    for key, operator, value in itertools.product(FIELDS, OPERATORS, VALUES):
        text = json.dumps({"where": {"key": key, "operator": operator, "value": value}}, separators=(",", ":"))
        ours, theirs = emulator_accepts(text), collection_accepts(text)
        accepted += ours
        if ours != theirs:
            disagree.append((text, "emulator accepts" if ours else "collection accepts"))
    assert disagree == []
    assert 100 < accepted < len(FIELDS) * len(OPERATORS) * len(VALUES) / 2  # both outcomes are exercised


@pytest.mark.parametrize("flt", STRUCTURES)
def test_every_structure_is_judged_alike(flt):
    text = json.dumps(flt, separators=(",", ":"))
    assert emulator_accepts(text) == collection_accepts(text), text
