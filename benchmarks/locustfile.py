"""The load test's requests: one locust user class whose tasks are the endpoints of `ENDPOINTS`.

Each endpoint is a task tagged with its name, so `benchmarks/loadtest.py` runs locust once per
endpoint (`--tags NAME`) and measures each one's throughput alone: with all tasks in one run,
locust would share the requests out by weight, not by speed. Users wait for nothing between
requests, so the server is kept as busy as it can be. Every request is anonymous and a GET.
"""

from locust import HttpUser, constant, tag, task

# name: path. The floor (the base template, no queries) is what the others are compared with.
ENDPOINTS = {
    "floor": "/_floor/",
    "home": "/",
    "member directory": "/members/",
    "practice search": "/practices/?q=polarisering",
    "API organisations": "/api/v1/network/organisations",
}


def _task(name: str, path: str):
    @tag(name)
    @task
    def request(user):
        with user.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name}: answered {response.status_code}")

    request.__name__ = f"get_{name.replace(' ', '_')}"
    return request


class Reader(HttpUser):
    """An anonymous reader who asks for one endpoint after another without pause."""

    wait_time = constant(0)
    tasks = [_task(name, path) for name, path in ENDPOINTS.items()]
