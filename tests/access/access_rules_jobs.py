"""Access rules of the background jobs: everyone signed in has a job list (their own); one job is its owner's and
the secretariat's, 404 for anybody else (the world's job belongs to the world's nominator)."""
from honours.core import clock
from honours.core.db import db
from honours.core.jobs import Job, result_file
from honours.core.jobs.workflow import DONE

SIGNED_IN = {"admin", "secretariat", "council", "nominator"}
OWNER_AND_SECRETARIAT = {"nominator", "secretariat"}

RULES = {
    "jobs.index": SIGNED_IN,
    "jobs.show": OWNER_AND_SECRETARIAT,
    "jobs.status": OWNER_AND_SECRETARIAT,
    "jobs.download": OWNER_AND_SECRETARIAT,
    "jobs.cancel": OWNER_AND_SECRETARIAT,
}
OWNED = {"job_id"}  # another organisation's nominator gets 404, as for anybody but the owner and the secretariat


def params(world) -> dict:
    job = Job(user_id=world["users"]["nominator"].id, kind="national-export", params={"format": "csv"})
    db.session.add(job)
    db.session.flush()
    result = result_file(job, "ket-qua.csv", "text/csv; charset=utf-8")
    with open(result.path, "w", encoding="utf-8") as out:
        out.write("a,b\r\n")
    job.state, job.finished_at, job.progress_done, job.progress_total = DONE, clock.now(), 1, 1
    job.result_stored_name, job.result_name, job.result_type = result.stored_name, result.download_name, result.mimetype
    db.session.commit()
    return {"job_id": job.id}
