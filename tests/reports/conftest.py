import pytest

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings, request):
    """PDFs are built as soon as they are asked for (the task's own code, in this process),
    except in tests marked `real_worker`, where django-tasks' database queue and `db_worker`
    build them, as in production."""
    if "real_worker" not in request.keywords:
        settings.TASKS = IMMEDIATE
