"""Chinese input formats with ISO 8601 first.

A form widget draws a date or date-time value with the first of these formats. Django's
Chinese list starts with ``2016/09/05``, which an HTML ``<input type="date">`` does not accept:
the browser shows the field empty, so a page's default period (the adherence page's last seven
days, say) was lost in Chinese only. ISO first mends every such field at once; the other
Chinese spellings are still read (``2016年9月5日`` with ``%m``/``%d``, which read one digit).
"""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05': what <input type="date"> shows and sends
    "%Y/%m/%d",  # '2016/09/05'
    "%Y年%m月%d日",  # '2016年9月5日'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # '2016-09-05 20:45:29'
    "%Y-%m-%d %H:%M:%S.%f",  # '2016-09-05 20:45:29.000200'
    "%Y-%m-%d %H:%M",  # '2016-09-05 20:45'
    "%Y/%m/%d %H:%M:%S",  # '2016/09/05 20:45:29'
    "%Y/%m/%d %H:%M:%S.%f",  # '2016/09/05 20:45:29.000200'
    "%Y/%m/%d %H:%M",  # '2016/09/05 20:45'
    "%Y年%m月%d日 %H:%M:%S",  # '2016年9月5日 20:45:29'
    "%Y年%m月%d日 %H:%M",  # '2016年9月5日 20:45'
]
