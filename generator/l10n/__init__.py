"""Locale-bound formatting in each language's house style: dates, amounts, ordinals, lists."""

from .house import HouseStyle, load_house
from .format import Formatter

LOCALES = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en"}

__all__ = ["Formatter", "HouseStyle", "load_house", "LOCALES"]
