"""int_claim_snapshot (B §8): frozen estimates beside actual payments, one row per snapshot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ibis
import pandas as pd
import pyarrow as pa

from ibis_models.framework.context import BuildContext
from ibis_models.opendental.intermediate.insurance.int_claim_snapshot import int_claim_snapshot
from tests.opendental.harness import data_test_statuses

AS_OF = dt.date(2025, 6, 30)
MODEL = "int_claim_snapshot"


def _claimproc(num: int, claim: int, proc: int, status: int, **overrides) -> dict:
    row = {
        "ClaimProcNum": num,
        "ClaimNum": claim,
        "ProcNum": proc,
        "Status": status,
        "PatNum": 1,
        "PlanNum": 7,
        "InsSubNum": 8,
        "AllowedOverride": -1.0,
        "CopayAmt": -1.0,
        "PaidOtherIns": -1.0,
        "Percentage": -1,
    }
    return {**row, **overrides}


def _snapshot(num: int, claimproc: int, proc: int, trigger: int, when: dt.datetime | None, **overrides) -> dict:
    row = {
        "ClaimSnapshotNum": num,
        "ClaimProcNum": claimproc,
        "ProcNum": proc,
        "SnapshotTrigger": trigger,
        "ClaimType": "P",
        "Fee": 120.0,
        "InsPayEst": 85.0,
        "Writeoff": 18.0,
    }
    if when is not None:
        row["DateTEntry"] = when
    return {**row, **overrides}


RAW = {
    "patient": [{"PatNum": 1, "Guarantor": 1, "LName": "Subscriber"}],
    "carrier": [{"CarrierNum": 40, "CarrierName": "Delta Dental"}],
    "insplan": [{"PlanNum": 7, "CarrierNum": 40}],
    "procedurecode": [{"CodeNum": 1, "ProcCode": "D2391"}, {"CodeNum": 2, "ProcCode": "D1110"}],
    "procedurelog": [
        {"ProcNum": 10, "PatNum": 1, "CodeNum": 1, "ProcStatus": 2},
        {"ProcNum": 11, "PatNum": 1, "CodeNum": 2, "ProcStatus": 2},
        {"ProcNum": 12, "PatNum": 1, "CodeNum": 1, "ProcStatus": 2},
    ],
    "claim": [
        {
            "ClaimNum": 900,
            "PatNum": 1,
            "PlanNum": 7,
            "InsSubNum": 8,
            "ClaimStatus": "R",
            "ClaimType": "P",
            "DateSent": dt.date(2025, 5, 1),
            "DateReceived": dt.date(2025, 5, 20),
        },
        {
            "ClaimNum": 901,
            "PatNum": 1,
            "PlanNum": 7,
            "InsSubNum": 8,
            "ClaimStatus": "S",
            "ClaimType": "P",
            "DateSent": dt.date(2025, 6, 1),
        },
    ],
    "claimpayment": [
        {"ClaimPaymentNum": 500, "CheckDate": dt.date(2025, 5, 20), "CheckAmt": 90.0},
        {"ClaimPaymentNum": 501, "CheckDate": dt.date(2025, 6, 10), "CheckAmt": 15.0},
    ],
    "claimproc": [
        # received line and a supplemental payment on the same claim and procedure
        _claimproc(
            1000,
            900,
            10,
            1,
            InsPayAmt=80.0,
            WriteOff=20.0,
            InsPayEst=85.0,
            AllowedOverride=105.0,
            ClaimAdjReasonCodes="45",
            ClaimPaymentNum=500,
            DateCP=dt.date(2025, 5, 20),
        ),
        _claimproc(1001, 900, 10, 4, InsPayAmt=15.0, ClaimPaymentNum=501, DateCP=dt.date(2025, 6, 10)),
        _claimproc(
            1002, 900, 11, 1, InsPayAmt=10.0, WriteOff=5.0, InsPayEst=40.0, ClaimPaymentNum=500, DateCP=dt.date(2025, 5, 20)
        ),
        # sent, not received yet
        _claimproc(1003, 901, 12, 0, InsPayEst=50.0),
        # unattached estimate snapshotted by the service (trigger 1)
        _claimproc(1004, 0, 12, 6, InsPayEst=50.0),
    ],
    "claimsnapshot": [
        _snapshot(1, 1000, 10, 0, dt.datetime(2025, 5, 1, 10, 0)),
        # snapshot taken on payment entry five days after the first check; blank (-1) write-off
        _snapshot(2, 1000, 10, 2, dt.datetime(2025, 5, 25, 9, 30), Writeoff=-1.0),
        # ProcNum 0 on the snapshot: the procedure comes from the claimproc; lower-case padded type
        _snapshot(3, 1003, 0, 0, dt.datetime(2025, 6, 1, 8, 0), ClaimType=" s ", InsPayEst=50.0, Writeoff=10.0),
        _snapshot(4, 1004, 12, 1, dt.datetime(2025, 5, 31, 23, 0), ClaimType="", InsPayEst=50.0),
        # claimproc deleted since; pre-authorization type and a negative fee (both never written by OpenDental)
        _snapshot(5, 2000, 11, 0, dt.datetime(2025, 4, 1, 8, 0), ClaimType="PreAuth", Fee=-5.0, Writeoff=5.0),
        # no entry time (row older than DateTEntry)
        _snapshot(6, 1002, 11, 2, None, InsPayEst=40.0, Writeoff=5.0),
        # no claimproc at all
        _snapshot(7, 0, 10, 1, dt.datetime(2025, 5, 1, 0, 0), ClaimType=""),
    ],
}


def _value(row: dict, column: str):
    value = row[column]
    return None if pd.isna(value) else value


def test_int_claim_snapshot_puts_actuals_and_payment_timing_beside_estimates(build, target_url):
    built = build(MODEL, RAW, as_of=AS_OF)
    frame = built.frame
    assert list(frame.columns) == [c.name for c in int_claim_snapshot.__ibis_model__.columns]
    assert frame.claim_snapshot_id.tolist() == [1, 2, 3, 4, 5, 6, 7]

    first = built.row(claim_snapshot_id=1)
    assert (first["claim_procedure_id"], first["procedure_id"], first["claim_id"]) == (1000, 10, 900)
    assert (first["patient_id"], first["insurance_plan_id"], first["carrier_id"]) == (1, 7, 40)
    assert first["procedure_code"] == "D2391"
    assert first["entry_timestamp"] == pd.Timestamp(dt.datetime(2025, 5, 1, 10, 0))
    assert first["_created_at"] == first["entry_timestamp"]
    assert first["snapshot_date"] == pd.Timestamp(dt.date(2025, 5, 1))
    assert (first["snapshot_trigger"], first["snapshot_trigger_name"]) == (0, "claim_created")
    assert (first["snapshot_claim_type"], first["claim_type"], first["claim_status"]) == ("P", "P", "R")
    assert first["claim_procedure_status"] == 1
    assert (first["fee_amount"], first["insurance_payment_estimate"], first["estimated_write_off"]) == (
        Decimal("120.00"),
        Decimal("85.00"),
        Decimal("18.00"),
    )
    # received 80 + supplemental 15; write-off 20 + 0
    assert (first["actual_payment_amount"], first["actual_write_off"]) == (Decimal("95.00"), Decimal("20.00"))
    assert (first["payment_variance"], first["write_off_variance"]) == (Decimal("10.00"), Decimal("2.00"))
    assert first["actual_allowed_amount"] == Decimal("105.00")
    assert first["claim_adjustment_reason_codes"] == "45"
    assert first["first_payment_date"] == pd.Timestamp(dt.date(2025, 5, 20))
    assert first["most_recent_payment_date"] == pd.Timestamp(dt.date(2025, 6, 10))
    assert first["days_to_payment"] == 19 and not first["is_payment_before_snapshot"]
    assert first["as_of_date"] == pd.Timestamp(AS_OF)

    on_payment = built.row(claim_snapshot_id=2)
    assert (on_payment["snapshot_trigger_name"], on_payment["estimated_write_off"]) == ("insurance_payment", Decimal("0.00"))
    assert on_payment["write_off_variance"] == Decimal("20.00")
    assert on_payment["days_to_payment"] == 0 and on_payment["is_payment_before_snapshot"]

    unreceived = built.row(claim_snapshot_id=3)
    assert (unreceived["procedure_id"], unreceived["claim_id"], unreceived["procedure_code"]) == (12, 901, "D2391")
    assert (unreceived["snapshot_claim_type"], unreceived["claim_status"]) == ("s", "S")
    assert pd.isna(unreceived["actual_allowed_amount"])
    for column in (
        "actual_payment_amount",
        "actual_write_off",
        "payment_variance",
        "write_off_variance",
        "first_payment_date",
        "most_recent_payment_date",
        "days_to_payment",
        "is_payment_before_snapshot",
    ):
        assert _value(unreceived, column) is None, column

    estimate = built.row(claim_snapshot_id=4)
    assert (estimate["snapshot_trigger_name"], estimate["claim_procedure_status"]) == ("service", 6)
    for column in ("snapshot_claim_type", "claim_id", "carrier_id", "claim_type", "claim_status", "actual_payment_amount"):
        assert _value(estimate, column) is None, column
    assert not estimate["is_orphaned_snapshot"]

    orphan = built.row(claim_snapshot_id=5)
    assert orphan["is_orphaned_snapshot"] and orphan["claim_procedure_id"] == 2000
    assert (orphan["procedure_id"], orphan["procedure_code"]) == (11, "D1110")
    assert _value(orphan, "claim_id") is None and _value(orphan, "claim_procedure_status") is None

    undated = built.row(claim_snapshot_id=6)
    assert _value(undated, "snapshot_date") is None
    assert undated["first_payment_date"] == pd.Timestamp(dt.date(2025, 5, 20))
    assert _value(undated, "days_to_payment") is None and _value(undated, "is_payment_before_snapshot") is None
    assert (undated["actual_payment_amount"], undated["payment_variance"]) == (Decimal("10.00"), Decimal("-30.00"))

    no_claimproc = built.row(claim_snapshot_id=7)
    assert _value(no_claimproc, "claim_procedure_id") is None and no_claimproc["procedure_id"] == 10
    assert no_claimproc["is_orphaned_snapshot"]

    sequences = {
        # id: (sequence, latest)
        1: (1, False),
        2: (2, True),
        3: (1, True),
        4: (1, True),
        5: (1, True),
        6: (1, True),
        7: (None, False),
    }
    for snapshot, (sequence, latest) in sequences.items():
        row = built.row(claim_snapshot_id=snapshot)
        assert (_value(row, "snapshot_sequence"), bool(row["is_latest_snapshot_for_claimproc"])) == (sequence, latest)

    statuses = data_test_statuses(target_url, MODEL, AS_OF)
    for warned in (
        "snapshot_is_not_orphaned",
        "not_null(claim_id) [where]",
        "snapshot_claim_type_is_p_s_other_or_cap",
        "snapshot_amounts_not_negative",
    ):
        assert statuses[warned] == "warn", warned
    assert statuses["relationships(claim_id -> stg_opendental__claim.claim_id)"] == "pass"
    assert statuses["days_to_payment_follows_first_payment_date"] == "pass"
    assert not {name for name, status in statuses.items() if status == "fail"}


def test_int_claim_snapshot_builds_with_no_snapshots(build):
    built = build(MODEL, {"claimsnapshot": []}, as_of=AS_OF)
    assert built.frame.empty


def _failing(test_name: str, table: ibis.Table) -> pd.DataFrame:
    test = next(t for t in int_claim_snapshot.__ibis_model__.tests if t.name == test_name)
    return test.failing_rows(table, {}, BuildContext(as_of=AS_OF)).to_pandas()


def test_int_claim_snapshot_tests_catch_minus_estimate_variance_and_two_latest_rows():
    money = pa.decimal128(18, 2)
    rows = ibis.memtable(
        pa.table(
            {
                "claim_snapshot_id": pa.array([1, 2, 3], pa.int64()),
                "claim_procedure_id": pa.array([1000, 1000, 1003], pa.int64()),
                # 3 is the reference's "0 - estimate" variance on an unreceived line
                "actual_payment_amount": pa.array([Decimal("95"), Decimal("95"), None], money),
                "insurance_payment_estimate": pa.array([Decimal("85"), Decimal("85"), Decimal("50")], money),
                "payment_variance": pa.array([Decimal("10"), Decimal("10"), Decimal("-50")], money),
                "actual_write_off": pa.array([None, None, None], money),
                "estimated_write_off": pa.array([Decimal("0")] * 3, money),
                "write_off_variance": pa.array([None, None, None], money),
                "is_latest_snapshot_for_claimproc": [True, True, False],
            }
        )
    )
    assert _failing("variances_are_actual_minus_estimate_or_null", rows).claim_snapshot_id.tolist() == [3]
    assert sorted(_failing("one_latest_snapshot_per_claimproc", rows).claim_procedure_id.tolist()) == [1000, 1003]
