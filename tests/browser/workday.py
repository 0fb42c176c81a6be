"""A small working day for the browser tests (layout, accessibility): one user per role, a
queue of open complaints (more than a screen holds), a customer with contacts, and a survey
invitation for the public page. Built with the factories and the contexts' services."""

from __future__ import annotations

from dataclasses import dataclass

from tests.accounts.factories import UserFactory
from tests.complaints.factories import open_complaint
from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory

ROLES = ("agent", "supervisor", "analyst", "manager", "admin")
PEOPLE = {
    "agent": ("lina", "李娜"),
    "supervisor": ("wangqiang", "王强"),
    "analyst": ("chenjing", "陈静"),
    "manager": ("zhangwei", "张伟"),
    "admin": ("liuyang", "刘洋"),
}
ACCOUNTS = (
    "上个月账单多扣了 30 元流量费，客服一直没给解释。",
    "家里宽带三天两头掉线，报修两次都没人上门。",
    "营业厅办理的套餐和宣传的不一样，要求按宣传的执行。",
    "再不解决我就投诉到工信部！",
)


@dataclass(frozen=True)
class Workday:
    usernames: dict[str, str]
    ticket: str
    customer: str
    survey_token: str


def build_workday(*, tickets: int = 24) -> Workday:
    users = {}
    for role, (username, name) in PEOPLE.items():
        user = UserFactory(username=username, display_name=name, roles=[role])
        if role == "admin":
            user.is_staff = user.is_superuser = True
            user.save()
        users[role] = user
    names = ["赵敏", "周芷若", "张无忌", "小昭", "殷离", "杨逍", "范遥", "韦一笑"]
    customers = [CustomerFactory(name=name) for name in names]
    for customer in customers[:3]:
        InteractionFactory.create_batch(3, customer=customer)
    numbers = [
        open_complaint(
            by=users["supervisor"],
            customer=customers[n % len(customers)],
            account=ACCOUNTS[n % len(ACCOUNTS)],
        ).number
        for n in range(tickets)
    ]
    from tests.surveys import factories as surveys

    _invitation, token = surveys.invitation(surveys.post_contact_survey(), customers[0])
    return Workday(
        usernames={role: username for role, (username, _name) in PEOPLE.items()},
        ticket=numbers[0],
        customer=customers[0].external_id,
        survey_token=token,
    )
