"""The nursery rhyme "There was a crooked man" (traditional, public domain), embedded, in
the version of the course summary's co-occurrence table (its 25 words), and that table as
the summary prints it.

Words are the runs of letters and apostrophes, lowercased: punctuation and line ends only
separate words.
"""

from __future__ import annotations

import re

CROOKED_MAN = """\
There was a crooked man, who walked a crooked mile;
He found a crooked sixpence upon a crooked stile.
He bought a crooked cat, who caught a crooked mouse,
And they all lived together in a little crooked house.
"""


def words(text: str) -> list[str]:
    """The words of `text`, lowercased, in order: runs of letters and apostrophes."""
    return re.findall(r"[a-z']+", text.lower())


# The course summary's "Co-occurrence Matrix (2-word window)" of the rhyme, as it reads
# after the slides were converted to text: per row, its non-empty cells ("word" = 1,
# "word:n" = n). Several cells sit one column off (row "cat" shows "was" where the rhyme
# has "who", the column to its right); the experiment counts the rhyme itself and prints
# where the two differ. Kept only for that comparison.
SUMMARY_TABLE = {
    "a": "bought caught crooked:6 found in little upon walked was",
    "all": "lived they",
    "and": "found mile mouse they",
    "bought": "a he",
    "cat": "crooked was",
    "caught": "a was",
    "crooked": "a:6 bought house little man mile mouse sixpence stile",
    "found": "a and",
    "he": "bought stile",
    "house": "crooked",
    "in": "a together",
    "little": "a crooked upon",
    "lived": "all together",
    "man": "crooked was",
    "mile": "bought crooked",
    "mouse": "bought crooked",
    "sixpence": "crooked upon",
    "stile": "crooked he",
    "there": "was",
    "they": "all and",
    "together": "in little sixpence",
    "upon": "a sixpence",
    "walked": "a was",
    "was": "a stile",
    "who": "cat caught man upon",
}


def summary_counts() -> dict[tuple[str, str], int]:
    """{(row word, column word): count} of the summary's table, its non-empty cells."""
    cells = {}
    for row, text in SUMMARY_TABLE.items():
        for cell in text.split():
            word, _, n = cell.partition(":")
            cells[row, word] = int(n or 1)
    return cells
