"""Logpush routes, registered for both scopes: /client/v4/zones/<zone_id>/logpush/... and /accounts/<account_id>/..."""
from .api import api_view

SCOPE_PREFIXES = ("/client/v4/zones/<zone_id>", "/client/v4/accounts/<account_id>")


@api_view()
def list_jobs(svc, scope, body):
    return svc.list_jobs(scope)


@api_view()
def create_job(svc, scope, body):
    return svc.create_job(scope, body)


@api_view()
def get_job(svc, scope, body, job_id):
    return svc.get_job(scope, job_id)


@api_view()
def update_job(svc, scope, body, job_id):
    return svc.update_job(scope, job_id, body)


@api_view()
def delete_job(svc, scope, body, job_id):
    return svc.delete_job(scope, job_id)


@api_view()
def dataset_jobs(svc, scope, body, dataset_id):
    return svc.list_jobs(scope, dataset_id)


@api_view()
def dataset_fields(svc, scope, body, dataset_id):
    return svc.fields(scope, dataset_id)


@api_view()
def ownership(svc, scope, body):
    return svc.ownership(scope, body)


@api_view()
def ownership_validate(svc, scope, body):
    return svc.ownership_validate(scope, body)


@api_view()
def destination_exists(svc, scope, body):
    return svc.destination_exists(scope, body)


@api_view()
def validate_destination(svc, scope, body):
    return svc.validate_destination(scope, body)


@api_view()
def validate_origin(svc, scope, body):
    return svc.validate_origin(scope, body)


@api_view()
def edge_list(svc, scope, body):
    return svc.edge_list(scope)


@api_view()
def edge_create(svc, scope, body):
    return svc.edge_create(scope, body)


ROUTES = (
    ("/logpush/jobs", "GET", list_jobs),
    ("/logpush/jobs", "POST", create_job),
    ("/logpush/jobs/<job_id>", "GET", get_job),
    ("/logpush/jobs/<job_id>", "PUT", update_job),
    ("/logpush/jobs/<job_id>", "DELETE", delete_job),
    ("/logpush/datasets/<dataset_id>/jobs", "GET", dataset_jobs),
    ("/logpush/datasets/<dataset_id>/fields", "GET", dataset_fields),
    ("/logpush/ownership", "POST", ownership),
    ("/logpush/ownership/validate", "POST", ownership_validate),
    ("/logpush/validate/destination/exists", "POST", destination_exists),
    ("/logpush/validate/destination", "POST", validate_destination),
    ("/logpush/validate/origin", "POST", validate_origin),
)
# Instant Logs: zone only, both the 2024 path and the 2026 one.
EDGE_ROUTES = (
    ("/logpush/edge", "GET", edge_list),
    ("/logpush/edge", "POST", edge_create),
    ("/logpush/edge/jobs", "GET", edge_list),
    ("/logpush/edge/jobs", "POST", edge_create),
)


def register(app):
    for prefix in SCOPE_PREFIXES:
        scope = "zone" if "zones" in prefix else "account"
        routes = ROUTES + (EDGE_ROUTES if scope == "zone" else ())
        for path, method, view in routes:
            app.add_url_rule(prefix + path, endpoint="%s_%s_%s" % (scope, view.__name__, path), view_func=view, methods=[method],
                             provide_automatic_options=False)
