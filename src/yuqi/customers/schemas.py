from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from yuqi.core.api_types import IsoDate, Yuan
from yuqi.customers.models import Customer
from yuqi.customers.presenters import masked


class CustomerIn(Schema):
    external_id: str = Field(..., min_length=1, max_length=64)
    name: str = Field(..., min_length=1, max_length=100)
    phone: str | None = None
    email: str | None = None
    id_number: str | None = None
    region: str | None = None
    tier: str | None = Field(None, description="tier code or name, e.g. gold or 金卡")
    segment: str | None = None
    monthly_value: Yuan | None = None
    joined_on: IsoDate | None = None
    status: str | None = None


class CustomerPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    phone: str | None = None
    email: str | None = None
    id_number: str | None = None
    region: str | None = None
    tier: str | None = None
    segment: str | None = None
    monthly_value: Yuan | None = None
    joined_on: IsoDate | None = None
    status: str | None = None


class CustomerBase(Schema):
    external_id: str
    name: str
    phone: str
    email: str
    id_number: str
    region: str
    tier: str | None
    segment: str
    monthly_value: Decimal | None
    joined_on: date | None
    status: str
    updated_at: datetime


class CustomerOut(CustomerBase):
    """Personal fields (phone, email, id_number) are masked in lists."""

    @staticmethod
    def resolve_tier(obj: Customer) -> str | None:
        return obj.tier.code if obj.tier else None

    @staticmethod
    def resolve_phone(obj: Customer) -> str:
        return masked(obj)["phone"]

    @staticmethod
    def resolve_email(obj: Customer) -> str:
        return masked(obj)["email"]

    @staticmethod
    def resolve_id_number(obj: Customer) -> str:
        return masked(obj)["id_number"]


class CustomerDetailOut(CustomerBase):
    """Personal fields unmasked for roles that may see them (and recorded in the audit log)."""

    personal_data_masked: bool
