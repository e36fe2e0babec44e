"""Long work in the background, with progress: durable jobs run by a worker process (`flask --app wsgi jobs work`).

For a feature:
- register a handler: `@jobs.handler("kind", _l("label"))` over `function(job, progress) -> jobs.Result`
  (honours/core/jobs/registry.py says what a handler must do);
- start a job from a view: `job = jobs.services.enqueue("kind", current_user, {"param": 1})`, then
  `redirect(url_for("jobs.show", job_id=job.id))`: the job page shows its progress and the download link.

The database is the queue (worker.py says how claims work and why no job is lost); docs/jobs.md has the rest.
"""
from . import services  # noqa: F401  (jobs.services.enqueue)
from .models import Job  # noqa: F401
from .registry import Result, handler, input_file, read_input, result_file  # noqa: F401
