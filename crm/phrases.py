"""The human phrases every page, rule and email shares: counts, durations, dates, lists.

One module so that "1 advocate" / "2 advocates", "4 months" and "Mar 4" read the same
everywhere, and a setting that changes a number changes the sentence that mentions it.
Plain Python, no Django: the engine imports it too.
"""

import datetime

_IRREGULAR = {"person": "people", "this": "these", "is": "are", "was": "were", "has": "have"}


def plural_word(count: float, word: str, plural: str | None = None) -> str:
    """The word alone, agreeing with count: plural_word(2, "advocate") -> "advocates"."""
    if count == 1:
        return word
    if plural:
        return plural
    if " of " in word:  # "day of project work" -> "days of project work"
        head, _, tail = word.partition(" of ")
        return f"{plural_word(count, head)} of {tail}"
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def number(count: float) -> str:
    """1 -> "1", 2.5 -> "2.5", 0.8 -> "0.8" (one decimal at most, no trailing .0)."""
    count = round(count, 1)
    return str(int(count)) if count == int(count) else str(count)


def plural(count: float, word: str, plural: str | None = None) -> str:
    """plural(1, "week") -> "1 week", plural(3, "person") -> "3 people"."""
    return f"{number(count)} {plural_word(count, word, plural)}"


_SMALL = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def weeks_count(weeks: float) -> str:
    """Weeks as a person says them: 0.8 -> "under a week", 2.4 -> "2 weeks", 1 -> "1 week"."""
    if weeks < 1:
        return "under a week"
    return plural(round(weeks), "week")


def capitalized(text: str) -> str:
    """The first letter up, the rest as written: "an attending" -> "An attending"."""
    return text[:1].upper() + text[1:]


def count_words(count: int, word: str, plural: str | None = None) -> str:
    """Small counts in words, as people write them: "two days", "six weeks", "12 months"."""
    shown = _SMALL[count] if 0 <= count < len(_SMALL) else str(count)
    return f"{shown} {plural_word(count, word, plural)}"


def with_article(noun: str) -> str:
    """ "attending" -> "an attending", "program director" -> "a program director"."""
    if not noun:
        return noun
    first = noun.split()[0]
    vowel_sound = first[0].lower() in "aeio" or (
        first[0].lower() == "u" and not first.lower().startswith(("uni", "use", "usu"))
    )
    if first.isupper() and len(first) > 1:  # initialisms by their first letter's sound: an MD
        vowel_sound = first[0] in "AEFHILMNORSX"
    return f"{'an' if vowel_sound else 'a'} {noun}"


def days_in_words(days: int) -> str:
    """A span the way a person says it: "5 days", "3 weeks", "4 months", "over a year"."""
    if days < 14:
        return plural(days, "day")
    if days < 60:
        return plural(days // 7, "week")
    months = round(days / 30.4)
    return plural(months, "month") if months < 12 else "over a year"


def days_in_months(days: int) -> str:
    """As days_in_words, but a long span keeps counting months: "14 months", not "over a year"
    (the advisor's list, where a student quiet for 14 months is not one quiet for 30)."""
    if days < 60:
        return days_in_words(days)
    return plural(round(days / 30.4), "month")


def span_in_words(days: int) -> str:
    """A setting's span the way a sentence says it: 7 -> "a week", 14 -> "two weeks",
    3 -> "three days", 30 -> "a month", 180 -> "six months", 365 -> "a year"."""
    if days % 7 == 0 and 0 < days < 56:
        weeks = days // 7
        return "a week" if weeks == 1 else count_words(weeks, "week")
    if days < 28:
        return "a day" if days == 1 else count_words(days, "day")
    months = round(days / 30.4)
    if months % 12 == 0:
        years = months // 12
        return "a year" if years == 1 else count_words(years, "year")
    return "a month" if months == 1 else count_words(months, "month")


def times_a_year(every_days: int) -> str:
    """How often something every `every_days` days happens: 180 -> "twice a year"."""
    times = max(1, round(365 / every_days))
    if times == 1:
        return "once a year"
    if times == 2:
        return "twice a year"
    return f"{count_words(times, 'time')} a year"


def short_date(day: datetime.date) -> str:
    """ "Mar 4": the one date style for sentences (the year is implied by the season)."""
    return f"{day:%b} {day.day}"


def long_date(day: datetime.date) -> str:
    """ "Thu Mar 4, 2027": where the year or the weekday matters."""
    return f"{day:%a} {day:%b} {day.day}, {day.year}"


def names_list(names: list[str], conjunction: str = "and") -> str:
    """ "A", "A and B", "A, B and C"."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"
