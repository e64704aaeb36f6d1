"""``int_claim_details``: one row per claimproc on an existing claim, the line-level insurance claim fact."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import (
    accepted_range,
    accepted_values,
    custom,
    expression_is_true,
    model,
    not_null,
    relationships,
)
from ibis_models.opendental.expressions import MONEY_TOLERANCE, days_between, definitions_of, greatest, money, nb, nz
from ibis_models.opendental.intermediate.insurance._common import (
    CLAIM_TYPE_DESCRIPTIONS,
    claim_procedure_status_description,
    claim_status_code,
    claim_status_description,
    claim_type_description,
    claim_type_upper,
    first_per_key,
    joinable,
    plan_type_code,
    plan_type_description,
)

__all__ = ["int_claim_details"]

_PAYMENT_TRACKING_CATEGORY = 36  # DefCat ClaimPaymentTracking (e.g. denial reason), B §2.10
_NOT_RECEIVED, _PREAUTH, _SUPPLEMENTAL = 0, 2, 4
_CDT_CATEGORIES = {
    "D0": "diagnostic",
    "D1": "preventive",
    "D2": "restorative",
    "D3": "endodontics",
    "D4": "periodontics",
    "D5": "prosthodontics_removable",
    "D7": "oral_surgery",
    "D8": "orthodontics",
    "D9": "adjunctive",
}
_HEADER_TOTALS = {  # line column -> claim header column (stg claim)
    "billed_amount": "claim_fee",
    "insurance_estimate_amount": "insurance_payment_estimate",
    "paid_amount": "insurance_payment_amount",
    "write_off_amount": "write_off",
    "deductible_applied": "deductible_applied",
}


def _code_prefix(code: ir.StringValue) -> ir.StringValue:
    """'D' plus a digit (B §6.5 R8), from substr + isin rather than a regex whose flavour differs per engine."""
    normal = code.strip().upper()
    is_cdt = (normal.substr(0, 1) == "D") & normal.substr(1, 1).isin(list("0123456789"))
    return ibis.ifelse(is_cdt.fill_null(False), normal.substr(0, 2), ibis.null("string"))


def _cdt_service_category(code: ir.StringValue, prefix: ir.StringValue) -> ir.StringValue:
    normal = code.strip().upper()
    # normal < 'D62' for a D6 code means the third character sorts before '2': spelled out on the
    # characters so it does not depend on the database collation.
    implant = (normal.length() < 3) | normal.substr(2, 1).isin(["0", "1"])
    return ibis.cases(
        (prefix.isnull(), "non_cdt"),
        *((prefix == p, label) for p, label in _CDT_CATEGORIES.items()),
        ((prefix == "D6") & implant, "implant_services"),
        (prefix == "D6", "prosthodontics_fixed"),
        else_="non_cdt",
    )


def _aging_bucket(days: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(
        (days.isnull(), ibis.null("string")),
        (days <= 30, "0-30"),
        (days <= 60, "31-60"),
        (days <= 90, "61-90"),
        else_="91+",
    )


def _attached_claimprocs(claimproc: ir.Table) -> ir.Table:
    return claimproc.filter(nz(claimproc.claim_id).notnull())


def _expected_lines(stg_opendental__claimproc: ir.Table, stg_opendental__claim: ir.Table) -> ir.Table:
    lines = _attached_claimprocs(stg_opendental__claimproc)
    return lines.semi_join(stg_opendental__claim, nz(lines.claim_id) == stg_opendental__claim.claim_id)


def _row_count_matches(t: ir.Table, stg_opendental__claimproc: ir.Table, stg_opendental__claim: ir.Table) -> ir.Table:
    expected = _expected_lines(stg_opendental__claimproc, stg_opendental__claim)
    counts = ibis.memtable({"one": [1]}).select(model_rows=t.count().as_scalar(), expected_rows=expected.count().as_scalar())
    return counts.filter(counts.model_rows != counts.expected_rows)


def _orphan_claimprocs(t: ir.Table, stg_opendental__claimproc: ir.Table, stg_opendental__claim: ir.Table) -> ir.Table:
    lines = _attached_claimprocs(stg_opendental__claimproc)
    orphans = lines.anti_join(stg_opendental__claim, nz(lines.claim_id) == stg_opendental__claim.claim_id)
    return orphans.select("claim_procedure_id", "claim_id")


def _open_line_on_received_claim(t: ir.Table) -> ir.Table:
    return t.filter((t.claim_status == "R") & (t.claim_procedure_status == _NOT_RECEIVED) & ~t.is_overpay)


def _claimproc_disagrees_with_claim(
    t: ir.Table, stg_opendental__claimproc: ir.Table, stg_opendental__claim: ir.Table
) -> ir.Table:
    """OpenDental requires a claimproc's patient (and plan, when both are set) to equal its claim's."""
    cp = stg_opendental__claimproc.select(
        claim_procedure_id=stg_opendental__claimproc.claim_procedure_id,
        cp_claim_id=nz(stg_opendental__claimproc.claim_id),
        cp_patient_id=nz(stg_opendental__claimproc.patient_id),
        cp_plan_id=nz(stg_opendental__claimproc.plan_id),
    )
    claim = stg_opendental__claim.select(
        claim_id=stg_opendental__claim.claim_id,
        claim_patient_id=nz(stg_opendental__claim.patient_id),
        claim_plan_id=nz(stg_opendental__claim.plan_id),
    )
    j = cp.join(claim, cp.cp_claim_id == claim.claim_id)
    patient_differs = (j.cp_patient_id != j.claim_patient_id).fill_null(True)
    plan_differs = (j.cp_plan_id != j.claim_plan_id).fill_null(False)
    return j.filter(patient_differs | plan_differs)


def _header_differs_from_lines(t: ir.Table, stg_opendental__claim: ir.Table) -> ir.Table:
    """Claims whose stored header totals differ from the sum of their lines by more than 0.01."""
    sums = t.group_by("claim_id").aggregate(**{f"lines_{col}": t[col].sum().fill_null(0) for col in _HEADER_TOTALS})
    claim = stg_opendental__claim
    header = claim.select(
        header_claim_id=claim.claim_id,
        **{f"header_{col}": claim[src].fill_null(0) for col, src in _HEADER_TOTALS.items()},
    )
    j = sums.join(header, sums.claim_id == header.header_claim_id)
    tolerance = money(MONEY_TOLERANCE)
    differs = [(j[f"lines_{col}"].round(2) - j[f"header_{col}"].round(2)).abs() > tolerance for col in _HEADER_TOTALS]
    return j.filter(ibis.or_(*differs)).select("claim_id", *(f"lines_{c}" for c in _HEADER_TOTALS))


def _money_on_unreceived_lines(t: ir.Table) -> ir.Table:
    rows = t.filter(t.claim_procedure_status.isin([_NOT_RECEIVED, _PREAUTH]))
    sums = rows.group_by("claim_id").aggregate(paid=rows.paid_amount.sum().fill_null(0))
    return sums.filter(sums.paid != 0)


@model(
    system="B",
    grain="one row per claimproc attached to an existing claim (claimproc.ClaimProcNum with ClaimNum > 0)",
    key=["claim_procedure_id"],
    columns={
        "claim_procedure_id": ("bigint", "claimproc.ClaimProcNum"),
        "claim_id": ("bigint", "claim.ClaimNum"),
        "procedure_id": ("bigint", "nz(ProcNum); NULL for by-total payment lines"),
        "patient_id": ("bigint", "coalesce(nz(claimproc.PatNum), claim.PatNum)"),
        "provider_id": ("bigint", "nz(claimproc.ProvNum): the provider credited with insurance income"),
        "clinic_id": ("bigint", "nz(claimproc.ClinicNum)"),
        "treating_provider_id": ("bigint", "nz(claim.ProvTreat)"),
        "billing_provider_id": ("bigint", "nz(claim.ProvBill)"),
        "insurance_plan_id": ("bigint", "coalesce(nz(claimproc.PlanNum), nz(claim.PlanNum))"),
        "insurance_subscriber_id": ("bigint", "coalesce(nz(claimproc.InsSubNum), nz(claim.InsSubNum))"),
        "carrier_id": ("bigint", "nz(insplan.CarrierNum) of insurance_plan_id"),
        "patient_plan_id": ("bigint", "Enrollment from int_insurance_coverage; NULL when the coverage is gone"),
        "claim_payment_id": ("bigint", "nz(ClaimPaymentNum): the check this line was finalized on"),
        "procedure_code_id": ("bigint", "nz(procedurelog.CodeNum)"),
        "claim_status": ("string", "upper(trim(ClaimStatus))"),
        "claim_status_description": ("string", "Claim status label (B §2.1)"),
        "claim_type": ("string", "ClaimType as stored, trimmed"),
        "claim_type_description": ("string", "Claim type label (B §2.2)"),
        "is_preauth": ("boolean", "upper(trim(claim_type)) = 'PREAUTH'"),
        "claim_service_date": ("date", "claim.DateService"),
        "claim_sent_date": ("date", "claim.DateSent (latest send)"),
        "claim_original_sent_date": ("date", "claim.DateSentOrig"),
        "claim_received_date": ("date", "claim.DateReceived"),
        "claim_date": ("date", "coalesce(claim_service_date, procedure_date)"),
        "claim_procedure_status": ("bigint", "claimproc.Status"),
        "claim_procedure_status_description": ("string", "Claimproc status label (B §2.3)"),
        "is_supplemental": ("boolean", "Status = 4 Supplemental"),
        "is_by_total_payment": ("boolean", "procedure_id is NULL"),
        "is_transfer": ("boolean", "claimproc.IsTransfer"),
        "is_overpay": ("boolean", "claimproc.IsOverpay"),
        "no_bill_insurance": ("boolean", "claimproc.NoBillIns"),
        "procedure_date": ("date", "claimproc.ProcDate"),
        "payment_date": ("date", "claimproc.DateCP: the payment date of income reports"),
        "insurance_finalized_date": ("date", "claimproc.DateInsFinalized"),
        "code_sent": ("string", "claimproc.CodeSent"),
        "remarks": ("string", "claimproc.Remarks (EOB remarks)"),
        "claim_adjustment_reason_codes": ("string", "Comma-separated X12 CARC codes from an ERA"),
        "claim_payment_tracking_id": ("bigint", "nz(ClaimPaymentTracking)"),
        "claim_payment_tracking_reason": ("string", "definition.ItemName (category 36, e.g. denial reason)"),
        "billed_amount": ("decimal(10,2)", "FeeBilled"),
        "insurance_estimate_amount": ("decimal(10,2)", "InsPayEst"),
        "paid_amount": ("decimal(10,2)", "InsPayAmt (negative = recoupment)"),
        "write_off_amount": ("decimal(10,2)", "WriteOff: the insurance (contractual) write-off"),
        "deductible_applied": ("decimal(10,2)", "DedApplied"),
        "allowed_amount": ("decimal(10,2)", "nb(AllowedOverride)"),
        "copay_amount": ("decimal(10,2)", "nb(CopayAmt): patient copay estimate"),
        "paid_other_insurance": ("decimal(10,2)", "nb(PaidOtherIns)"),
        "coverage_percent": ("bigint", "coalesce(nb(PercentOverride), nb(Percentage))"),
        "outstanding_insurance_amount": ("decimal(10,2)", "insurance_estimate_amount when status = 0, else 0"),
        "procedure_code": ("string", "procedurecode.ProcCode"),
        "procedure_description": ("string", "procedurecode.Descript"),
        "abbreviated_description": ("string", "procedurecode.AbbrDesc"),
        "procedure_category_id": ("bigint", "nz(procedurecode.ProcCat)"),
        "treatment_area": ("bigint", "procedurecode.TreatArea"),
        "is_prosthetic": ("boolean", "procedurecode.IsProsth"),
        "is_hygiene": ("boolean", "procedurecode.IsHygiene"),
        "is_radiology": ("boolean", "procedurecode.IsRadiology"),
        "procedure_code_prefix": ("string", "'D' plus its digit for CDT codes, else NULL"),
        "cdt_service_category": ("string", "CDT service category from the prefix (B §6.5 R8)"),
        "procedure_fee": ("decimal(10,2)", "procedurelog.ProcFee (the office fee)"),
        "tooth_number": ("string", "procedurelog.ToothNum"),
        "carrier_name": ("string", "carrier.CarrierName"),
        "plan_type": ("string", "Decoded insplan.PlanType (B §2.8)"),
        "plan_type_code": ("string", "Normalised insplan.PlanType (B §2.8)"),
        "group_name": ("string", "insplan.GroupName"),
        "group_number": ("string", "insplan.GroupNum"),
        "coverage_ordinal": ("bigint", "int_insurance_coverage.ordinal of patient_plan_id"),
        "verification_date": ("date", "int_insurance_coverage.verification_date"),
        "is_coverage_active": ("boolean", "int_insurance_coverage.is_active"),
        "days_to_receive": ("bigint", "claim_received_date - claim_sent_date on received (R) claims"),
        "days_outstanding": ("bigint", "max(0, as_of_date - claim_sent_date) on sent (S) claims"),
        "claim_aging_bucket": ("string", "0-30, 31-60, 61-90 or 91+ from days_outstanding"),
        "_created_at": ("timestamp", "claimproc.SecDateEntry"),
        "_updated_at": ("timestamp", "greatest(claimproc.SecDateTEdit, claim.SecDateTEdit)"),
        "as_of_date": ("date", "ctx.as_of, the build's reporting date"),
    },
    tests=[
        relationships("claim_procedure_id", to="stg_opendental__claimproc.claim_procedure_id"),
        not_null("claim_id"),
        relationships("claim_id", to="stg_opendental__claim.claim_id"),
        custom("row_count_equals_attached_claimprocs_with_claim", _row_count_matches),
        custom("no_claimproc_points_at_missing_claim", _orphan_claimprocs, severity="warn"),
        accepted_values("claim_procedure_status", range(10)),
        not_null("claim_procedure_status"),
        accepted_values("claim_procedure_status", (0, 1, 2, 4, 5), severity="warn", label="attached statuses"),
        accepted_values("claim_status", ("U", "H", "W", "S", "R", "I"), severity="warn"),
        expression_is_true(
            "claim_type_is_known",
            lambda t: claim_type_upper(t.claim_type).isin(list(CLAIM_TYPE_DESCRIPTIONS)),
            severity="warn",
        ),
        expression_is_true(
            "preauth_claim_iff_preauth_line",
            lambda t: t.is_preauth == (t.claim_procedure_status == _PREAUTH),
            severity="warn",
        ),
        custom("received_claim_has_no_open_line", _open_line_on_received_claim, severity="warn"),
        custom("claimproc_patient_and_plan_match_claim", _claimproc_disagrees_with_claim, severity="warn"),
        accepted_range("write_off_amount", min=0, severity="warn"),
        relationships("patient_id", to="stg_opendental__patient.patient_id"),
        relationships("insurance_plan_id", to="stg_opendental__insplan.insurance_plan_id"),
        relationships("patient_plan_id", to="int_insurance_coverage.patient_plan_id"),
        not_null("insurance_plan_id", "carrier_id", severity="warn"),
        custom("claim_header_totals_equal_line_sums", _header_differs_from_lines, severity="warn"),
        custom("no_payment_on_unreceived_lines", _money_on_unreceived_lines, severity="warn"),
        not_null("claim_received_date", where=lambda t: t.claim_status == "R", severity="warn"),
        not_null("claim_sent_date", where=lambda t: t.claim_status == "S", severity="warn"),
        accepted_range("days_to_receive", min=0, severity="warn"),
        expression_is_true(
            "allowed_at_most_10x_billed",
            lambda t: t.allowed_amount <= t.billed_amount * 10,
            where=lambda t: (t.billed_amount > 0) & t.allowed_amount.notnull(),
            severity="warn",
        ),
        accepted_range("billed_amount", min=0, severity="warn"),
        accepted_range("coverage_percent", min=0, max=100, severity="warn"),
    ],
)
def int_claim_details(
    stg_opendental__claimproc,
    stg_opendental__claim,
    stg_opendental__procedurelog,
    stg_opendental__procedurecode,
    stg_opendental__insplan,
    stg_opendental__carrier,
    stg_opendental__definition,
    int_insurance_coverage,
    ctx,
):
    """Every procedure, supplemental and by-total line on an existing claim, with claim, plan and coverage (B §6).

    ClaimNum 0 claimprocs (estimates, adjustments, history) are not claim lines; claimprocs on a
    missing claim are dropped and reported by a warn test. Plan, carrier and group come from the
    plan the claim was billed to, not from coverage, which disappears when a plan is dropped (R4).
    The enrollment is found through (patient, InsSubNum), lowest ordinal first (R6); the reference
    joined coverage on the wrong id. ``outstanding_insurance_amount`` is the estimate of NotReceived
    lines, unsent claims included (R7). Claim timing is repeated on every line: days to receive on
    R claims, days outstanding (floored at 0, as of ``as_of_date``) on S claims (R9).
    """
    as_of = ibis.literal(ctx.as_of)
    cp = _attached_claimprocs(stg_opendental__claimproc)
    cp = cp.mutate(cp_claim_id=nz(cp.claim_id))
    c = stg_opendental__claim
    claim = c.select(
        c_claim_id=c.claim_id,
        c_patient_id=nz(c.patient_id),
        c_plan_id=nz(c.plan_id),
        c_subscriber_id=nz(c.insurance_subscriber_id),
        treating_provider_id=nz(c.treating_provider_id),
        billing_provider_id=nz(c.billing_provider_id),
        claim_status=claim_status_code(c.claim_status),
        claim_type=c.claim_type.strip(),
        claim_service_date=c.service_date,
        claim_sent_date=c.sent_date,
        claim_original_sent_date=c.original_sent_date,
        claim_received_date=c.received_date,
        claim_updated=c.sec_date_t_edit,
    )
    lines = cp.join(claim, cp.cp_claim_id == claim.c_claim_id)
    lines = lines.select(
        claim_procedure_id=lines.claim_procedure_id,
        claim_id=lines.cp_claim_id,
        procedure_id=nz(lines.procedure_id),
        patient_id=ibis.coalesce(nz(lines.patient_id), lines.c_patient_id),
        provider_id=nz(lines.provider_id),
        clinic_id=nz(lines.clinic_id),
        treating_provider_id=lines.treating_provider_id,
        billing_provider_id=lines.billing_provider_id,
        insurance_plan_id=ibis.coalesce(nz(lines.plan_id), lines.c_plan_id),
        insurance_subscriber_id=ibis.coalesce(nz(lines.insurance_subscriber_id), lines.c_subscriber_id),
        claim_payment_id=nz(lines.claim_payment_id),
        claim_status=lines.claim_status,
        claim_type=lines.claim_type,
        claim_service_date=lines.claim_service_date,
        claim_sent_date=lines.claim_sent_date,
        claim_original_sent_date=lines.claim_original_sent_date,
        claim_received_date=lines.claim_received_date,
        claim_procedure_status=lines.status,
        is_transfer=lines.is_transfer.fill_null(False),
        is_overpay=lines.is_overpay.fill_null(False),
        no_bill_insurance=lines.no_bill_insurance.fill_null(False),
        procedure_date=lines.procedure_date,
        payment_date=lines.claim_procedure_date,
        insurance_finalized_date=lines.insurance_finalized_date,
        code_sent=lines.code_sent,
        remarks=lines.remarks,
        claim_adjustment_reason_codes=lines.claim_adjustment_reason_codes,
        claim_payment_tracking_id=nz(lines.claim_payment_tracking_id),
        billed_amount=lines.fee_billed.cast("decimal(10,2)"),
        insurance_estimate_amount=lines.insurance_payment_estimate.cast("decimal(10,2)"),
        paid_amount=lines.insurance_payment_amount.cast("decimal(10,2)"),
        write_off_amount=lines.write_off.cast("decimal(10,2)"),
        deductible_applied=lines.deductible_applied.cast("decimal(10,2)"),
        allowed_amount=nb(lines.allowed_override).cast("decimal(10,2)"),
        copay_amount=nb(lines.copay_amount).cast("decimal(10,2)"),
        paid_other_insurance=nb(lines.paid_other_insurance).cast("decimal(10,2)"),
        coverage_percent=ibis.coalesce(nb(lines.percentage_override), nb(lines.percentage)).cast("int64"),
        _created_at=lines.sec_date_entry.cast("timestamp"),
        _updated_at=greatest(lines.sec_date_t_edit, lines.claim_updated),
    )
    lines = joinable(lines)

    pl = stg_opendental__procedurelog
    procs = pl.select(
        pl_procedure_id=pl.procedure_id,
        procedure_code_id=nz(pl.procedure_code_id),
        procedure_fee=pl.procedure_fee,
        tooth_number=pl.tooth_number,
    )
    pc = stg_opendental__procedurecode
    codes = pc.select(
        pc_code_id=pc.procedure_code_id,
        procedure_code=pc.procedure_code,
        procedure_description=pc.description,
        abbreviated_description=pc.abbreviated_description,
        procedure_category_id=nz(pc.procedure_category_id),
        treatment_area=pc.treatment_area,
        is_prosthetic=pc.is_prosthetic,
        is_hygiene=pc.is_hygiene,
        is_radiology=pc.is_radiology,
    )
    ip = stg_opendental__insplan
    plans = ip.select(
        ip_plan_id=ip.insurance_plan_id,
        ip_carrier_id=nz(ip.carrier_id),
        plan_type_raw=ip.plan_type,
        group_name=ip.group_name,
        group_number=ip.group_number,
    )
    carriers = stg_opendental__carrier.select(
        cr_carrier_id=stg_opendental__carrier.carrier_id, carrier_name=stg_opendental__carrier.carrier_name
    )
    reasons = definitions_of(stg_opendental__definition, _PAYMENT_TRACKING_CATEGORY, "tracking")
    cov = int_insurance_coverage.filter(
        int_insurance_coverage.patient_id.notnull() & int_insurance_coverage.insurance_subscriber_id.notnull()
    )
    cov = first_per_key(cov, ["patient_id", "insurance_subscriber_id"], [cov.ordinal.isnull(), cov.ordinal, cov.patient_plan_id])
    cov = cov.select(
        cov_patient_id=cov.patient_id,
        cov_subscriber_id=cov.insurance_subscriber_id,
        patient_plan_id=cov.patient_plan_id,
        coverage_ordinal=cov.ordinal,
        verification_date=cov.verification_date,
        is_coverage_active=cov.is_active,
    )

    j = lines.left_join(procs, lines.procedure_id == procs.pl_procedure_id)
    j = j.left_join(codes, j.procedure_code_id == codes.pc_code_id)
    j = j.left_join(plans, j.insurance_plan_id == plans.ip_plan_id)
    j = j.left_join(carriers, j.ip_carrier_id == carriers.cr_carrier_id)
    j = j.left_join(reasons, j.claim_payment_tracking_id == reasons.tracking_definition_id)
    j = j.left_join(cov, (j.patient_id == cov.cov_patient_id) & (j.insurance_subscriber_id == cov.cov_subscriber_id))
    t = j.select(
        *lines.columns,
        *(col for col in procs.columns if col != "pl_procedure_id"),
        *(col for col in codes.columns if col != "pc_code_id"),
        "ip_plan_id",
        "ip_carrier_id",
        "plan_type_raw",
        "group_name",
        "group_number",
        "carrier_name",
        "tracking_name",
        "patient_plan_id",
        "coverage_ordinal",
        "verification_date",
        "is_coverage_active",
    )

    days_outstanding = ibis.ifelse(
        (t.claim_status == "S") & t.claim_sent_date.notnull(),
        greatest(days_between(as_of, t.claim_sent_date), ibis.literal(0, type="int64")),
        ibis.null("int64"),
    )
    prefix = _code_prefix(t.procedure_code)
    plan_found = t.ip_plan_id.notnull()
    return t.select(
        "claim_procedure_id",
        "claim_id",
        "procedure_id",
        "patient_id",
        "provider_id",
        "clinic_id",
        "treating_provider_id",
        "billing_provider_id",
        "insurance_plan_id",
        "insurance_subscriber_id",
        carrier_id=t.ip_carrier_id,
        patient_plan_id=t.patient_plan_id,
        claim_payment_id=t.claim_payment_id,
        procedure_code_id=t.procedure_code_id,
        claim_status=t.claim_status,
        claim_status_description=claim_status_description(t.claim_status),
        claim_type=t.claim_type,
        claim_type_description=claim_type_description(t.claim_type),
        is_preauth=(claim_type_upper(t.claim_type) == "PREAUTH").fill_null(False),
        claim_service_date=t.claim_service_date,
        claim_sent_date=t.claim_sent_date,
        claim_original_sent_date=t.claim_original_sent_date,
        claim_received_date=t.claim_received_date,
        claim_date=ibis.coalesce(t.claim_service_date, t.procedure_date),
        claim_procedure_status=t.claim_procedure_status,
        claim_procedure_status_description=claim_procedure_status_description(t.claim_procedure_status),
        is_supplemental=(t.claim_procedure_status == _SUPPLEMENTAL).fill_null(False),
        is_by_total_payment=t.procedure_id.isnull(),
        is_transfer=t.is_transfer,
        is_overpay=t.is_overpay,
        no_bill_insurance=t.no_bill_insurance,
        procedure_date=t.procedure_date,
        payment_date=t.payment_date,
        insurance_finalized_date=t.insurance_finalized_date,
        code_sent=t.code_sent,
        remarks=t.remarks,
        claim_adjustment_reason_codes=t.claim_adjustment_reason_codes,
        claim_payment_tracking_id=t.claim_payment_tracking_id,
        claim_payment_tracking_reason=t.tracking_name,
        billed_amount=t.billed_amount,
        insurance_estimate_amount=t.insurance_estimate_amount,
        paid_amount=t.paid_amount,
        write_off_amount=t.write_off_amount,
        deductible_applied=t.deductible_applied,
        allowed_amount=t.allowed_amount,
        copay_amount=t.copay_amount,
        paid_other_insurance=t.paid_other_insurance,
        coverage_percent=t.coverage_percent,
        outstanding_insurance_amount=ibis.ifelse(
            t.claim_procedure_status == _NOT_RECEIVED, t.insurance_estimate_amount, money(0, 10)
        ).cast("decimal(10,2)"),
        procedure_code=t.procedure_code,
        procedure_description=t.procedure_description,
        abbreviated_description=t.abbreviated_description,
        procedure_category_id=t.procedure_category_id,
        treatment_area=t.treatment_area,
        is_prosthetic=t.is_prosthetic.fill_null(False),
        is_hygiene=t.is_hygiene.fill_null(False),
        is_radiology=t.is_radiology.fill_null(False),
        procedure_code_prefix=prefix,
        cdt_service_category=_cdt_service_category(t.procedure_code, prefix),
        procedure_fee=t.procedure_fee.cast("decimal(10,2)"),
        tooth_number=t.tooth_number,
        carrier_name=t.carrier_name,
        plan_type=ibis.ifelse(plan_found, plan_type_description(t.plan_type_raw), ibis.null("string")),
        plan_type_code=ibis.ifelse(plan_found, plan_type_code(t.plan_type_raw), ibis.null("string")),
        group_name=t.group_name,
        group_number=t.group_number,
        coverage_ordinal=t.coverage_ordinal,
        verification_date=t.verification_date,
        is_coverage_active=t.is_coverage_active.fill_null(False),
        days_to_receive=ibis.ifelse(
            t.claim_status == "R", days_between(t.claim_received_date, t.claim_sent_date), ibis.null("int64")
        ),
        days_outstanding=days_outstanding,
        claim_aging_bucket=_aging_bucket(days_outstanding),
        _created_at=t._created_at,
        _updated_at=t._updated_at,
        as_of_date=as_of,
    )
