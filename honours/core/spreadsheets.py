"""Spreadsheet output shared by every export (Excel and CSV)."""

# Characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """Text a spreadsheet would run as a formula gets an apostrophe in front (OWASP CSV injection); numbers stay
    numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def keep_text(worksheet) -> None:
    """openpyxl stores any text starting with "=" as a formula, so a name typed as "=HYPERLINK(...)" would run in
    the reader's Excel (formula injection). Every cell stays text, the header row too: headers can be typed by
    users (a criterion's or a field's name)."""
    for cells in worksheet.iter_rows(min_row=1):
        for cell in cells:
            if cell.data_type == "f":
                cell.data_type = "s"
