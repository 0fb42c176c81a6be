"""The labelled complaint sentences of ``data/extraction_*.tsv`` and how extraction is scored.

Labelling rules (how the expected fields were written, before any extractor ran on them):

* **outcomes**: what the customer asks for. ``refund`` money already paid comes back (退钱,
  退回来, 返还, 把钱还我); ``compensation`` extra money or value for a loss (赔, 补偿, 送点流量);
  ``waiver`` a fee is not charged, cancelled or reduced (免了, 减免, 不收, 别扣, 我不认, 不交);
  ``repair`` a fault is fixed (修, 弄好, 恢复网络, 上门看看, 派人, a broken device replaced at
  home); ``redelivery`` something is sent, installed or done (again) (补寄, 重新发货, 重装, 来装,
  重新办理); ``apology``; ``reply`` an answer, a decision or a result in any channel (给个说法,
  答复, 回个话, 交代, 短信通知我结果); ``callback`` a phone call (回个电话, 打给我, 来电, 联系我);
  ``explanation`` why or how something happened (解释, 怎么回事, 凭什么, 为什么…？, 说清楚, 查清楚).
  An outcome the customer refuses is not wanted (不要道歉, 不需要回电话, 道歉有什么用, 就别修了);
  one that failed, is missing or is a condition still is (修不好, 没人回电话, 不修好我就…).
  The outcome of a quoted promise is still wanted (the customer quotes it because it was not
  kept). Generic verbs (处理, 解决) are no outcome.
* **amount**: the money asked for by a refund, compensation or waiver, wherever the sentence
  states it (扣了我58块……给我退回来); a total (一共, 共计, 合计) or the extra part (多扣的,
  多了二十) rather than a price or a monthly rate; none when only a share or the rest is asked
  (退一半, 剩下的钱, 差价 without a figure) or the figure is vague (几十块, 两三百).
* **wanted_by**: the customer's own deadline, by the conventions of
  ``yuqi.domain.text.extract``; "after 15:30" or a vague "一会儿" is none; a time that belongs to
  a quoted promise is not the customer's deadline.
* **quoted_promise**: a promise (or a claim of what would be done) by the centre or its staff
  that the customer quotes back (说好, 答应, 承诺, 保证, 约的/约好, 预约的, "客服说会…",
  "不是说…吗"), with its promised time: a deadline (past ones included: it was broken) or a
  duration whose start is unknown; the kind is ``?`` when the promised thing is not an outcome.

``python tests/domain/text/extraction_cases.py [FILE…]`` prints per-field accuracy and the
sentences that are not fully right.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

BEIJING = timezone(timedelta(hours=8))
REFERENCE = datetime(2026, 11, 25, 10, 30, tzinfo=BEIJING)  # a Wednesday
DATA = Path(__file__).parent / "data"
TUNING = DATA / "extraction_cases.tsv"
HELD_OUT = DATA / "extraction_heldout.tsv"
FIELDS = ("outcomes", "amount", "wanted_by", "quoted_promise")
_UNITS = {"minute": "min", "hour": "h", "day": "d", "working_day": "wd", "week": "w", "month": "m"}


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    outcomes: frozenset[str]
    amount: Decimal | None
    wanted_by: str
    quoted_promise: str


def load(path: Path = TUNING) -> list[Case]:
    """The cases of one TSV file (``#`` lines are comments, the first other line a header)."""
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    cases = []
    for number, line in enumerate(lines[1:], start=2):
        parts = line.split("\t")
        if len(parts) != 6:
            raise ValueError(f"{path.name}: data line {number} has {len(parts)} columns, not 6")
        case_id, text, outcomes, amount, wanted, promise = parts
        cases.append(
            Case(
                id=case_id,
                text=text,
                outcomes=frozenset() if outcomes == "-" else frozenset(outcomes.split(",")),
                amount=None if amount == "-" else Decimal(amount),
                wanted_by=wanted,
                quoted_promise=promise,
            )
        )
    return cases


def _moment(value: datetime) -> str:
    """``MM-DD`` for the end of a day, ``MM-DD HH:MM`` otherwise (the notation of the files)."""
    local = value.astimezone(BEIJING)
    if (local.hour, local.minute, local.second) == (23, 59, 59):
        return f"{local:%m-%d}"
    return f"{local:%m-%d %H:%M}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def found_fields(extraction: Any) -> dict[str, Any]:
    """The four scored fields of an ``Extraction``, in the notation of the files."""
    outcomes = frozenset(o.kind for o in extraction.outcomes)
    amount = next((o.amount for o in extraction.outcomes if o.amount is not None), None)
    wanted = extraction.wanted_time
    if wanted is None:
        wanted_by = "-"
    elif wanted.deadline is None:
        wanted_by = "asap"
    else:
        wanted_by = _moment(wanted.deadline)
    promise = getattr(extraction, "quoted_promise", None)
    if promise is None:
        quoted = "-"
    else:
        if promise.deadline is not None:
            when = _moment(promise.deadline)
        elif promise.within is not None:
            when = _number(promise.within) + _UNITS[promise.within_unit]
        else:
            when = "?"
        quoted = f"{promise.kind or '?'}@{when}"
    return {
        "outcomes": outcomes,
        "amount": amount,
        "wanted_by": wanted_by,
        "quoted_promise": quoted,
    }


@dataclass(frozen=True)
class Score:
    n: int
    per_field: dict[str, float]
    fully_right: float
    misses: list[tuple[Case, dict[str, Any]]]


def score(cases: list[Case], extract: Any = None) -> Score:
    """Share of cases right per field and fully right, with the cases that are not."""
    if extract is None:
        from yuqi.domain.text.extract import extract_expectation as extract
    right = dict.fromkeys(FIELDS, 0)
    full = 0
    misses = []
    for case in cases:
        found = found_fields(extract(case.text, REFERENCE))
        ok = {field: found[field] == getattr(case, field) for field in FIELDS}
        for field, good in ok.items():
            right[field] += good
        if all(ok.values()):
            full += 1
        else:
            misses.append((case, found))
    n = len(cases)
    return Score(n, {f: right[f] / n for f in FIELDS}, full / n, misses)


def report(path: Path) -> str:
    result = score(load(path))
    lines = [f"{path.name}: {result.n} sentences"]
    lines += [f"  {field:<15}{share:7.1%}" for field, share in result.per_field.items()]
    lines.append(f"  {'fully right':<15}{result.fully_right:7.1%}")
    for case, found in result.misses:
        wrong = {
            field: (getattr(case, field), found[field])
            for field in FIELDS
            if found[field] != getattr(case, field)
        }
        shown = "; ".join(f"{f}: want {w!s} got {g!s}" for f, (w, g) in wrong.items())
        lines.append(f"  {case.id} {case.text}\n      {shown}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "src"))
    for name in sys.argv[1:] or [str(TUNING)]:
        print(report(Path(name)))
