"""Large staff lists load as a background job (honours.core.jobs): a file above IMPORT_BACKGROUND_BYTES (a few
hundred rows; 50,000 rows take tens of seconds, near the web worker's timeout) is kept for the worker, which
checks and loads it, all or nothing as ever, with the rows checked as the job's progress; the job's page then
says what was loaded, or links the error report."""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from honours.core import jobs, storage
from honours.core.transactions import operation
from honours.imports import workbook as wb

from . import services

JOB_KIND = "person-intake"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_NAME = "bao-cao-loi-nhap-danh-sach-tri-thuc.xlsx"


def in_background(data: bytes) -> bool:
    return len(data) > current_app.config["IMPORT_BACKGROUND_BYTES"]


@operation
def start_intake(user, data: bytes, filename: str, organisation_id: int | None):
    """Queue the intake (after the checks that need no file: who, which organisation); returns the job. The kept
    file leaves the disk again unless the job is committed."""
    organisation_id = services._organisation_of(user, organisation_id)
    stored = jobs.input_file(data, ".xlsx")
    storage.remove_unless_committed(stored)
    params = {"organisation_id": organisation_id, "filename": filename, jobs.registry.INPUT: stored}
    return jobs.services.enqueue(JOB_KIND, user, params)


@jobs.handler(JOB_KIND, _l("Nhập danh sách trí thức từ Excel"))
def run_intake(job, progress):
    outcome = services.intake(job.user, jobs.read_input(job), progress, filename=job.params.get("filename", ""),
                              organisation_id=job.params.get("organisation_id"))
    notes = " ".join(outcome.notes)
    if outcome.ok:
        summary = _("Đã nhập danh sách %(rows)s người: %(created)s hồ sơ mới; %(matched)s người đã có trong cơ sở "
                    "dữ liệu, %(proposed)s thông tin khác được gửi Văn phòng Hội đồng xem xét.",
                    rows=outcome.intake.rows, created=outcome.created["persons"],
                    matched=outcome.created["matched"], proposed=outcome.created["proposals"])
        return jobs.Result(summary=f"{summary} {notes}".strip())
    problems = outcome.sorted_problems()
    result = jobs.result_file(job, REPORT_NAME, XLSX)
    with open(result.path, "wb") as out:
        out.write(wb.report(problems, with_sheet=False))
    result.summary = " ".join(filter(None, (_(
        "Tệp có %(num)s lỗi nên không người nào được nhập. Tải bảng lỗi (dòng, cột, lỗi), sửa tệp rồi nhập lại.",
        num=len(problems)), notes)))
    return result
