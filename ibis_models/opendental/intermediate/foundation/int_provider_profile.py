"""int_provider_profile: the provider dimension, one row per provider with role and capability flags (FAC §4)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import (
    accepted_values,
    custom,
    equal_row_count,
    expression_is_true,
    model,
    not_null,
    relationships,
)
from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import decode, zero_to_null

__all__ = ["int_provider_profile"]

PROVIDER_STATUS = {0: "Active", 1: "Deleted"}  # ProviderStatus enum, FAC §2.1
_SPECIALTY_CATEGORY = 35  # DefCat ProviderSpecialties, FAC §2.2

_FLAGS = (
    "is_secondary",
    "is_hidden",
    "is_using_tin",
    "has_signature_on_file",
    "is_cdanet",
    "is_not_person",
    "is_instructor",
    "is_hidden_report",
    "is_system_provider",
    "is_terminated_provider",
    "is_active_provider",
    "is_non_person_provider",
    "can_prescribe_controlled_substances",
    "has_state_license",
    "can_treat_patients",
    "can_bill_procedures",
)


def _has_text(col: ir.StringValue) -> ir.BooleanValue:
    return (col.strip().length() > 0).fill_null(False)


def _specialty_is_a_specialty(t: ir.Table, stg_opendental__definition: ir.Table) -> ir.Table:
    d = stg_opendental__definition
    specialties = d.filter(d.category_id == _SPECIALTY_CATEGORY)
    rows = t.filter(t.specialty_id.notnull())
    return rows.anti_join(specialties, rows.specialty_id == specialties.definition_id).select("provider_id", "specialty_id")


def _has_an_active_provider(t: ir.Table) -> ir.Table:
    # An empty provider table passes, so models built on few hand-made rows need no provider.
    counts = t.aggregate(providers=t.count(), active_providers=t.is_active_provider.ifelse(1, 0).sum().fill_null(0))
    return counts.filter((counts.providers > 0) & (counts.active_providers == 0))


@model(
    system="foundation",
    grain="one row per provider (provider.ProvNum)",
    key=["provider_id"],
    columns={
        "provider_id": ("bigint", "ProvNum"),
        "provider_abbreviation": ("string", "Abbr: OpenDental's human-readable provider key, shown everywhere in the UI"),
        "display_order": ("bigint", "ItemOrder"),
        "first_name": ("string", "FName"),
        "last_name": ("string", "LName"),
        "middle_initial": ("string", "MI"),
        "name_suffix": ("string", "Suffix"),
        "preferred_name": ("string", "PreferredName"),
        "custom_id": ("string", "CustomID"),
        "provider_role": ("string", "non_person when is_not_person; else hygienist when is_secondary; else primary"),
        "specialty_id": ("bigint", "Specialty definition id (category 35); NULL when 0"),
        "specialty_description": ("string", "Definition item_name of specialty_id when its category is 35"),
        "fee_schedule_id": ("bigint", "Provider's default (UCR) fee schedule; NULL when 0"),
        "school_class_id": ("bigint", "Dental-school class; NULL when 0"),
        "billing_override_provider_id": ("bigint", "Provider whose identity claims are billed under; NULL when 0"),
        "provider_status": ("bigint", "ProviderStatus code"),
        "provider_status_description": ("string", "Active / Deleted / Unknown"),
        "anesthesia_provider_type": ("bigint", "Raw AnesthProvType code; OpenDental gives it no lookup table"),
        "state_license_number": (
            "string",
            "Deprecated in OpenDental (moved to the per-clinic provider table, not staged); may be blank",
        ),
        "dea_number": ("string", "Deprecated in OpenDental (per-clinic table, not staged); may be blank"),
        "national_provider_id": ("string", "NPI"),
        "state_where_licensed": ("string", "Deprecated in OpenDental (per-clinic table, not staged); may be blank"),
        "taxonomy_code_override": ("string", "TaxonomyCodeOverride"),
        "provider_color": ("bigint", "Appointment-book colour (ARGB integer)"),
        "schedule_note": ("string", "SchedNote"),
        "hourly_production_goal_amount": ("decimal(10,2)", "HourlyProdGoalAmt"),
        "is_secondary": ("boolean", "OpenDental's hygienist flag"),
        "is_hidden": ("boolean", "IsHidden"),
        "is_using_tin": ("boolean", "UsingTIN"),
        "has_signature_on_file": ("boolean", "SigOnFile"),
        "is_cdanet": ("boolean", "IsCDAnet"),
        "is_not_person": ("boolean", "IsNotPerson"),
        "is_instructor": ("boolean", "IsInstructor"),
        "is_hidden_report": ("boolean", "Excluded from standard reports"),
        "erx_enabled_status": ("bigint", "ErxEnabledStatus code: 0 Disabled, 1 Enabled, 2 EnabledWithLegacy"),
        "birth_date": ("date", "Birthdate"),
        "termination_date": ("date", "DateTerm"),
        "is_system_provider": ("boolean", "provider_id = 0"),
        "is_terminated_provider": ("boolean", "termination_date is set and on or before as_of_date"),
        "is_active_provider": ("boolean", "not hidden, status Active and not terminated"),
        "is_non_person_provider": ("boolean", "= is_not_person"),
        "can_prescribe_controlled_substances": (
            "boolean",
            "DEA number present; false may only mean it lives in the per-clinic provider table",
        ),
        "has_state_license": ("boolean", "State license present; false may only mean it lives in the per-clinic provider table"),
        "can_treat_patients": ("boolean", "is_active_provider and not is_non_person_provider"),
        "can_bill_procedures": ("boolean", "is_active_provider and no billing override provider"),
        "_updated_at": ("timestamp", "DateTStamp"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        equal_row_count("stg_opendental__provider"),
        accepted_values("provider_status", [0, 1]),
        accepted_values("provider_role", ["primary", "hygienist", "non_person"]),
        not_null(*_FLAGS),
        expression_is_true(
            "can_treat_patients_implies_active_person",
            lambda t: ~t.can_treat_patients | (t.is_active_provider & ~t.is_non_person_provider),
        ),
        expression_is_true("can_bill_procedures_implies_active", lambda t: ~t.can_bill_procedures | t.is_active_provider),
        expression_is_true(
            "active_implies_visible_status_active_not_terminated",
            lambda t: ~t.is_active_provider | (~t.is_hidden & (t.provider_status == 0) & ~t.is_terminated_provider),
        ),
        custom("specialty_is_a_specialty_definition", _specialty_is_a_specialty, severity="warn"),
        expression_is_true(
            "specialty_has_description",
            lambda t: t.specialty_id.isnull() | t.specialty_description.notnull(),
            severity="warn",
        ),
        relationships("billing_override_provider_id", to="int_provider_profile.provider_id"),
        relationships("fee_schedule_id", to="stg_opendental__feesched.fee_schedule_id"),
        custom("has_an_active_provider", _has_an_active_provider),
    ],
)
def int_provider_profile(stg_opendental__provider: ir.Table, stg_opendental__definition: ir.Table, ctx: BuildContext) -> ir.Table:
    """Providers (dentists, hygienists, students, billing and non-person providers) with role and capability flags.

    - Specialty is the category-35 definition found by its DefNum; an id in another category has
      no description (FAC §2.2, §4.5 rule 3). ProvStatus is an enumeration, not a definition.
    - ``is_terminated_provider`` means DateTerm is on or before as_of_date: a future term date does
      not block anything yet. ``is_active_provider`` also requires the term not to have ended, so
      ``can_treat_patients`` need not repeat it (§4.5 rule 5; the reference ignores DateTerm).
    - The license, DEA and state columns are deprecated on the provider row (OpenDental moved them to
      a per-clinic table that is not staged), so a false license flag may only mean "not here".
    - The "at least one active provider" test passes on an empty provider table (§4.6 asks for
      one active row; an empty table is allowed so hand-made builds need no provider).
    """
    p = stg_opendental__provider
    d = stg_opendental__definition
    specialties = d.filter(d.category_id == _SPECIALTY_CATEGORY).select(
        specialty_def_id=d.definition_id, specialty_description=d.item_name
    )
    p = p.mutate(clean_specialty_id=zero_to_null(p.specialty_id))
    j = p.left_join(specialties, p.clean_specialty_id == specialties.specialty_def_id)

    as_of = ibis.literal(ctx.as_of, type="date")
    is_hidden = j.is_hidden.fill_null(False)
    is_not_person = j.is_not_person.fill_null(False)
    is_secondary = j.is_secondary.fill_null(False)
    billing_override = zero_to_null(j.billing_override_provider_id)
    is_terminated = (j.termination_date.notnull() & (j.termination_date <= as_of)).fill_null(False)
    is_active = (~is_hidden & (j.provider_status == 0) & ~is_terminated).fill_null(False)

    return j.select(
        provider_id=j.provider_id,
        provider_abbreviation=j.provider_abbreviation,
        display_order=j.display_order,
        first_name=j.first_name,
        last_name=j.last_name,
        middle_initial=j.middle_initial,
        name_suffix=j.name_suffix,
        preferred_name=j.preferred_name,
        custom_id=j.custom_id,
        provider_role=ibis.cases((is_not_person, "non_person"), (is_secondary, "hygienist"), else_="primary"),
        specialty_id=j.clean_specialty_id,
        specialty_description=j.specialty_description,
        fee_schedule_id=zero_to_null(j.fee_schedule_id),
        school_class_id=zero_to_null(j.school_class_id),
        billing_override_provider_id=billing_override,
        provider_status=j.provider_status,
        provider_status_description=decode(j.provider_status, PROVIDER_STATUS),
        anesthesia_provider_type=j.anesthesia_provider_type,
        state_license_number=j.state_license_number,
        dea_number=j.dea_number,
        national_provider_id=j.national_provider_id,
        state_where_licensed=j.state_where_licensed,
        taxonomy_code_override=j.taxonomy_code_override,
        provider_color=j.provider_color,
        schedule_note=j.schedule_note,
        hourly_production_goal_amount=j.hourly_production_goal_amount,
        is_secondary=is_secondary,
        is_hidden=is_hidden,
        is_using_tin=j.is_using_tin.fill_null(False),
        has_signature_on_file=j.has_signature_on_file.fill_null(False),
        is_cdanet=j.is_cdanet.fill_null(False),
        is_not_person=is_not_person,
        is_instructor=j.is_instructor.fill_null(False),
        is_hidden_report=j.is_hidden_report.fill_null(False),
        erx_enabled_status=j.is_erx_enabled,
        birth_date=j.birth_date,
        termination_date=j.termination_date,
        is_system_provider=(j.provider_id == 0).fill_null(False),
        is_terminated_provider=is_terminated,
        is_active_provider=is_active,
        is_non_person_provider=is_not_person,
        can_prescribe_controlled_substances=_has_text(j.dea_number),
        has_state_license=_has_text(j.state_license_number),
        can_treat_patients=is_active & ~is_not_person,
        can_bill_procedures=is_active & billing_override.isnull(),
        _updated_at=j._updated_at,
        as_of_date=as_of,
    )
