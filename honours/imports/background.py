"""Large dossier imports run as a background job (honours.core.jobs): a file above IMPORT_BACKGROUND_BYTES (a few
hundred rows) is kept for the worker, which checks and creates the drafts, all or nothing as ever, with the rows
checked as the job's progress; the job's page then says what was created, or links the error report."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from honours.core import jobs, storage
from honours.core.transactions import operation

from . import nominations as dossier_imports
from . import workbook as wb

JOB_KIND = "dossier-import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_NAME = "bao-cao-loi-nhap-dossiers.xlsx"


def in_background(data: bytes) -> bool:
    return len(data) > current_app.config["IMPORT_BACKGROUND_BYTES"]


@operation
def start_dossier_import(user, round_id: int, data: bytes, filename: str):
    """Queue the import (after the checks that need no file: role, round open); returns the job. The kept file
    leaves the disk again unless the job is committed."""
    dossier_imports.open_round_for(user, round_id)
    stored = jobs.input_file(data, ".xlsx")
    storage.remove_unless_committed(stored)
    params = {"round_id": round_id, "filename": filename, jobs.registry.INPUT: stored}
    return jobs.services.enqueue(JOB_KIND, user, params)


@jobs.handler(JOB_KIND, _l("Nhập hồ sơ đề cử từ Excel"))
def run_dossier_import(job, progress):
    outcome = dossier_imports.import_dossiers(job.user, job.params["round_id"], jobs.read_input(job),
                                              job.params.get("filename", ""), progress=progress)
    notes = " ".join(outcome.notes)
    if outcome.ok:
        count = outcome.created["dossiers"]
        summary = ngettext("Đã tạo %(num)d hồ sơ nháp; hãy bổ sung tệp đính kèm rồi nộp từng hồ sơ.",
                           "Đã tạo %(num)d hồ sơ nháp; hãy bổ sung tệp đính kèm rồi nộp từng hồ sơ.", count)
        return jobs.Result(summary=f"{summary} {notes}".strip())
    problems = outcome.sorted_problems()
    result = jobs.result_file(job, REPORT_NAME, XLSX)
    with open(result.path, "wb") as out:
        out.write(wb.report(problems, with_sheet=False))
    result.summary = " ".join(filter(None, (ngettext(
        "Tệp có %(num)d lỗi nên không hồ sơ nào được tạo. Tải bảng lỗi (dòng, cột, lỗi), sửa tệp rồi nhập lại.",
        "Tệp có %(num)d lỗi nên không hồ sơ nào được tạo. Tải bảng lỗi (dòng, cột, lỗi), sửa tệp rồi nhập lại.",
        len(problems)), notes)))
    return result
