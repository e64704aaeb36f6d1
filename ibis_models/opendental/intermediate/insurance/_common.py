"""System B helpers: OpenDental insurance code labels (B §2), definition lookups and money literals.

Private to the insurance models. Names and signatures are stable: several B models import them.
"""

from __future__ import annotations

from types import MappingProxyType

import ibis
import ibis.expr.types as ir

from ibis_models.opendental.expressions import decode

__all__ = [
    "CLAIM_STATUS_DESCRIPTIONS",
    "CLAIM_TYPE_DESCRIPTIONS",
    "CLAIM_PROCEDURE_STATUS_DESCRIPTIONS",
    "PATIENT_RELATIONSHIPS",
    "claim_status_code",
    "claim_status_description",
    "claim_type_upper",
    "claim_type_description",
    "claim_procedure_status_description",
    "plan_type_code",
    "plan_type_description",
    "first_per_key",
    "joinable",
]

#: claim.ClaimStatus letter -> label (B §2.1); A and P are legacy codes.
CLAIM_STATUS_DESCRIPTIONS = MappingProxyType(
    {
        "U": "unsent",
        "H": "hold_until_primary_received",
        "W": "waiting_to_send",
        "S": "sent",
        "R": "received",
        "I": "hold_in_process",
        "A": "legacy",
        "P": "legacy",
    }
)

#: upper(trim(claim.ClaimType)) -> label (B §2.2).
CLAIM_TYPE_DESCRIPTIONS = MappingProxyType(
    {"P": "primary", "S": "secondary", "PREAUTH": "preauth", "OTHER": "other", "CAP": "capitation"}
)

#: claimproc.Status (ClaimProcStatus) -> label (B §2.3).
CLAIM_PROCEDURE_STATUS_DESCRIPTIONS = MappingProxyType(
    {
        0: "not_received",
        1: "received",
        2: "preauth",
        3: "adjustment",
        4: "supplemental",
        5: "cap_claim",
        6: "estimate",
        7: "cap_complete",
        8: "cap_estimate",
        9: "ins_hist",
    }
)

#: patplan.Relationship (Relat) -> label (B §2.7).
PATIENT_RELATIONSHIPS = MappingProxyType(
    {
        0: "self",
        1: "spouse",
        2: "child",
        3: "employee",
        4: "handicapped_dependent",
        5: "significant_other",
        6: "injured_plaintiff",
        7: "life_partner",
        8: "dependent",
    }
)


def claim_status_code(col: ir.StringValue) -> ir.StringValue:
    """``upper(trim(ClaimStatus))``; NULL stays NULL (B C8)."""
    return col.strip().upper()


def claim_status_description(col: ir.StringValue) -> ir.StringValue:
    """Label of a claim status letter (B §2.1); anything else, NULL included, is ``unknown``."""
    return decode(claim_status_code(col), dict(CLAIM_STATUS_DESCRIPTIONS), else_="unknown")


def claim_type_upper(col: ir.StringValue) -> ir.StringValue:
    """``upper(trim(ClaimType))``: OpenDental writes ``PreAuth`` but filters on ``Preauth`` (B C8)."""
    return col.strip().upper()


def claim_type_description(col: ir.StringValue) -> ir.StringValue:
    """Label of a claim type (B §2.2), compared case-insensitively; else ``unknown``."""
    return decode(claim_type_upper(col), dict(CLAIM_TYPE_DESCRIPTIONS), else_="unknown")


def claim_procedure_status_description(col: ir.IntegerValue) -> ir.StringValue:
    """Label of a claimproc status (B §2.3); codes outside 0-9 and NULL are ``unknown``."""
    return decode(col, dict(CLAIM_PROCEDURE_STATUS_DESCRIPTIONS), else_="unknown")


def _plan_type_lower(col: ir.StringValue) -> ir.StringValue:
    return col.strip().lower().fill_null("")


def plan_type_code(col: ir.StringValue) -> ir.StringValue:
    """insplan.PlanType normalised (B §2.8): lower-case and trimmed, NULL as ``''``, ``ppo`` as ``p``."""
    code = _plan_type_lower(col)
    return ibis.ifelse(code == "ppo", "p", code)


def plan_type_description(col: ir.StringValue) -> ir.StringValue:
    """Decoded insplan.PlanType (B §2.8): OpenDental stores '', 'p', 'f' or 'c'."""
    code = plan_type_code(col)
    return code.cases(
        ("", "category_percentage"),
        ("p", "ppo_percentage"),
        ("f", "flat_copay"),
        ("c", "capitation"),
        else_="unknown",
    )


def first_per_key(table: ir.Table, by: str | list[str], order_by: list[ir.Value]) -> ir.Table:
    """The first row of each ``by`` group under ``order_by`` (which must end with a unique key, B C7).

    Uses ``row_number`` (0-based), never ``argmax``, whose ties differ between the engines (B §3.8).
    """
    keys = [by] if isinstance(by, str) else list(by)
    ranked = table.mutate(__rn=ibis.row_number().over(group_by=keys, order_by=order_by))
    return ranked.filter(ranked["__rn"] == 0).drop("__rn")


def joinable(table: ir.Table) -> ir.Table:
    """``table`` as a relation of its own, so later joins can use its computed columns as keys.

    Ibis 12 folds a select of computed values (``nullif``, ``coalesce``...) over a join into the join
    chain; a further join on one of those columns then raises ``IntegrityError`` ("belong to another
    relation"). A self-reference (``view``) closes the chain. Drop once Ibis accepts such joins.
    """
    return table.view()
