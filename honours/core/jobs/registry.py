"""What kinds of job exist: each feature registers the function that does one kind of work.

    from honours.core import jobs

    @jobs.handler("national-export", _l("Xuất dữ liệu cho CSDL quốc gia"))
    def run_export(job, progress):
        result = jobs.result_file(job, "csdl.csv", "text/csv; charset=utf-8")
        with open(result.path, "w", encoding="utf-8") as out:
            for n, row in enumerate(rows, start=1):
                ...
                progress(n, total)
        return result

A handler is restartable from scratch: a job whose worker died is run again from the beginning (up to
JOBS_MAX_ATTEMPTS times), so it must not leave half its work committed. It runs in the worker's database session;
what it writes commits together with the job's "done", or not at all. It calls `progress(n, total)` often (each
row is fine: the writes are throttled), at least once every JOBS_STALE_SECONDS, or the job looks abandoned.
"""
import glob
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

RESULT_FOLDER = "jobs"  # under UPLOAD_FOLDER
INPUT = "input"  # the job parameter naming an uploaded file the job works on (see input_file)


@dataclass(frozen=True)
class Kind:
    name: str
    label: object  # a lazy string: what the job list calls this kind of job
    run: Callable


_HANDLERS: dict[str, Kind] = {}


def handler(kind: str, label):
    """Register `function(job, progress) -> Result | None` as the handler of `kind`."""

    def register(function):
        known = _HANDLERS.get(kind)
        if known is not None and known.run.__qualname__ != function.__qualname__:
            raise ValueError(f"job kind {kind!r} has two handlers")
        _HANDLERS[kind] = Kind(kind, label, function)
        return function

    return register


def kind(name: str) -> Kind | None:
    return _HANDLERS.get(name)


def kind_label(name: str) -> str:
    known = _HANDLERS.get(name)
    return str(known.label) if known else name


@dataclass
class Result:
    """What a job produced: a file under UPLOAD_FOLDER/jobs/ (stored_name relative to UPLOAD_FOLDER), the name and
    type it downloads as, and a sentence for the job page (Vietnamese)."""

    stored_name: str | None = None
    download_name: str = ""
    mimetype: str = ""
    summary: str = ""

    @property
    def path(self) -> str:
        return stored_path(self.stored_name)


def result_file(job, download_name: str, mimetype: str) -> Result:
    """A new, empty result for `job`: write the file at `.path`. A generated name, outside static/."""
    folder = os.path.join(current_app.config["UPLOAD_FOLDER"], RESULT_FOLDER)
    os.makedirs(folder, exist_ok=True)
    extension = os.path.splitext(download_name)[1]
    return Result(f"{RESULT_FOLDER}/{job.id}-{uuid.uuid4().hex}{extension}", download_name, mimetype)


def input_file(data: bytes, extension: str) -> str:
    """Keep an upload for a job to read (a large Excel import): pass the returned name as params["input"] to
    enqueue(); the handler reads it with read_input(job). It is deleted when the job is done, failed or
    cancelled (an interrupted job keeps it for its next run)."""
    folder = os.path.join(current_app.config["UPLOAD_FOLDER"], RESULT_FOLDER)
    os.makedirs(folder, exist_ok=True)
    stored_name = f"{RESULT_FOLDER}/input-{uuid.uuid4().hex}{extension}"
    with open(stored_path(stored_name), "wb") as out:
        out.write(data)
    return stored_name


def read_input(job) -> bytes:
    with open(stored_path(job.params[INPUT]), "rb") as stored:
        return stored.read()


def remove_input(stored_name: str | None) -> None:
    if stored_name and stored_name.startswith(f"{RESULT_FOLDER}/input-"):
        try:
            os.remove(stored_path(stored_name))
        except FileNotFoundError:
            pass


def stored_path(stored_name: str | None) -> str:
    if not stored_name:
        raise ValueError("the job has no result file")
    return os.path.join(current_app.config["UPLOAD_FOLDER"], stored_name)


def remove_results(job_id: int) -> None:
    """Every file a run of the job wrote (an interrupted run's, a failed one's): none of them is its result."""
    folder = os.path.join(current_app.config["UPLOAD_FOLDER"], RESULT_FOLDER)
    for path in glob.glob(os.path.join(glob.escape(folder), f"{job_id}-*")):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
