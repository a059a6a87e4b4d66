"""Pure date helpers, without the ORM."""

import calendar
from datetime import date


def birthday_in_year(birthdate, year):
    """The day a birthday is celebrated in a year: 29 February falls on 28 February
    in a non-leap year."""
    if birthdate.month == 2 and birthdate.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return birthdate.replace(year=year)


def next_birthday(birthdate, today):
    """The next celebration of a birthday, today included."""
    this_year = birthday_in_year(birthdate, today.year)
    return this_year if this_year >= today else birthday_in_year(birthdate, today.year + 1)
