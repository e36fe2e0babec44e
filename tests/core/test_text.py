from honours.core.text import fold, like_pattern, name_sort_key


def test_fold_strips_diacritics_and_both_kinds_of_d():
    assert fold("  Nguyễn   Văn Đức ") == "nguyen van duc"
    assert fold("ÐẶNG THỊ ĐÀO") == "dang thi dao"  # U+00D0 looks like Đ
    assert fold(None) == ""


def test_vietnamese_name_order_is_given_name_first():
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê An", "Phạm Bình"]
    assert sorted(names, key=name_sort_key) == ["Lê An", "Nguyễn Thị An", "Phạm Bình", "Trần Văn Bình"]


def test_like_pattern_escapes_wildcards():
    assert like_pattern("50%_x") == "%50\\%\\_x%"


def test_keep_text_guards_the_header_row_too():
    """Every export's headers can hold typed names (criteria, fields): none may become a formula (finding 12)."""
    import openpyxl

    from honours.core.spreadsheets import keep_text

    sheet = openpyxl.Workbook().active
    sheet.append(["=1+1", "Họ và tên"])
    sheet.append(["=2+2", "An"])
    keep_text(sheet)
    assert [cell.data_type for row in sheet.iter_rows() for cell in row] == ["s", "s", "s", "s"]
