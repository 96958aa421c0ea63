"""Words and content stems: how the index and the assistant both cut text into searchable terms.

The lexical index is built from these at build time, and the assistant compares questions and
claims with the same terms, so they live in the lowest layer.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

TERM_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't
    down during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her
    here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its
    itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours
    ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they they'd they'll they're they've
    this those through to too under until up very was wasn't we we'd we'll we're we've were weren't what
    what's when when's where where's which while who who's whom why why's will with won't would wouldn't
    you you'd you'll you're you've your yours yourself yourselves say said says tell told think thinks
    explain explained mean means one get use used using like just really please thanks thank hi hello
    does anyone something thing things way know want need good best much many well may might
    """.split()  # noqa: SIM905
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in TERM_RE.findall(text)]


def content_stems(text: str) -> list[str]:
    """Stemmed words that carry meaning (stopwords and one-letter tokens removed)."""
    kept = [w for w in words(text) if w not in STOPWORDS and len(w) > 1]
    return list(_stemmer().stemWords(kept))
