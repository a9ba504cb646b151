"""Locale-bound formatting in each language's house style: dates, amounts, ordinals, lists."""

from .format import Formatter, Note
from .house import HouseStyle, load_house
from .locales import LOCALES, TIME_ZONE, babel_locale

__all__ = ["Formatter", "HouseStyle", "LOCALES", "Note", "TIME_ZONE", "babel_locale", "load_house"]
