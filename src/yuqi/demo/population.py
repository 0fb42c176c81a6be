"""People of the demo centre: customers and agents with Chinese names and valid-looking data.

* Names: surname by national frequency, one- or two-character given name from the naming era
  of the birth year and the sex encoded in the ID number; public figures are avoided.
* Mobile numbers: 11 digits, ``1[3-9]x`` operator segments, unique within the customer base.
* ID numbers: 18 characters after GB 11643-1999: six-digit GB/T 2260 area code, birth date
  ``YYYYMMDD``, three-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2
  check character (``0``–``9`` or ``X``). Every customer is an adult (18–80) on the end date.
"""

from __future__ import annotations

import random
from bisect import bisect
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

import numpy as np

from yuqi.demo import names
from yuqi.demo.seeds import TIERS, VIP_TIERS, CustomerSeed

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_NOT_ALONE = frozenset("一子可若心语天梓思诗嘉逸")  # characters rarely a whole given name

TIER_SHARES = (0.02, 0.08, 0.20, 0.70)
# Monthly value in yuan: log-normal, median and sigma (of the log) per tier.
_VALUE_MEDIAN = {"diamond": 680.0, "gold": 298.0, "silver": 138.0, "ordinary": 58.0}
_VALUE_SIGMA = {"diamond": 0.45, "gold": 0.35, "silver": 0.35, "ordinary": 0.55}
# Adult ages on the end date: band (low, high inclusive) and share.
_AGE_BANDS = (
    (18, 24, 0.12),
    (25, 34, 0.24),
    (35, 44, 0.22),
    (45, 54, 0.20),
    (55, 64, 0.14),
    (65, 80, 0.08),
)


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number_is_valid(number: str) -> bool:
    """True for 18 characters: 17 digits, a real birth date and the right check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return number[17] == id_check_char(number[:17])


def id_birth_date(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


class Weighted:
    """Draw from a fixed list with weights by bisecting cumulative weights (fast, stable)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    @classmethod
    def of(cls, pairs) -> Weighted:
        """From ``(item, weight)`` pairs."""
        pairs = list(pairs)
        return cls([item for item, _ in pairs], [weight for _, weight in pairs])

    def draw(self, r: random.Random):
        return self.items[bisect(self.cum, r.random() * self.total)]


class PersonMaker:
    """Names, numbers and addresses, drawn from one ``random.Random``."""

    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.surnames = Weighted(
            [(s, p) for s, p, _ in names.SURNAMES], [w for _, _, w in names.SURNAMES]
        )
        self.regions = Weighted(list(names.REGIONS), [g.weight for g in names.REGIONS])
        self.prefixes = Weighted(
            [p for p, _ in names.MOBILE_PREFIXES], [w for _, w in names.MOBILE_PREFIXES]
        )
        self.domains = Weighted(
            [d for d, _ in names.MAIL_DOMAINS], [w for _, w in names.MAIL_DOMAINS]
        )
        self._phones: set[str] = set()

    def name(self, *, male: bool, birth_year: int) -> tuple[str, str]:
        """A full name and its pinyin (``("王建国", "wangjianguo")``)."""
        r = self.r
        old, new = (
            (names.MALE_OLD, names.MALE_NEW) if male else (names.FEMALE_OLD, names.FEMALE_NEW)
        )
        p_new = min(0.9, max(0.1, (birth_year - 1972) / 28))
        while True:
            surname, surname_py = self.surnames.draw(r)
            length = 1 if r.random() < 0.28 else 2
            pool = new if r.random() < p_new else old  # one naming style per name
            chars = [pool[r.randrange(len(pool))] for _ in range(length)]
            if length == 1 and chars[0][0] in _NOT_ALONE:
                continue
            if length == 2 and chars[0] == chars[1] and (male or r.random() < 0.7):
                continue  # reduplicated names (婷婷) only for some women
            full = surname + "".join(c for c, _ in chars)
            if full not in names.BLOCKED_NAMES:
                return full, surname_py + "".join(p for _, p in chars)

    def mobile(self) -> str:
        """A mobile number not handed out before by this maker."""
        while True:
            number = f"{self.prefixes.draw(self.r)}{self.r.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def landline(self, region: names.Region) -> str:
        digits = 8 if len(region.area_code) == 3 else 7
        first = self.r.choice("2345678")
        return f"{region.area_code}{first}{self.r.randrange(10 ** (digits - 1)):0{digits - 1}d}"

    def email(self, pinyin: str, birth_year: int) -> str:
        r = self.r
        domain = self.domains.draw(r)
        if domain == "qq.com":
            return f"{r.randrange(100_000, 3_000_000_000)}@qq.com"
        style = r.random()
        if style < 0.35:
            local = f"{pinyin}{birth_year}"
        elif style < 0.6:
            local = f"{pinyin}{r.randrange(10, 1000)}"
        elif style < 0.8:
            local = pinyin
        else:
            local = f"{pinyin}_{birth_year % 100:02d}{r.randrange(10)}"
        return f"{local}@{domain}"

    def id_number(self, region: names.Region, born: date, *, male: bool) -> str:
        r = self.r
        area = region.code + r.choice(region.districts)
        sequence = r.randrange(0, 500) * 2 + (1 if male else 0)
        first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
        return first17 + id_check_char(first17)

    def birth_date(self, end: date, low_age: int, high_age: int) -> date:
        latest = _years_before(end, low_age)
        earliest = _years_before(end, high_age + 1) + timedelta(days=1)
        return earliest + timedelta(days=self.r.randrange((latest - earliest).days + 1))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def make_customers(
    n: int, *, rng: np.random.Generator, end_date: date
) -> tuple[tuple[CustomerSeed, ...], tuple[float, ...]]:
    """``n`` customers ordered by external id (= order of joining), and each one's contact
    propensity (relative expected contacts per day; gamma-distributed, so a few call a lot).

    Tier shares about 2/8/20/70 %; monthly value log-normal by tier; status 88 % active,
    9 % dormant, 3 % closed (fewer for VIP tiers); joined within the 10 years before the end
    date and not before the 18th birthday. The home province is Hubei (about 70 %; Wuhan
    about 40 %).
    """
    r = random.Random(int(rng.integers(2**63)))
    maker = PersonMaker(r)
    tiers = Weighted(list(TIERS), list(TIER_SHARES))
    bands = Weighted([(lo, hi) for lo, hi, _ in _AGE_BANDS], [w for *_, w in _AGE_BANDS])
    ten_years = (end_date - _years_before(end_date, 10)).days
    rows = []
    for _ in range(n):
        tier = tiers.draw(r)
        region = maker.regions.draw(r)
        low, high = bands.draw(r)
        if tier in VIP_TIERS and low < 25:
            low, high = 25, 44
        born = maker.birth_date(end_date, low, high)
        male = r.random() < 0.52
        birth_region = region if r.random() < 0.85 else maker.regions.draw(r)
        id_number = maker.id_number(birth_region, born, male=male)
        full_name, pinyin = maker.name(male=male, birth_year=born.year)
        phone = maker.mobile()
        p_email = 0.55 if born.year >= 1985 else 0.25
        email = maker.email(pinyin, born.year) if r.random() < p_email else ""
        if r.random() < 0.04:
            id_number = ""  # not on file (migrated from an old system)
        value = r.lognormvariate(np.log(_VALUE_MEDIAN[tier]), _VALUE_SIGMA[tier])
        # Tenure: recent joiners are more common; VIP customers have stayed longer.
        scale = 0.45 if tier in VIP_TIERS else 0.3
        tenure = ten_years
        while tenure >= ten_years:
            tenure = int(r.expovariate(1.0) * scale * ten_years)
        if tier in VIP_TIERS:
            tenure = max(tenure, 200)
        joined = end_date - timedelta(days=tenure)
        adult = _years_before(born, -18)
        if joined < adult:
            joined = adult
        u = r.random()
        if tier in VIP_TIERS:
            status = "active" if u < 0.95 else ("dormant" if u < 0.99 else "closed")
        else:
            status = "active" if u < 0.87 else ("dormant" if u < 0.965 else "closed")
        propensity = r.gammavariate(1.5, 1 / 1.5)
        if status == "dormant":
            propensity *= 0.15
        elif status == "closed":
            propensity *= 0.03
        rows.append(
            (
                joined,
                full_name,
                phone,
                email,
                id_number,
                region.label,
                tier,
                Decimal(f"{value:.2f}"),
                status,
                propensity,
            )
        )
    rows.sort(key=lambda row: row[0])
    customers = tuple(
        CustomerSeed(
            external_id=f"C{i + 1:08d}",
            name=row[1],
            phone=row[2],
            email=row[3],
            id_number=row[4],
            region=row[5],
            tier=row[6],
            monthly_value=row[7],
            joined_on=row[0],
            status=row[8],
        )
        for i, row in enumerate(rows)
    )
    return customers, tuple(row[9] for row in rows)
