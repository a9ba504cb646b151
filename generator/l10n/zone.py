"""The ministry's time zone and today's date in it: the one clock of every brief."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

# the brief's date, times in the facts and the dates of e-mails are read in Astana's time
TIME_ZONE = ZoneInfo("Asia/Almaty")


def today() -> dt.date:
    """Today in Astana (the ministry's time zone), never the machine's."""
    return dt.datetime.now(TIME_ZONE).date()
