"""The standard reason codes (出入库类别) every company starts with. The migrations that seed
them keep their own frozen copies; this list is for code that must be sure they exist (the
demo loader in a database whose rows were flushed, e.g. after transactional tests)."""

from storeledger.inventory.models import ReasonCode

STANDARD_REASONS = [
    ("stock_in", "GIFT", "赠品入库"),
    ("stock_in", "FOUND", "盘盈找回"),
    ("stock_in", "RETURN", "借出归还"),
    ("stock_in", "CUSTOMER_RETURN", "顾客退货"),
    ("stock_in", "OPENING", "期初入库"),
    ("stock_out", "SELF_USE", "自用领用"),
    ("stock_out", "SAMPLE", "样品赠送"),
    ("stock_out", "SALE", "销售出库(临时)"),
    ("adjustment", "CORRECTION", "数据更正"),
    ("adjustment", "SYSTEM", "系统调整"),
    ("scrap", "EXPIRED", "过期报损"),
    ("scrap", "DAMAGED", "破损报损"),
    ("scrap", "LOST", "丢失"),
]


def ensure_standard_reasons() -> None:
    """Create the standard reasons that are missing; existing ones (renamed, deactivated)
    are left as they are."""
    for kind, code, name in STANDARD_REASONS:
        ReasonCode.objects.get_or_create(kind=kind, code=code, defaults={"name": name})
