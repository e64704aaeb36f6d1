"""int_insurance_eob_attachments (B §5): EOB files, their checks, file types and per-check order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ibis
import pandas as pd
import pyarrow as pa

from ibis_models.framework.context import BuildContext
from ibis_models.opendental.intermediate.insurance.int_insurance_eob_attachments import (
    int_insurance_eob_attachments,
)
from tests.opendental.harness import data_test_statuses

AS_OF = dt.date(2025, 6, 30)
MODEL = "int_insurance_eob_attachments"

RAW = {
    "definition": [
        {"DefNum": 300, "Category": 32, "ItemName": "EFT"},
        {"DefNum": 302, "Category": 1, "ItemName": "Senior Discount"},  # not a payment type
    ],
    "claimpayment": [
        {
            "ClaimPaymentNum": 500,
            "CheckDate": dt.date(2025, 5, 10),
            "DateIssued": dt.date(2025, 5, 8),
            "CheckAmt": 130.0,
            "CheckNum": "EFT123",
            "PayType": 300,
            "CarrierName": "Delta Dental",
        },
        # partial batch payment whose PayType points into the wrong definition category
        {"ClaimPaymentNum": 501, "CheckDate": dt.date(2025, 6, 1), "CheckAmt": 40.0, "IsPartial": 1, "PayType": 302},
    ],
    "eobattach": [
        # upper-case pdf, created at the same instant as 3 (id breaks the tie), file kept in a folder
        {
            "EobAttachNum": 1,
            "ClaimPaymentNum": 500,
            "DateTCreated": dt.datetime(2025, 5, 12, 9, 0),
            "FileName": "EOB_May.PDF",
            "RawBase64": "",
        },
        # first file of check 500, stored in the database
        {
            "EobAttachNum": 2,
            "ClaimPaymentNum": 500,
            "DateTCreated": dt.datetime(2025, 5, 11, 8, 0),
            "FileName": "scan.jpeg",
            "RawBase64": "QUJD",
        },
        {"EobAttachNum": 3, "ClaimPaymentNum": 500, "DateTCreated": dt.datetime(2025, 5, 12, 9, 0), "FileName": "eob.txt"},
        # pre-authorization EOB: no check, blank file name
        {"EobAttachNum": 4, "ClaimNumPreAuth": 77, "DateTCreated": dt.datetime(2025, 4, 1, 10, 0), "FileName": "  "},
        # linked to nothing, zero creation date
        {"EobAttachNum": 5, "FileName": "lost.gif"},
        # attached two days before the check was entered
        {"EobAttachNum": 6, "ClaimPaymentNum": 501, "DateTCreated": dt.datetime(2025, 5, 30, 16, 45), "FileName": "x.TIFF"},
        # zero creation date sorts after every dated file of its check
        {"EobAttachNum": 7, "ClaimPaymentNum": 501, "FileName": "batch.pdf"},
    ],
}


def test_int_insurance_eob_attachments_targets_files_checks_and_order(build, target_url):
    built = build(MODEL, RAW, as_of=AS_OF)
    frame = built.frame
    assert frame.eob_attach_id.tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert list(frame.columns) == [c.name for c in int_insurance_eob_attachments.__ibis_model__.columns]

    expected = {
        # id: (target, file_type, embedded, sequence, attachments)
        1: ("claim_payment", "pdf", False, 2, 3),
        2: ("claim_payment", "image", True, 1, 3),
        3: ("claim_payment", "other", False, 3, 3),
        4: ("preauth_claim", None, False, None, None),
        5: ("unlinked", "image", False, None, None),
        6: ("claim_payment", "image", False, 1, 2),
        7: ("claim_payment", "pdf", False, 2, 2),
    }
    for eob, (target, file_type, embedded, sequence, count) in expected.items():
        row = built.row(eob_attach_id=eob)
        assert row["attachment_target"] == target, eob
        assert (None if pd.isna(row["file_type"]) else row["file_type"]) == file_type, eob
        assert bool(row["has_embedded_file"]) is embedded, eob
        assert (None if pd.isna(row["attachment_sequence"]) else row["attachment_sequence"]) == sequence, eob
        assert (None if pd.isna(row["attachments_on_payment"]) else row["attachments_on_payment"]) == count, eob

    eft = built.row(eob_attach_id=2)
    assert eft["claim_payment_id"] == 500 and pd.isna(eft["claim_preauth_id"])
    assert eft["file_name"] == "scan.jpeg"
    assert eft["created_at"] == pd.Timestamp(dt.datetime(2025, 5, 11, 8, 0))
    assert eft["created_date"] == pd.Timestamp(dt.date(2025, 5, 11))
    assert eft["check_date"] == pd.Timestamp(dt.date(2025, 5, 10))
    assert eft["date_issued"] == pd.Timestamp(dt.date(2025, 5, 8))
    assert eft["check_amount"] == Decimal("130.00")
    assert (eft["check_number"], eft["payer_name"]) == ("EFT123", "Delta Dental")
    assert (eft["payment_type_id"], eft["payment_type_name"]) == (300, "EFT")
    assert not eft["is_partial"]
    assert eft["days_check_to_attachment"] == 1
    assert eft["as_of_date"] == pd.Timestamp(AS_OF)

    preauth = built.row(eob_attach_id=4)
    assert preauth["claim_preauth_id"] == 77 and pd.isna(preauth["claim_payment_id"])
    assert pd.isna(preauth["file_name"]) and pd.isna(preauth["check_date"]) and pd.isna(preauth["check_amount"])
    assert not preauth["is_partial"] and pd.isna(preauth["days_check_to_attachment"])

    unlinked = built.row(eob_attach_id=5)
    assert pd.isna(unlinked["created_at"]) and pd.isna(unlinked["created_date"])

    early = built.row(eob_attach_id=6)
    assert early["days_check_to_attachment"] == -2
    assert early["is_partial"]
    assert early["payment_type_id"] == 302 and pd.isna(early["payment_type_name"])
    assert pd.isna(built.row(eob_attach_id=7)["days_check_to_attachment"])

    statuses = data_test_statuses(target_url, MODEL, AS_OF)
    assert statuses["accepted_values(attachment_target) [linked]"] == "warn"
    assert statuses["days_check_to_attachment_not_negative"] == "warn"
    assert statuses["payment_type_is_category_32"] == "warn"
    assert statuses["attachment_sequence_runs_1_to_attachments_on_payment"] == "pass"
    assert not {name for name, status in statuses.items() if status == "fail"}


def test_int_insurance_eob_attachments_check_missing_from_staging_fails_the_build(build):
    raw = {"eobattach": [{"EobAttachNum": 9, "ClaimPaymentNum": 999, "FileName": "a.pdf"}]}
    try:
        build(MODEL, raw, as_of=AS_OF)
    except AssertionError as exc:
        assert "relationships(claim_payment_id -> stg_opendental__claimpayment.claim_payment_id)" in str(exc)
    else:
        raise AssertionError("an EOB on a check missing from staging should fail the build")


def _failing(test_name: str, table: ibis.Table) -> pd.DataFrame:
    test = next(t for t in int_insurance_eob_attachments.__ibis_model__.tests if t.name == test_name)
    return test.failing_rows(table, {}, BuildContext(as_of=AS_OF)).to_pandas()


def test_int_insurance_eob_attachments_sequence_test_catches_gaps_repeats_and_stray_values():
    rows = ibis.memtable(
        pa.table(
            {
                "eob_attach_id": pa.array([1, 2, 3, 4, 5, 6], pa.int64()),
                "claim_payment_id": pa.array([500, 500, 501, 501, 502, None], pa.int64()),
                "attachment_sequence": pa.array([1, 2, 1, 1, 2, None], pa.int64()),
                "attachments_on_payment": pa.array([2, 2, 2, 2, 1, 1], pa.int64()),
            }
        )
    )
    failing = _failing("attachment_sequence_runs_1_to_attachments_on_payment", rows)
    # 501 repeats 1; 502 starts at 2; the unlinked row 6 carries a count.
    assert sorted(failing.claim_payment_id.dropna().astype(int).tolist()) == [501, 502]
    assert failing.eob_attach_id.dropna().astype(int).tolist() == [6]
