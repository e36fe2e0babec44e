"""Excel output shared by every export."""


def keep_text(worksheet, first_row: int = 2) -> None:
    """openpyxl stores any text starting with "=" as a formula, so a name typed as "=HYPERLINK(...)" would run in
    the reader's Excel (formula injection). Data cells stay text."""
    for cells in worksheet.iter_rows(min_row=first_row):
        for cell in cells:
            if cell.data_type == "f":
                cell.data_type = "s"
