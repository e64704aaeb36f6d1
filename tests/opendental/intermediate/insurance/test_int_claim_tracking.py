"""int_claim_tracking (B §9): one row per tracking entry with an existing claim, sequenced per claim."""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
import pyarrow as pa

from ibis_models.framework.context import BuildContext
from ibis_models.opendental.intermediate.insurance.int_claim_tracking import int_claim_tracking
from tests.opendental.harness import data_test_statuses

AS_OF = dt.date(2025, 6, 30)
MODEL = "int_claim_tracking"


def _entry(num: int, claim: int, kind: str, when: dt.datetime | None, **overrides) -> dict:
    row = {"ClaimTrackingNum": num, "ClaimNum": claim, "TrackingType": kind}
    if when is not None:
        row["DateTimeEntry"] = when
    return {**row, **overrides}


RAW = {
    "definition": [
        {"DefNum": 310, "Category": 31, "ItemName": "Appeal sent"},
        {"DefNum": 311, "Category": 31, "ItemName": "Waiting on carrier"},
        {"DefNum": 320, "Category": 43, "ItemName": "Missing X-ray"},
        {"DefNum": 321, "Category": 1, "ItemName": "Not a tracking status"},
    ],
    "claim": [
        {"ClaimNum": 900, "PatNum": 1, "ClaimStatus": "s", "ClaimType": " P ", "DateSent": dt.date(2025, 5, 1)},
        # never sent (zero date), pre-authorization
        {"ClaimNum": 901, "PatNum": 2, "ClaimStatus": "R", "ClaimType": "PreAuth"},
        # a claim with five lines would have fanned every entry out five times in the reference
        {"ClaimNum": 902, "PatNum": 3, "ClaimStatus": "U", "ClaimType": "S"},
    ],
    "claimproc": [{"ClaimProcNum": n, "ClaimNum": 900, "PatNum": 1, "Status": 0} for n in range(1, 6)],
    "claimtracking": [
        # claim 900: the assigned user first, then a status and a receipt at the same instant (id breaks the tie)
        _entry(1, 900, "StatusHistory", dt.datetime(2025, 5, 3, 10, 0), TrackingDefNum=310, UserNum=5, Note="   "),
        _entry(2, 900, "ClaimUser", dt.datetime(2025, 5, 2, 9, 0), UserNum=6),
        _entry(
            3,
            900,
            "StatusHistory",
            dt.datetime(2025, 5, 10, 8, 0),
            TrackingDefNum=311,
            TrackingErrorDefNum=320,
            UserNum=5,
            Note=" Called carrier ",
        ),
        _entry(4, 900, "ClaimProcReceived", dt.datetime(2025, 5, 3, 10, 0), UserNum=5),
        # no claim (0) and a deleted claim: not claim work, dropped
        _entry(5, 0, "StatusHistory", dt.datetime(2025, 5, 3, 10, 0), TrackingDefNum=310),
        _entry(6, 999, "StatusHistory", dt.datetime(2025, 5, 3, 10, 0), TrackingDefNum=310),
        # claim 901: status from the wrong definition category with a zero timestamp (sorts last) ...
        _entry(7, 901, "StatusHistory", None, TrackingDefNum=321),
        # ... two ClaimUser rows, one without a user and dated after as_of_date ...
        _entry(8, 901, "ClaimUser", dt.datetime(2025, 7, 2, 12, 0)),
        _entry(9, 901, "ClaimUser", dt.datetime(2025, 6, 1, 12, 0), UserNum=7),
        # ... and a status entry without a status
        _entry(10, 901, "StatusHistory", dt.datetime(2025, 6, 5, 12, 0)),
    ],
}


def test_int_claim_tracking_sequences_decodes_and_keeps_one_row_per_entry(build, target_url):
    built = build(MODEL, RAW, as_of=AS_OF)
    frame = built.frame
    assert list(frame.columns) == [c.name for c in int_claim_tracking.__ibis_model__.columns]
    assert frame.claim_tracking_id.tolist() == [1, 2, 3, 4, 7, 8, 9, 10]

    expected = {
        # id: (sequence, entries, latest, current status, previous status, days since previous, days since sent)
        2: (1, 4, False, False, None, None, 1),
        1: (2, 4, False, False, None, 1, 2),
        4: (3, 4, False, False, None, 0, 2),
        3: (4, 4, True, True, "Appeal sent", 7, 9),
        9: (1, 4, False, False, None, None, None),
        10: (2, 4, False, False, None, 4, None),
        8: (3, 4, False, False, None, 27, None),
        7: (4, 4, True, True, None, None, None),
    }
    for entry, values in expected.items():
        row = built.row(claim_tracking_id=entry)
        got = tuple(
            None if pd.isna(row[c]) else row[c]
            for c in (
                "entry_sequence",
                "entries_for_claim",
                "is_latest_entry",
                "is_current_status_entry",
                "previous_status_name",
                "days_since_previous_entry",
                "days_since_claim_sent",
            )
        )
        assert got == values, entry

    latest = built.row(claim_tracking_id=3)
    assert (latest["claim_id"], latest["patient_id"], latest["user_id"]) == (900, 1, 5)
    assert latest["tracking_type"] == "StatusHistory"
    assert latest["entry_timestamp"] == pd.Timestamp(dt.datetime(2025, 5, 10, 8, 0))
    assert latest["entry_date"] == pd.Timestamp(dt.date(2025, 5, 10))
    assert latest["tracking_note"] == "Called carrier"
    assert (latest["tracking_status_id"], latest["tracking_status_name"]) == (311, "Waiting on carrier")
    assert (latest["error_code_id"], latest["error_code_name"]) == (320, "Missing X-ray")
    assert (latest["claim_status"], latest["claim_type"]) == ("S", "P")
    assert latest["claim_sent_date"] == pd.Timestamp(dt.date(2025, 5, 1))
    assert latest["as_of_date"] == pd.Timestamp(AS_OF)

    first_status = built.row(claim_tracking_id=1)
    assert pd.isna(first_status["tracking_note"]) and pd.isna(first_status["error_code_id"])
    assert first_status["tracking_status_name"] == "Appeal sent"

    wrong_category = built.row(claim_tracking_id=7)
    assert wrong_category["tracking_status_id"] == 321 and pd.isna(wrong_category["tracking_status_name"])
    assert pd.isna(wrong_category["entry_timestamp"]) and pd.isna(wrong_category["claim_sent_date"])
    assert (wrong_category["claim_status"], wrong_category["claim_type"]) == ("R", "PreAuth")
    assert pd.isna(built.row(claim_tracking_id=8)["user_id"])

    statuses = data_test_statuses(target_url, MODEL, AS_OF)
    for warned in (
        "not_null(tracking_status_id) [where]",
        "not_null(user_id) [where]",
        "at_most_one_claim_user_row_per_claim",
        "tracking_status_is_category_31",
        "entry_date_not_after_as_of",
    ):
        assert statuses[warned] == "warn", warned
    assert statuses["error_code_is_category_43"] == "pass"
    assert statuses["row_count_equals_tracking_rows_with_claim"] == "pass"
    assert statuses["entry_sequence_runs_1_to_entries_for_claim_with_one_latest"] == "pass"
    assert not {name for name, status in statuses.items() if status == "fail"}


def test_int_claim_tracking_unknown_tracking_type_fails_the_build(build):
    raw = {"claim": [{"ClaimNum": 900, "PatNum": 1}], "claimtracking": [_entry(1, 900, "denied", None)]}
    try:
        build(MODEL, raw, as_of=AS_OF)
    except AssertionError as exc:
        assert "accepted_values(tracking_type)" in str(exc)
    else:
        raise AssertionError("a tracking type outside the enumeration should fail the build")


def _failing(test_name: str, table: ibis.Table, **refs) -> pd.DataFrame:
    test = next(t for t in int_claim_tracking.__ibis_model__.tests if t.name == test_name)
    return test.failing_rows(table, refs, BuildContext(as_of=AS_OF)).to_pandas()


def test_int_claim_tracking_grain_tests_catch_fan_out_and_broken_sequences():
    fanned = ibis.memtable(
        pa.table(
            {
                "claim_tracking_id": pa.array([1, 1, 2, 3, 4], pa.int64()),
                "claim_id": pa.array([900, 900, 900, 901, 902], pa.int64()),
                "tracking_type": ["StatusHistory", "StatusHistory", "ClaimUser", "ClaimUser", "StatusHistory"],
                "entry_sequence": pa.array([1, 1, 2, 1, 1], pa.int64()),
                "entries_for_claim": pa.array([3, 3, 3, 1, 1], pa.int64()),
                "is_latest_entry": [False, False, True, True, False],
                "is_current_status_entry": [True, True, False, True, False],
            }
        )
    )
    claims = ibis.memtable(pa.table({"claim_id": pa.array([900, 901, 902], pa.int64())}))
    tracking = ibis.memtable(
        pa.table(
            {"claim_tracking_id": pa.array([1, 2, 3, 4], pa.int64()), "claim_id": pa.array([900, 900, 901, 902], pa.int64())}
        )
    )
    counts = _failing(
        "row_count_equals_tracking_rows_with_claim", fanned, stg_opendental__claimtracking=tracking, stg_opendental__claim=claims
    )
    assert counts[["model_rows", "expected_rows"]].values.tolist() == [[5, 4]]
    broken = _failing("entry_sequence_runs_1_to_entries_for_claim_with_one_latest", fanned)
    # 900: repeated sequence and two current statuses; 901: current status on a ClaimUser row; 902: no latest
    assert sorted(broken.claim_id.tolist()) == [900, 901, 902]
