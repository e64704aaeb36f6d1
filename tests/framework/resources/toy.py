"""A toy project without dentistry: two raw tables, a staging-like layer and two marts."""

import ibis

from ibis_models import Source, SourceColumn, custom, expression_is_true, model, relationships

ORDERS = Source(
    "orders",
    (
        SourceColumn("OrderNum", ibis.dtype("int64")),
        SourceColumn("CustNum", ibis.dtype("int64")),
        SourceColumn("Amount", ibis.dtype("float64")),
        SourceColumn("OrderDate", ibis.dtype("date")),
        SourceColumn("Channel", ibis.dtype("string"), required=False),
    ),
    change_columns=("OrderDate",),
)
CUSTOMERS = Source(
    "customers",
    (SourceColumn("CustNum", ibis.dtype("int64")), SourceColumn("Name", ibis.dtype("string"), aliases=("FullName",))),
)


@model(
    system="staging",
    grain="one row per order",
    key=["order_id"],
    columns={
        "order_id": ("int64", "order key"),
        "customer_id": ("int64", "customer; NULL when 0"),
        "amount": ("decimal(10,2)", "order amount"),
        "order_date": ("date", "order date"),
        "channel": ("string", "sales channel, NULL in old sources"),
    },
    sources={"raw": ORDERS},
)
def stg_shop__orders(raw):
    """Orders renamed and typed."""
    return raw.select(
        order_id=raw.OrderNum,
        customer_id=ibis.ifelse(raw.CustNum == 0, ibis.null("int64"), raw.CustNum),
        amount=raw.Amount.round(2).cast("decimal(10,2)"),
        order_date=raw.OrderDate,
        channel=raw.Channel,
    )


@model(
    system="staging",
    grain="one row per customer",
    key=["customer_id"],
    columns={"customer_id": ("int64", "customer key"), "customer_name": ("string", "name")},
    sources={"raw": CUSTOMERS},
)
def stg_shop__customers(raw):
    """Customers renamed."""
    return raw.select(customer_id=raw.CustNum, customer_name=raw.Name)


@model(
    system="A",
    grain="one row per customer",
    key=["customer_id"],
    columns={
        "customer_id": ("int64", "customer key"),
        "order_count": ("int64", "orders up to as_of"),
        "total_amount": ("decimal(18,2)", "sum of amounts up to as_of"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        relationships("customer_id", to="stg_shop__customers.customer_id"),
        expression_is_true("non_negative_total", lambda t: t.total_amount >= 0),
        custom(
            "counts_tie_out",
            lambda t, stg_shop__orders, ctx: t.aggregate(n=t.order_count.sum()).filter(
                lambda a: (
                    a.n
                    != stg_shop__orders.filter(stg_shop__orders.order_date <= ctx.as_of)
                    .filter(stg_shop__orders.customer_id.notnull())
                    .count()
                )
            ),
        ),
    ],
    tags=["finance"],
)
def int_customer_totals(stg_shop__orders, stg_shop__customers, ctx):
    """Orders per customer up to the reporting date."""
    orders = stg_shop__orders.filter(stg_shop__orders.order_date <= ctx.as_of, stg_shop__orders.customer_id.notnull())
    totals = orders.group_by("customer_id").aggregate(
        order_count=orders.count(), total_amount=orders.amount.sum().cast("decimal(18,2)")
    )
    joined = stg_shop__customers.left_join(totals, "customer_id")
    return joined.select(
        customer_id=stg_shop__customers.customer_id,
        order_count=joined.order_count.fill_null(0),
        total_amount=joined.total_amount.fill_null(0).cast("decimal(18,2)"),
        as_of_date=ibis.literal(ctx.as_of),
    )


@model(
    system="B",
    grain="one row per channel",
    key=["channel"],
    columns={"channel": ("string", "channel"), "orders": ("int64", "orders")},
    materialization="view",
)
def int_channel_orders(stg_shop__orders):
    """Orders per channel (a view)."""
    t = stg_shop__orders.filter(stg_shop__orders.channel.notnull())
    return t.group_by("channel").aggregate(orders=t.count())


def toy_project():
    """The toy models as a project (used by framework and CLI tests through IBIS_MODELS_PROJECT)."""
    from ibis_models.framework.project import Project, load_models

    return Project.from_specs(load_models(__name__), name="toy")
