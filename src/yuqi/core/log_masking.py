"""Personal numbers never reach the server log (security review F-13).

A filter on the log handler masks phone, ID-card and bank-card numbers and e-mail addresses
(:func:`yuqi.domain.pii.mask_pii`, the masking used for stored complaint text) in
each line and in its traceback, whatever logged it: our own code names records by id, but an
exception message from a mail server or a database (``SMTPRecipientsRefused``, a unique-key
violation) can quote the address or number it refused. Names in free text cannot be found
reliably, so the code logs ids, never names or message bodies.
"""

from __future__ import annotations

import logging

from yuqi.domain.pii import mask_pii

_TRACEBACKS = logging.Formatter()


class PersonalDataLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_pii(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_pii(record.exc_text)
        return True
