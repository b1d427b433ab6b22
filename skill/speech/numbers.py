"""Numbers as words, both ways: "twenty-five" said for 25, and 25 read from "twenty five"
(what the console hears where a device would resolve AMAZON.NUMBER or AMAZON.TIME)."""

from __future__ import annotations

ONES = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty"}
TENS_VALUES = {word: tens * 10 for tens, word in TENS.items()}


def number_words(n: int) -> str:
    """0 to 69 in words ("twenty-five"); anything else in digits."""
    if 0 <= n < len(ONES):
        return ONES[n]
    tens, ones = divmod(n, 10)
    if tens in TENS:
        return TENS[tens] + (f"-{ONES[ones]}" if ones else "")
    return str(n)


def parse_number(text: str) -> int | None:
    """'ten', '10', 'twenty five', 'twenty-five', 'oh five' (minutes) -> the number, else
    None."""
    words = text.replace("-", " ").split()
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if words[:1] == ["oh"] and len(words) == 2:
        words = words[1:]
    total = 0
    for word in words:
        if word in ONES and total % 10 == 0 and (total == 0 or ONES.index(word) < 10):
            total += ONES.index(word)
        elif word in TENS_VALUES and total == 0:
            total = TENS_VALUES[word]
        else:
            return None
    return total if words else None
