"""Adjustment categories shared by System A and the payment models that read them (FAC §7.5)."""

from __future__ import annotations

__all__ = ["ADJUSTMENT_CATEGORIES", "DISCOUNT_CATEGORIES"]

#: Every category int_adjustments assigns; the last, ``other``, is the fallback.
ADJUSTMENT_CATEGORIES = (
    "insurance_writeoff",
    "provider_discount",
    "senior_discount",
    "employee_discount",
    "family_discount",
    "military_discount",
    "cash_discount",
    "new_patient_discount",
    "discount_plan",
    "referral_credit",
    "patient_refund",
    "reallocation",
    "fee_charge",
    "admin_correction",
    "admin_adjustment",
    "other",
)
#: Categories that count as discounts: they make an adjustment, and a split paying it, a DISCOUNT (§9.5).
DISCOUNT_CATEGORIES = (
    "provider_discount",
    "senior_discount",
    "employee_discount",
    "family_discount",
    "military_discount",
    "cash_discount",
    "new_patient_discount",
    "discount_plan",
)
