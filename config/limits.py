"""Length limits of what people type, in characters: one number each, read by the model
field and by the form, so the form refuses with a message whatever the column would refuse
with a server error (issue 16, items 3 and 7).

The figures are generous for the work and small enough that one entry cannot swell a page:
a rationale of 5,000 characters is about 800 words, a long comment about 500.
"""

from __future__ import annotations

# Any URL we store (an article's source, a reference, a feed, a library document). The
# URL validator's own limit is 2,048; ours is the column's.
URL_MAX_LENGTH = 2000

RATIONALE_MAX_LENGTH = 5000  # a reviewer's reasons for a verdict
COMMENT_MAX_LENGTH = 2000  # a comment on a claim, and the reason a verdict is sent back
NOTE_MAX_LENGTH = 2000  # a correction note or a retraction note of a published summary
DISMISS_REASON_MAX_LENGTH = 300  # why a claim is not checkable (Claim.reason)
QUOTE_MAX_LENGTH = 2000  # the words of a claim a reviewer selects in the article
QUERY_MAX_LENGTH = 500  # a reviewer's own wording for a search (GatherJob.query)
SEARCH_MAX_LENGTH = 200  # a search box (queue, public index, library on the review page)


def as_id(value: str) -> int | None:
    """A row id typed into a parameter, or None: digits only, and short enough for the
    database's 64-bit integers (a longer one is a server error in SQLite, not "no such row")."""
    return int(value) if value.isdigit() and len(value) < 19 else None
