"""Complaints for text-mining tests: opened through the complaints service, then analysed."""

from __future__ import annotations

from tests.complaints.factories import open_complaint
from tests.customers.factories import CustomerFactory, tier
from yuqi.textmining.services import analysis_run

BILLING = (
    "上个月账单多扣了30元流量费，要求退还多扣的费用",
    "话费账单莫名多收了套餐外费用，请退费",
    "这个月扣费不对，账单里多了一笔增值业务费",
    "账单金额比平时多出五十元，乱扣费，请核实退款",
)
NETWORK = (
    "家里手机信号只有一格，打电话经常断线，请派人检测",
    "小区基站信号很差，网络经常断开，上网很慢",
    "晚上网络信号差，网页打不开，视频一直转圈",
    "室内没有信号，电话打不出去，要求尽快修复网络",
)


def analysed(*, by, text: str, customer=None, demand: str = "", **kwargs):
    """Open a complaint with ``text`` as the account and analyse it at once."""
    complaint = open_complaint(by=by, customer=customer, account=text, demand=demand, **kwargs)
    analysis_run(complaint_id=complaint.pk)
    return complaint


def customer(tier_code: str = "ordinary"):
    return CustomerFactory(tier=tier(tier_code))
