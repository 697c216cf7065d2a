"""German text analysis for search: fold, split, stem, drop stop words (pure).

A word is folded (NFC, casefold so `ß` = `ss`, umlauts to their base letter,
other diacritics stripped) and stemmed with Snowball German, which also reads
`ae`, `oe`, `ue` as umlauts: "Häuser", "Haeuser" and "Hauser" are all `haus`.
A hyphenated word gives its parts and the joined whole ("Deutschland-Ticket":
`deutschland`, `ticket`, `deutschlandticket`). Terms are ASCII letters and
digits where the text was Latin, so both databases tokenise them alike.

What needs the index's vocabulary (compound parts, one typo) is decided by the
store; this module only proposes: `compound_splits` and `edits1`.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

import Stemmer

# Letters and digits, with combining marks (a decomposed "A\u0308" is one "Ä").
_LETTER = r"(?:[^\W_]|[\u0300-\u036f])"
WORD = re.compile(rf"{_LETTER}+(?:[-‐‑]{_LETTER}+)*")
# The same words in a folded text, which holds no combining marks any more.
_FOLDED_WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")
_HYPHENS = re.compile(r"[-‐‑]")
_COMBINING = re.compile(
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
# A compound's parts are at least this long; its joints may carry a Fugen-s,
# -es, -n or -en ("Friedens|gespräche", "Renten|reform").
MIN_PART = 3
LINKING = ("es", "s", "en", "n")
# One typo is tolerated in words of at least this many letters.
MIN_TYPO_LENGTH = 5
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"

# Function words, and the words of a reader's phrasing that carry no topic
# ("eigentlich", "gerade", "bitte"). Written with umlauts; folded below.
_STOP = """
aber alle allem allen aller alles als also am an ander andere anderen anders
auch auf aus bei beim bin bis bisher bist bitte bzw da dabei dadurch dafür
dagegen daher damit danach dann daran darauf daraus darf darin darüber darum
das dass davon dazu dein deine dem den denen denn der deren des deshalb dessen
die dies diese diesem diesen dieser dieses doch dort du durch ein eine einem
einen einer eines einfach eigentlich er es etwa etwas euch euer eure für gar
gegen genau gerade gibt gilt habe haben hat hatte hätte hier ihm ihn ihnen ihr
ihre ihrem ihren ihrer im in ins ist ja jede jedem jeden jeder jedes jemand
jetzt kann kein keine keinem keinen keiner können könnte man manche mehr mein
meine mich mir mit muss müssen musst nach nicht nichts noch nun nur ob oder
ohne schon sehr sein seine seinem seinen seiner seit sich sie sind so soll
sollen sollte sondern sowie über um und uns unser unsere unter viel vom von
vor während war waren warst was weil weiter welche welchem welchen welcher
welches wenn wer werde werden wie wieder wieso will wir wird wirklich wo wurde
wurden zu zum zur zwar zwischen mal eben halt denn okay ok gehen geht es's
weiß wissen sagen sag heute momentan aktuell derzeit derzeitige derzeitigen
stand neue neuen neuer neues neu ab per je ich dir dich gibts gibt's
so schon mehr überhaupt tatsächlich übrigens jedenfalls sowieso ohnehin
irgendwie nämlich quasi ziemlich eher vielleicht wohl bloß echt hab habs ne
nen ner nem isses
"""
# Interrogatives: no topic, but a hint at what is asked ("wann" vs "warum").
_QUESTION_WORDS = """
wann warum weshalb wieso wer wem wen wessen wo woher wohin wie was welche
welcher welches welchen womit wofür wozu worum wieviel wieviele
"""
# Words that make a heading about its article, not about anything it names:
# "Um was geht es?", "Was bedeutet das?", "Wie geht es weiter?".
_GENERIC = """
bedeutet bedeuten passiert passieren wichtig wichtigsten weiter weitergehen
hintergrund hintergründe überblick übersicht fragen antworten folgen ändert ändern
konkret genau kommt kommen heißt steht stehen worum geht gehen weit läuft laufen
"""


# Words readers and explainers use for the same thing, one set a line: a query
# word also finds the others (at a lower weight). Everyday German against the
# official word, and nouns against their verbs where Snowball keeps them apart.
_SYNONYMS = """
preis kosten kostet teuer teurer gebühr
höhe hoch
gehalt lohn verdienst verdienen verdient sold bezahlung
erhöhung erhöhen erhöht steigen steigt anstieg plus
frist spätestens rückwirkend
eltern mutter vater elternteil
gleichzeitig zugleich parallel
einspruch widerspruch anfechten klage klagen
verbot verboten untersagt
kündigen kündigung abbestellen
ändern änderung neuerung neu
wählen wahl wahlrecht wahlberechtigt
kiffen cannabis gras marihuana haschisch
streik streiken warnstreik ausstand
rente ruhestand rentner
zahlen bezahlen zahlung
abschaffen abschaffung streichen
beantragen antrag
fernzug fernverkehr ice
soldaten truppen streitkräfte
festlegen entscheiden bestimmen
wehrdienst bundeswehr armee militär
arbeitslos jobcenter
tun machen unternehmen
halten finden meinen
handy smartphone mobiltelefon
elektroauto stromer elektrofahrzeug
restaurant gaststätte gastronomie lokal
krankenkasse krankenversicherung
billiger günstiger preiswerter
hausbesitzer eigentümer hauseigentümer immobilienbesitzer vermieter
mieter mieterin
auto pkw wagen fahrzeug
arzt ärztin mediziner praxis
kind kinder nachwuchs
schule unterricht klassenzimmer
schüler schülerin
lehrer lehrerin lehrkraft
geld kohle
zuschuss prämie beihilfe
firma unternehmen betrieb arbeitgeber
job arbeit stelle arbeitsplatz beruf
beschäftigte arbeitnehmer angestellte
bekommen erhalten kriegen
kaufen anschaffen kauf
erlaubt gestattet zulässig
pflicht vorschrift verpflichtend
krank erkrankt erkrankung krankheit
anstecken ansteckung infektion infizieren infiziert
tot verendet gestorben
sicher sicherheit geschützt schutz
lesen einsehen zugreifen zugriff
gefährlich gefahr risiko
hähnchen huhn hühner geflügel
fleisch wurst
essen lebensmittel nahrungsmittel
urlaub ferien reise
flug flugzeug fliegen
zug bahn
strecke verbindung
wohnung wohnraum
heizen heizung
strom elektrizität
rentner senioren
menschen leute personen
jugendliche teenager
studenten studierende
staat regierung bundesregierung bund
minister ministerin
gesetz regelung
ende auslaufen
start beginn
kosten ausgaben
weniger sinken senkung gesenkt
verdoppeln verdopplung
sparen ersparnis
schulden kredit
wetter unwetter
hitze hitzewelle
spenden spende spender
"""
# Prefixes of German verbs and their nouns: "beantragen" also finds "Antrag".
PREFIXES = ("be", "ge", "ver", "er", "ent", "an", "ab", "auf", "aus", "ein", "zu")


def _words(text: str) -> frozenset[str]:
    """The words of a list, folded, each also as spelt without umlauts ("fuer")."""
    spelt = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return frozenset(fold(word) for word in (text + " " + spelt).split())


def fold(text: str) -> str:
    """Fold a word or a text: NFC, casefold, umlauts to their letter, no diacritics."""
    folded = unicodedata.normalize("NFC", text).casefold()
    # Three replaces beat str.translate on long texts.
    folded = folded.replace("ä", "a").replace("ö", "o").replace("ü", "u")
    if folded.isascii():
        return folded
    return _COMBINING.sub("", unicodedata.normalize("NFKD", folded))


STOP_WORDS = _words(_STOP) | _words(_QUESTION_WORDS)
QUESTION_WORDS = _words(_QUESTION_WORDS)
GENERIC_WORDS = _words(_GENERIC)
# The words of a heading that say what kind of question it is, not what about.
HINT_WORDS = QUESTION_WORDS | GENERIC_WORDS
_LOCAL = threading.local()


def _synonyms(table: str) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for line in table.strip().splitlines():
        stems = {stem(fold(word)) for word in line.split()}
        for one in stems:
            found.setdefault(one, set()).update(stems - {one})
    return {key: frozenset(value) for key, value in found.items()}


def stem(folded: str) -> str:
    """Return the Snowball German stem of a folded word."""
    return _stemmer().stemWord(folded)  # type: ignore[no-any-return]


def _stemmer() -> Stemmer.Stemmer:
    # A stemmer (and its cache) is not safe to share between threads.
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        stemmer = _LOCAL.stemmer = Stemmer.Stemmer("german")
    return stemmer


@dataclass(frozen=True)
class Token:
    """One word of a text: where it stands, its folded form and its terms."""

    start: int
    end: int
    folded: str
    terms: tuple[str, ...]

    @property
    def stop(self) -> bool:
        return self.folded in STOP_WORDS


def tokens(text: str) -> list[Token]:
    """Split a text into words with their spans and terms (stop words included)."""
    found = []
    for match in WORD.finditer(text):
        analysed = _analysed_word(match.group())
        if analysed is not None:
            found.append(Token(match.start(), match.end(), *analysed))
    return found


def marked(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """The spans of the words of a text, stop words left out, holding a wanted term.

    What `tokens` would find, without a Token for every word: for highlights.
    A word never spans a space, so each distinct run of non-space characters
    is read once per process.
    """
    found = []
    cache = _RUNS
    for run in _RUN.finditer(text):
        chunk = run.group()
        words = cache.get(chunk)
        if words is None:
            words = _run_words(chunk)
            if len(cache) > _CACHED_CHUNKS:
                cache.clear()
            cache[chunk] = words
        for start, end, held in words:
            if not wanted.isdisjoint(held):
                at = run.start()
                found.append((at + start, at + end))
    return found


_RUN = re.compile(r"\S+")
# A run of text as written and its words' spans and terms (stop words left out).
_RUNS: dict[str, tuple[tuple[int, int, tuple[str, ...]], ...]] = {}


def _run_words(chunk: str) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
    words = []
    for match in WORD.finditer(chunk):
        analysed = _analysed_word(match.group())
        if analysed is not None and analysed[0] not in STOP_WORDS:
            words.append((match.start(), match.end(), analysed[1]))
    return tuple(words)


def _analysed_word(match: str) -> tuple[str, tuple[str, ...]] | None:
    """A word's folded form and terms; None if it holds no letters."""
    word = fold(match)
    parts = [part for part in _HYPHENS.split(word) if part]
    if not parts:
        return None
    if len(parts) == 1:
        return word, (stem(word),)
    whole = "".join(parts)
    own = [*(stem(p) for p in parts if p not in STOP_WORDS), stem(whole)]
    return whole, tuple(dict.fromkeys(own))


def terms(text: str) -> list[str]:
    """Return a text's terms in order, stop words left out.

    The same terms as `tokens` gives, without spans. Folding never joins
    two runs of non-space characters nor reaches across a space, so each
    distinct run is folded and analysed once per process (news repeats its
    words), which is what indexing needs; the text as a whole is never folded.
    """
    chunks = text.split()
    cache = _CHUNK_TERMS
    try:
        held = [cache[chunk] for chunk in chunks]
    except KeyError:
        if len(cache) > _CACHED_CHUNKS:
            cache.clear()
        for chunk in chunks:
            if chunk not in cache:
                cache[chunk] = _chunk_terms(chunk)
        held = [cache[chunk] for chunk in chunks]
    return list(chain.from_iterable(held))


# Runs of text as written ("Grundsteuer,", "(2025)") and their terms. Bounded.
_CHUNK_TERMS: dict[str, tuple[str, ...]] = {}
_CACHED_CHUNKS = 500_000


def _chunk_terms(chunk: str) -> tuple[str, ...]:
    # Folding may split a run ("a\u00a8b": NFKD makes the diaeresis a space).
    return tuple(
        term for word in _FOLDED_WORD.findall(fold(chunk)) for term in _word_terms(word)
    )


def _word_terms(word: str) -> tuple[str, ...]:
    """The terms of one folded word: its stem; a hyphenated one's parts and whole."""
    if word in STOP_WORDS:
        return ()
    parts = [part for part in _HYPHENS.split(word) if part]
    whole = "".join(parts)
    if len(parts) == 1:
        return (stem(whole),)
    if whole in STOP_WORDS:
        return ()
    own = [stem(p) for p in parts if p not in STOP_WORDS] + [stem(whole)]
    return tuple(dict.fromkeys(own))


def is_generic(question: str) -> bool:
    """Tell whether a heading names at most one thing ("Was bedeutet das?")."""
    words = _FOLDED_WORD.findall(fold(question))
    content = [w for w in words if w not in STOP_WORDS and w not in GENERIC_WORDS]
    return len(content) <= 1


def synonyms(term: str) -> frozenset[str]:
    """The stems of words that mean the same as this stem, as the table says."""
    return SYNONYMS.get(term, frozenset())


def unprefixed(folded: str) -> str | None:
    """The stem without a verb prefix ("beantragen" -> "antrag"), if one is there."""
    for prefix in PREFIXES:
        rest = folded[len(prefix) :]
        if folded.startswith(prefix) and len(rest) >= 4:
            return stem(rest)
    return None


# Verb prefixes that move into the participle: "abschaffen", "abgeschafft".
SEPARABLE = ("ab", "an", "auf", "aus", "ein", "mit", "nach", "um", "vor", "zu")
_INSEPARABLE = ("be", "emp", "ent", "er", "ge", "miss", "ver", "zer")
_FORM_ENDINGS = ("ung", "en", "et", "t")


def verb_forms(folded: str) -> set[str]:
    """Stems of the other forms of a word's verb: its infinitive, -t form,
    participle and -ung noun ("Sperrung", "gesperrt"; "abgeschafft",
    "Abschaffung"; "erhöht", "Erhöhung"), which Snowball stems apart.

    Candidates only: the caller keeps those the index holds. Strong verbs
    change their vowel ("gestiegen") and are not found.
    """
    base = next(
        (folded[: -len(end)] for end in _FORM_ENDINGS if folded.endswith(end)), None
    )
    if base is None or len(base) < 3:
        return set()
    bases = {base}
    if base.startswith("ge") and len(base) >= 5:
        bases.add(base[2:])
    for prefix in SEPARABLE:
        if base.startswith(prefix + "ge") and len(base) - len(prefix) >= 5:
            bases.add(prefix + base[len(prefix) + 2 :])
    forms: set[str] = set()
    for verb in bases:
        if len(verb) < 3:
            continue
        forms.update((verb + "en", verb + "t", verb + "ung"))
        if not verb.startswith(_INSEPARABLE):  # "beantragt", not "gebeantragt"
            forms.add("ge" + verb + "t")
        for prefix in SEPARABLE:
            rest = verb[len(prefix) :]
            if verb.startswith(prefix) and len(rest) >= 3:
                forms.add(prefix + "ge" + rest + "t")
    own = stem(folded)
    return {stem(form) for form in forms} - {own}


def compound_splits(folded: str) -> list[tuple[str, str]]:
    """Propose (head, tail) stems of a folded word read as a two-part compound.

    Longest head first; a head may drop a linking -s, -es, -n or -en.
    """
    splits: list[tuple[str, str]] = []
    for cut in range(len(folded) - MIN_PART, MIN_PART - 1, -1):
        head, tail = folded[:cut], folded[cut:]
        heads = [head] + [
            head[: -len(link)]
            for link in LINKING
            if head.endswith(link) and len(head) - len(link) >= MIN_PART
        ]
        tail_stem = stem(tail)
        splits.extend((stem(h), tail_stem) for h in dict.fromkeys(heads))
    return splits


def edits1(term: str) -> set[str]:
    """Every string one edit away: deletion, transposition, substitution, insertion."""
    if len(term) < MIN_TYPO_LENGTH - 1:
        return set()
    cuts = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    deletions = [a + b[1:] for a, b in cuts if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1]
    substitutions = [a + c + b[1:] for a, b in cuts if b for c in _ALPHABET]
    insertions = [a + c + b for a, b in cuts for c in _ALPHABET]
    found = set(deletions + swaps + substitutions + insertions)
    found.discard(term)
    return found


class Analysed(NamedTuple):
    """One answer as the index holds it: each field's terms joined by spaces.
    (A tuple: a bulk load's parsers send five an article, cheaper to pickle.)"""

    question_terms: str
    answer_terms: str
    context_terms: str  # the article's lead, then its other headings
    lead_length: int  # how many of context_terms are the lead's
    asks: str  # the heading's hint words, folded
    generic: bool


# An article's header line ("date 2025-03-01"): not part of its lead.
_HEADER = re.compile(r"^\s*date\s+\S+")


def analyse_article(
    headings: Sequence[str], lead: str, answers: Mapping[int, Sequence[str]]
) -> tuple[dict[int, Analysed], dict[str, int]]:
    """The documents of an article's answers, by the position of their heading,
    and how many of them hold each term.

    `headings` are all the article's headings in order, answered or not;
    `lead` is its text before the first heading (header line included);
    `answers` maps a heading's position to its answer's paragraphs. Each
    heading and the lead are analysed once, however many answers they are
    context of.
    """
    analysed = [_heading(heading) for heading in headings]
    lead_terms = tuple(dict.fromkeys(terms(_HEADER.sub("", lead, count=1))))
    # A document's question and context are all the headings and the lead:
    # every document holds their terms, and its answer's beside them.
    shared = {term for held, _, _ in analysed for term in held}
    shared.update(lead_terms)
    counts = Counter(dict.fromkeys(shared, len(answers)) if answers else {})
    found = {}
    for position, paragraphs in answers.items():
        question_terms, asks, generic = analysed[position]
        # The lead's terms first, then those only the other headings hold.
        context = dict.fromkeys(lead_terms)
        for other, (held, _, _) in enumerate(analysed):
            if other != position:
                context.update(dict.fromkeys(held))
        answer_terms = terms("\n\n".join(paragraphs))
        counts.update(set(answer_terms).difference(shared))
        found[position] = Analysed(
            question_terms=" ".join(question_terms),
            answer_terms=" ".join(answer_terms),
            context_terms=" ".join(context),
            lead_length=len(lead_terms),
            asks=asks,
            generic=generic,
        )
    return found, dict(counts)


def _heading(heading: str) -> tuple[tuple[str, ...], str, bool]:
    """A heading's terms, its hint words (folded, joined) and whether it is
    generic; headings recur from article to article, so each is read once."""
    found = _HEADINGS.get(heading)
    if found is None:
        asks = [w for w in _FOLDED_WORD.findall(fold(heading)) if w in HINT_WORDS]
        found = (
            tuple(terms(heading)),
            " ".join(dict.fromkeys(asks)),
            is_generic(heading),
        )
        if len(_HEADINGS) > _CACHED_HEADINGS:
            _HEADINGS.clear()
        _HEADINGS[heading] = found
    return found


_HEADINGS: dict[str, tuple[tuple[str, ...], str, bool]] = {}
_CACHED_HEADINGS = 100_000


SYNONYMS = _synonyms(_SYNONYMS)
