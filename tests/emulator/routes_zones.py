"""GET /client/v4/zones (paginated, v4 style) and GET /client/v4/zones/<zone_id>."""
from flask import request

from . import envelope
from .api import api_view
from .auth import zone_allowed
from .envelope import ApiError
from .store import ID_RE


def _int_arg(name, default, low, high):
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, 1001, "%s must be an integer" % name) from None
    if not low <= value <= high:
        raise ApiError(400, 1001, "%s must be between %d and %d" % (name, low, high))
    return value


def register(app):
    store = app.emulator.store

    @api_view(scoped=False)
    def list_zones(svc, scope, body, cred):
        page = _int_arg("page", 1, 1, 100000)
        per_page = _int_arg("per_page", 20, 5, 50)
        name = request.args.get("name")
        account_id = request.args.get("account.id")
        with store.lock:
            zones = [z for z in store.zones.values() if zone_allowed(store, cred, z["id"])]
            if name is not None:
                zones = [z for z in zones if z["name"] == name]
            if account_id is not None:
                zones = [z for z in zones if z["account_id"] == account_id]
            zones.sort(key=lambda z: z["name"])
            total = len(zones)
            chunk = zones[(page - 1) * per_page:page * per_page]
            result = [store.zone_view(z) for z in chunk]
        info = {"page": page, "per_page": per_page, "count": len(result), "total_count": total,
                "total_pages": (total + per_page - 1) // per_page}
        return _Paged(result, info)

    @api_view(scoped=False)
    def get_zone(svc, scope, body, cred, zone_id):
        if not ID_RE.match(zone_id):
            raise ApiError(400, 7003, "Could not route to %s, perhaps your object identifier is invalid?" % request.path)
        if not zone_allowed(store, cred, zone_id):
            raise ApiError.of(envelope.AUTH_ERROR)
        with store.lock:
            return store.zone_view(store.zones[zone_id])

    app.add_url_rule("/client/v4/zones", endpoint="zones_list", view_func=list_zones, methods=["GET"], provide_automatic_options=False)
    app.add_url_rule("/client/v4/zones/<zone_id>", endpoint="zones_get", view_func=get_zone, methods=["GET"], provide_automatic_options=False)


class _Paged(list):
    """A list result that carries the v4 `result_info` (added to the envelope by api.finalize)."""

    def __init__(self, items, info):
        super().__init__(items)
        self.result_info = info
