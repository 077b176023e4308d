"""The order export formats of the platforms the county's merchants sell on, as their seller back
offices write them in 2026. The office edits them in the admin when a platform renames a column."""

from django.db import migrations

FORMATS = {
    # 千牛 / 淘宝卖家中心 “订单报表” (Tmall's back office writes the same report).
    "taobao": ("订单编号", "订单创建时间", "买家实际支付金额", "订单状态",
               ["交易成功", "卖家已发货，等待买家确认", "买家已付款，等待卖家发货"]),
    "tmall": ("订单编号", "订单创建时间", "买家实际支付金额", "订单状态",
              ["交易成功", "卖家已发货，等待买家确认", "买家已付款，等待卖家发货"]),
    # 京东商家后台 “订单导出”.
    "jd": ("订单号", "下单时间", "应付金额", "订单状态", ["完成", "等待确认收货", "等待出库"]),
    # 拼多多商家后台 “订单查询 → 导出”.
    "pinduoduo": ("订单号", "订单成交时间", "商家实收金额(元)", "订单状态", ["已签收", "已发货，待签收", "待发货"]),
    # 抖店 “订单管理 → 导出”.
    "douyin": ("主订单编号", "订单提交时间", "订单应付金额", "订单状态", ["已完成", "已发货", "待发货"]),
    # 微信小店 “订单管理 → 导出订单”.
    "wechat": ("订单号", "下单时间", "实付金额", "订单状态", ["已完成", "待收货", "待发货"]),
}  # fmt: skip


def seed(apps, schema_editor):
    OrderExportFormat = apps.get_model("merchants", "OrderExportFormat")
    for platform, (order_id, order_time, amount, status, counted) in FORMATS.items():
        OrderExportFormat.objects.get_or_create(
            platform=platform,
            defaults={
                "order_id_column": order_id,
                "order_time_column": order_time,
                "amount_column": amount,
                "status_column": status,
                "counted_statuses": "\n".join(counted),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("merchants", "0005_sales_verification_and_evidence")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
