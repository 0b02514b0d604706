from django.db import migrations

REASONS = [
    ("stock_in", "GIFT", "赠品入库"),
    ("stock_in", "FOUND", "盘盈找回"),
    ("stock_in", "RETURN", "借出归还"),
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


def create(apps, schema_editor):
    ReasonCode = apps.get_model("inventory", "ReasonCode")
    for kind, code, name in REASONS:
        ReasonCode.objects.get_or_create(kind=kind, code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
