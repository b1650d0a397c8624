"""Suggesting themes for an issue from the words people used. Pure: no ORM, no I/O, no randomness.

The method runs on this machine and can say why it suggests what it does:
- Words are lower-cased and folded ("rotas", "rota's" → "rota"); common words are dropped. Pairs
  of neighbouring words were tried and left out: on the demo's issues they lowered the share of
  issues given a right theme from 64 % to 51 % (short notes, few of them), and doubled the cost.
- Each text becomes a TF-IDF vector: a term counts for more the more often the text uses it (a
  logarithm, so repetition is damped) and the fewer of the Care Lab's texts use it.
- Each theme has a centre: the mean of the vectors of the issues tagged with it and of its own
  name and description, so a brand-new theme can be suggested too.
- A note is suggested the themes whose centre points the same way (cosine similarity), at most
  three, only at or above a minimum score, ties broken by theme name.
- The explanation names the terms that counted most, and only terms from the note itself, so no
  words from other people's notes are shown.

Nothing here is stored: the caller builds a Model per request from decrypted words and drops it.
"""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from carecommons.lib.words import plural

MIN_LETTERS = 3
SHOWN_TERMS = 5
WORD = re.compile(r"[a-z']+")
COMMON_WORDS = """
about above after again against all also although always among and another any anyone anything
are aren around asked because been before being below between both but came can cannot cant
come could couldn did didn does doesn doing don dont done down during each either else even
ever every for from further get gets getting got had hadn has hasn have haven having her here
hers herself him himself his how however into isn its itself just keep know last least less
let like made make many may maybe might more most much must myself near need never next nor
not nothing now off often once one only onto other others our ours ourselves out over own
quite rather really said same say says see seem seems shall she should shouldn since some
someone something still such take tell than that thats the their theirs them themselves then
there these they theyre thing things think this those though through thus till too told
toward under until upon use used very want wanted was wasn way well went were weren what when
where whether which while who whom whose why will with within without won would wouldn yes yet
you your youre yours yourself yourselves ive weve youve wont isnt arent hes shes
"""
STOP_WORDS = frozenset(COMMON_WORDS.split())


def ascii_lower(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(word: str) -> str:
    """A light suffix folding, so "rotas", "rota" and "rota's" or "caring", "cared" and "care"
    meet. The result need not be a word: people are shown the word as they wrote it."""
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
        if word.endswith("i"):
            word = word[:-1] + "y"  # "worried" → "worry"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # "stopped" → "stopp" → "stop"
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The words of a text that are long enough and not common words, as written (lower-cased)."""
    out: list[str] = []
    for raw in WORD.findall(ascii_lower(text)):
        word = raw.strip("'")
        if word.endswith("'s"):
            word = word[:-2]
        word = word.replace("'", "")  # "don't" → "dont", a common word
        if len(word) >= MIN_LETTERS and word not in STOP_WORDS:
            out.append(word)
    return out


def tokenise(text: str, folded: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(term, as written) for each word, in order. `folded` remembers foldings while one model is
    built; it is dropped with the model."""
    folded = {} if folded is None else folded
    terms: list[tuple[str, str]] = []
    for word in words(text):
        term = folded.get(word)
        if term is None:
            term = folded[word] = fold(word)
        terms.append((term, word))
    return terms


def terms_of(text: str, folded: dict[str, str] | None = None) -> list[str]:
    return [term for term, _ in tokenise(text, folded)]


Vector = dict[str, float]


def normalised(vector: Vector) -> Vector:
    length = math.sqrt(sum(weight * weight for weight in vector.values()))
    return {term: weight / length for term, weight in vector.items()} if length else {}


def idf_for(documents: Sequence[Counter[str]]) -> tuple[dict[str, float], float]:
    """Smoothed inverse document frequency per term, and the weight of a term seen in none."""
    seen: Counter[str] = Counter()
    for counts in documents:
        seen.update(counts.keys())
    total = len(documents)
    idf = {term: math.log((1 + total) / (1 + n)) + 1 for term, n in seen.items()}
    return idf, math.log(1 + total) + 1


def vectorise(counts: Counter[str], idf: dict[str, float], unseen: float) -> Vector:
    """Sublinear term frequency × idf, scaled to length 1."""
    return normalised({term: (1 + math.log(n)) * idf.get(term, unseen) for term, n in counts.items()})


@dataclass(frozen=True)
class ThemeText:
    """A theme as the suggestions know it: its name and description seed its centre."""

    theme_id: int
    name: str
    description: str = ""


@dataclass(frozen=True)
class Note:
    """A tagged issue's text (title and, where allowed, words) and the themes it is tagged with."""

    text: str
    theme_ids: frozenset[int]


@dataclass(frozen=True)
class Centroid:
    theme_id: int
    name: str
    notes: int
    weights: Vector


@dataclass(frozen=True)
class Model:
    idf: dict[str, float]
    unseen: float
    centroids: tuple[Centroid, ...] = field(default=())


def build(themes: Sequence[ThemeText], notes: Sequence[Note] = ()) -> Model:
    """The idf over every text (each theme's seed and each note once) and one centre per theme:
    the mean of its seed's vector and its notes' vectors. Themes and notes are put in a fixed
    order first, so the sums, and so the suggestions, do not depend on the order given."""
    themes = sorted(themes, key=lambda theme: theme.theme_id)
    notes = sorted(notes, key=lambda note: (note.text, sorted(note.theme_ids)))
    folded: dict[str, str] = {}
    seeds = [Counter(terms_of(f"{theme.name}. {theme.description}", folded)) for theme in themes]
    docs = [Counter(terms_of(note.text, folded)) for note in notes]
    idf, unseen = idf_for([*seeds, *docs])
    totals: dict[int, Vector] = {}
    counts: dict[int, int] = {}
    for theme, seed in zip(themes, seeds, strict=True):
        totals[theme.theme_id] = vectorise(seed, idf, unseen)
        counts[theme.theme_id] = 0
    for note, doc in zip(notes, docs, strict=True):
        vector = vectorise(doc, idf, unseen)
        for theme_id in sorted(note.theme_ids & totals.keys()):
            total = totals[theme_id]
            for term, weight in vector.items():
                total[term] = total.get(term, 0.0) + weight
            counts[theme_id] += 1
    # The mean's direction is the sum's, so normalising the sum gives the same centre.
    centroids = tuple(
        Centroid(theme.theme_id, theme.name, counts[theme.theme_id], normalised(totals[theme.theme_id]))
        for theme in themes
    )
    return Model(idf=idf, unseen=unseen, centroids=centroids)


@dataclass(frozen=True)
class Suggestion:
    theme_id: int
    name: str
    score: float
    terms: tuple[str, ...]  # as written in the note, the strongest first
    notes: int

    @property
    def explanation(self) -> str:
        shared = ", ".join(f"‘{term}’" for term in self.terms)
        tagged = (
            f"{plural(self.notes, 'note')} tagged {self.name}"
            if self.notes
            else f"the name and description of {self.name}"
        )
        return f"Shares {shared} with {tagged} (score {self.score:.2f})."


def shared_terms(note: Vector, centroid: Vector, written: dict[str, str]) -> tuple[str, ...]:
    """The note's terms that count most towards the score, as written in the note."""
    ranked = sorted(
        (term for term in note if centroid.get(term, 0) > 0),
        key=lambda term: (-(note[term] * centroid[term]), term),
    )
    return tuple(written[term] for term in ranked[:SHOWN_TERMS])


def suggest(
    note: str,
    model: Model,
    *,
    k: int = 3,
    min_score: float = 0.15,
    exclude: Iterable[int] = (),
) -> list[Suggestion]:
    """At most k themes (not in `exclude`) whose centre is closest to the note, best first."""
    tokens = tokenise(note)
    if not tokens:
        return []
    written: dict[str, str] = {}
    for term, as_written in tokens:
        written.setdefault(term, as_written)
    vector = vectorise(Counter(term for term, _ in tokens), model.idf, model.unseen)
    skip = set(exclude)
    found = []
    for centroid in model.centroids:
        if centroid.theme_id in skip:
            continue
        score = sum(weight * centroid.weights.get(term, 0.0) for term, weight in vector.items())
        if score > 0 and score >= min_score:
            terms = shared_terms(vector, centroid.weights, written)
            found.append(Suggestion(centroid.theme_id, centroid.name, score, terms, centroid.notes))
    found.sort(key=lambda s: (-round(s.score, 12), s.name, s.theme_id))
    return found[:k]
