"""Reading person records: all-or-nothing, with the row and field of the first fault."""

import pytest

from baesang.identity.records import (
    ERR_BAD_DATE,
    ERR_DUPLICATE_ID,
    ERR_MISSING_COLUMN,
    PersonRecord,
    RecordError,
    features_of,
    read_records,
)


def _write(tmp_path, text):
    path = tmp_path / "records.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_only_id_and_name_are_required(tmp_path):
    records = read_records(_write(tmp_path, "id,name\n1,박순이\n2,Park Sun-i\n"))
    assert [r.name for r in records] == ["박순이", "Park Sun-i"]
    assert records[0].birth_date == ""


def test_missing_id_column(tmp_path):
    with pytest.raises(RecordError) as caught:
        read_records(_write(tmp_path, "name\n박순이\n"))
    assert (caught.value.code, caught.value.row, caught.value.field) == (ERR_MISSING_COLUMN, 1, "id")


def test_duplicate_id_names_the_row(tmp_path):
    with pytest.raises(RecordError) as caught:
        read_records(_write(tmp_path, "id,name\n1,박순이\n2,김정웅\n1,이영수\n"))
    assert (caught.value.code, caught.value.row, caught.value.field) == (ERR_DUPLICATE_ID, 4, "id")


def test_unreadable_date_names_the_row_and_field(tmp_path):
    with pytest.raises(RecordError) as caught:
        read_records(_write(tmp_path, "id,name,birth_date\n1,박순이,1921-05-03\n2,김정웅,someday\n"))
    assert (caught.value.code, caught.value.row, caught.value.field) == (ERR_BAD_DATE, 3, "birth_date")
    assert "row 3" in str(caught.value) and "birth_date" in str(caught.value)


def test_lunar_only_dates_are_readable(tmp_path):
    text = "id,name,birth_date,birth_calendar\n1,박순이,1921-02-30,lunar\n2,김정웅,1921-02-30,\n"
    assert len(read_records(_write(tmp_path, text))) == 2


def test_features_of_a_roster_entry():
    features = features_of(
        PersonRecord(id="J1", name="金本正雄", birth_date="大正10年5月3日", hometown="全羅北道 金堤郡",
                     employer="三菱重工業", worksite="長崎造船所", sex="男")
    )
    assert features["surname_key"] is None and features["given_key"]
    assert features["bd_written"] == "1921-05-03"
    assert features["county"] == "전라북도/김제군"
    assert features["site"] == "mhi/nagasaki"
    assert features["sex"] == "M"
