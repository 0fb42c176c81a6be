"""``yuqi privacy``: answer personal-information requests from the command line.

    yuqi privacy export CUSTOMER_ID --out FILE [--xlsx]
    yuqi privacy erase CUSTOMER_ID --reason TEXT
    yuqi privacy purge                         run the retention schedule now

CUSTOMER_ID is the customer's external id. Each command records a request (channel
``command line``, identity checked by the operator's own procedure), which the audit log
records. ``export`` writes JSON (``--xlsx``: an Excel workbook); the same data gives the same
JSON bytes, so exporting twice is harmless. ``erase`` anonymises the customer everywhere
(see ``yuqi.privacy.services``) and prints what it changed, including open complaints that
were anonymised and left open. Exit codes: 0 done, 1 refused (e.g. already erased), 2 bad
input (unknown customer, empty or over-long reason, unwritable file).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from yuqi.privacy.models import PrivacyRequest

__all__ = ["register", "run_erase", "run_export", "run_purge"]

CLI_CHANNEL = "command line"


def register(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    parser = add("privacy", "personal information: export, erase, purge (PIPL)")
    sub = parser.add_subparsers(dest="privacy_command", metavar="ACTION", required=True)

    export = sub.add_parser("export", help="everything held about a customer, as a file")
    export.add_argument("--data-dir", default=argparse.SUPPRESS, help="data folder")
    export.add_argument("customer", metavar="CUSTOMER_ID")
    export.add_argument("--out", required=True, metavar="FILE")
    export.add_argument("--xlsx", action="store_true", help="write an Excel workbook")
    export.set_defaults(func=run_export)

    erase = sub.add_parser("erase", help="anonymise a customer everywhere")
    erase.add_argument("--data-dir", default=argparse.SUPPRESS, help="data folder")
    erase.add_argument("customer", metavar="CUSTOMER_ID")
    erase.add_argument("--reason", required=True, metavar="TEXT")
    erase.set_defaults(func=run_erase)

    purge = sub.add_parser("purge", help="purge what is past its retention now")
    purge.add_argument("--data-dir", default=argparse.SUPPRESS, help="data folder")
    purge.set_defaults(func=run_purge)


def _setup(args: argparse.Namespace) -> None:
    setup = getattr(args, "setup", None)
    if setup is not None:  # else the caller has set Django up (tests)
        setup(getattr(args, "data_dir", None))
        bring_up_to_date = getattr(args, "migrate", None)
        if bring_up_to_date is not None:
            bring_up_to_date()


def _request(customer: str, kind: str) -> PrivacyRequest:
    from yuqi.privacy.models import IdentityMethod, PrivacyRequest, RequestKind
    from yuqi.privacy.services import privacy_request_create, privacy_request_verify

    if kind == RequestKind.ACCESS:  # asked again: the same request, the same file
        earlier = (
            PrivacyRequest.objects.filter(
                customer_ref=customer.strip(), kind=kind, channel=CLI_CHANNEL
            )
            .exclude(identity_method="")
            .order_by("-pk")
            .first()
        )
        if earlier is not None:
            return earlier

    request = privacy_request_create(customer_ref=customer, kind=kind, channel=CLI_CHANNEL)
    return privacy_request_verify(request=request, method=IdentityMethod.OPERATOR)


def run_export(
    args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    _setup(args)
    from yuqi.core.errors import DomainError
    from yuqi.core.private_files import open_private
    from yuqi.privacy.models import RequestKind
    from yuqi.privacy.services import privacy_export

    try:
        bundle = privacy_export(request=_request(args.customer, RequestKind.ACCESS))
    except DomainError as exc:
        print(f"error: {exc.message}", file=err)
        return 2 if exc.code in ("not_found", "invalid") else 1
    target = Path(args.out).expanduser()
    content = bundle.xlsx_bytes() if args.xlsx else bundle.json_bytes
    try:
        with open_private(target, "wb") as handle:
            handle.write(content)
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror or exc}", file=err)
        return 2
    total = sum(bundle.counts.values())
    print(
        f"{bundle.customer_ref}: {total} records from {len(bundle.counts)} sources → {target} "
        f"(sha256 of the JSON {bundle.sha256})",
        file=out,
    )
    return 0


def run_erase(
    args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    _setup(args)
    from yuqi.core.errors import DomainError
    from yuqi.privacy.models import RequestKind
    from yuqi.privacy.selectors import erasure_of
    from yuqi.privacy.services import REASON_MAX, clean_text, privacy_erase

    try:
        reason = clean_text(args.reason, limit=REASON_MAX, label="reason")
        if not reason:
            raise DomainError("Give the reason for the erasure (--reason).", field="reason")
        from yuqi.customers.facade import customer_identity

        identity = customer_identity(args.customer.strip()[:64])
        if identity is not None and (done := erasure_of(identity.id)) is not None:
            print(
                f"error: customer {identity.external_id} was already erased on "
                f"{done.erased_at.date().isoformat()} (request PI-{done.request_id:05d})",
                file=err,
            )
            return 1
        outcome = privacy_erase(
            request=_request(args.customer, RequestKind.DELETION), reason=reason
        )
    except DomainError as exc:
        print(f"error: {exc.message}", file=err)
        return 2 if exc.code in ("not_found", "invalid") else 1
    summary = {
        "request": outcome.request.number,
        "customer": outcome.request.customer_ref,
        "records_changed": outcome.rows,
        "notes": list(outcome.notes),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1), file=out)
    return 0


def run_purge(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    _setup(args)
    from yuqi.privacy.services import retention_purge

    print(json.dumps(retention_purge(), ensure_ascii=False), file=out)
    return 0
