"""Generate briefing articles in the seed format, at four scales, deterministically.

Questions recur across dates with new answers, as in real explainers: each
article takes a few questions from a pool that grows with the scale, so every
question is answered again and again over the months.

    python bench/corpus.py 10k bench/out/corpus-10k     # ~10,000 answers
    python bench/corpus.py 1m bench/out/corpus-1m       # ~1,000,000 answers
    python bench/corpus.py seeds bench/out/corpus-seeds # the two seed articles
    python bench/corpus.py small bench/out/corpus-small # ~1,250 answers (bench/costs.py)
"""

from __future__ import annotations

import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# scale: (articles, questions per article, size of the question pool)
# "small" is bench/costs.py's: under valgrind every article costs fifty times as much.
SCALES = {
    "small": (250, 5, 125),
    "10k": (2_000, 5, 1_000),
    "1m": (200_000, 5, 100_000),
}

TOPICS = [
    "Rentenreform",
    "Wärmepumpe",
    "Bürgergeld",
    "Schuldenbremse",
    "Mietpreisbremse",
    "Waffenruhe",
    "Gasspeicher",
    "Stromtrasse",
    "Krankenhausreform",
    "Wehrpflicht",
    "Zollstreit",
    "Grundsteuer",
    "Kita-Ausbau",
    "Deutschlandticket",
    "Bahnstreik",
    "Hochwasserschutz",
    "Klimageld",
    "Lieferkettengesetz",
    "Cannabisgesetz",
    "Digitalpakt",
    "Pflegeversicherung",
    "Einwanderungsgesetz",
    "Koalitionsvertrag",
    "Haushaltsstreit",
    "Landtagswahl",
    "Bundeswehr-Sondervermögen",
    "Windkraftausbau",
    "Tarifrunde",
    "Inflationsprämie",
    "Solarpaket",
    "Heizungsgesetz",
    "Asylverfahren",
    "Brückensanierung",
    "Glasfaserausbau",
    "Impfpflicht",
    "Friedensgespräche",
    "Sanktionspaket",
    "Getreideabkommen",
    "Atomausstieg",
    "Wasserstoffnetz",
]
PLACES = [
    "Berlin",
    "Brüssel",
    "Paris",
    "Kiew",
    "Warschau",
    "München",
    "Hamburg",
    "Genf",
    "Washington",
    "Peking",
    "Rom",
    "Madrid",
    "Wien",
    "Prag",
    "Budapest",
    "Den-Haag",
    "Straßburg",
    "Dresden",
    "Köln",
    "Leipzig",
]
GROUPS = [
    "Mieter",
    "Rentner",
    "Pendler",
    "Familien",
    "Studierende",
    "Landwirte",
    "Kommunen",
    "Arbeitgeber",
    "Beschäftigte",
    "Verbraucher",
    "Kliniken",
    "Schulen",
    "Handwerksbetriebe",
    "Bundesländer",
]
# Every template names topic, place and group, so each pool number is its own question.
TEMPLATES = [
    "Was bedeutet die {topic} in {place} für {group}?",
    "Wie geht es bei der {topic} in {place} für {group} weiter?",
    "Was ist der derzeitige Stand bei der {topic} in {place} für {group}?",
    "Welche Rolle spielt {place} bei der {topic} für {group}?",
    "Wer zahlt in {place} am Ende die {topic} für {group}?",
    "Was sagen {group} in {place} zur {topic}?",
    "Warum streiten {group} in {place} über die {topic}?",
    "Wann kommt die {topic} in {place} für {group}?",
]
NOUNS = [
    "Regierung",
    "Opposition",
    "Ministerium",
    "Kommission",
    "Gericht",
    "Verband",
    "Gewerkschaft",
    "Studie",
    "Vorschlag",
    "Einigung",
    "Frist",
    "Gesetzentwurf",
    "Bundesrat",
    "Haushalt",
    "Milliarden",
    "Prognose",
    "Kritik",
    "Verhandlung",
    "Kompromiss",
    "Übergangsfrist",
    "Zuschuss",
    "Entlastung",
    "Belastung",
    "Mehrheit",
]
VERBS = [
    "verlangt",
    "prüft",
    "kritisiert",
    "plant",
    "verschiebt",
    "beschließt",
    "lehnt",
    "ab",
    "begrüßt",
    "fordert",
    "rechnet",
    "erwartet",
    "warnt",
]
ADJECTIVES = [
    "neue",
    "umstrittene",
    "geplante",
    "bisherige",
    "deutliche",
    "schwierige",
    "zusätzliche",
    "europäische",
    "kommunale",
    "vorläufige",
]


def question(rng: random.Random, number: int) -> str:
    topic = TOPICS[number % len(TOPICS)]
    template = TEMPLATES[(number // len(TOPICS)) % len(TEMPLATES)]
    variant = number // (len(TOPICS) * len(TEMPLATES))
    place = PLACES[variant % len(PLACES)]
    group = GROUPS[(variant // len(PLACES)) % len(GROUPS)]
    text = template.format(topic=topic, place=place, group=group)
    rounds = variant // (len(PLACES) * len(GROUPS))
    return text if not rounds else text[:-1] + f" im {rounds + 1}. Anlauf?"


def sentence(rng: random.Random) -> str:
    words = [
        "Die",
        rng.choice(ADJECTIVES),
        rng.choice(NOUNS),
        rng.choice(VERBS),
        "nach Angaben aus",
        rng.choice(PLACES),
        "eine",
        rng.choice(ADJECTIVES),
        rng.choice(NOUNS),
    ]
    if rng.random() < 0.4:
        words += ["für", rng.choice(GROUPS)]
    if rng.random() < 0.2:
        words += [
            f"bis zum {rng.randint(1, 28)}. {rng.choice(['Juli', 'März', 'Oktober'])}"
        ]
    return " ".join(words) + ("!" if rng.random() < 0.05 else ".")


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def article(rng: random.Random, day: date, numbers: list[int]) -> str:
    blocks = []
    for number in numbers:
        blocks.append(question(rng, number))
        blocks.extend(paragraph(rng) for _ in range(rng.randint(1, 3)))
    head, *rest = blocks
    return f" date {day.isoformat()} {head}\n\n" + "\n\n".join(rest) + "\n"


def generate(scale: str, out: Path) -> int:
    """Write the corpus of a scale into a folder; return the number of answers."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    if scale == "seeds":
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            shutil.copy2(seed, out / seed.name)
        return 5
    articles, per_article, pool = SCALES[scale]
    rng = random.Random(f"briefing-{scale}")
    start = date(2024, 1, 1)
    answers = 0
    for index in range(articles):
        day = start + timedelta(days=index * 1000 // articles)
        numbers = rng.sample(range(pool), per_article)
        folder = out / f"{index // 1000:04d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{index:07d}.txt").write_text(
            article(rng, day, numbers), encoding="utf-8"
        )
        answers += per_article
    return answers


def question_ids(scale: str) -> list[str]:
    """The ids of every question of a scale's pool (for the load generator)."""
    from service.keys import question_id, question_key
    from service.parsing import parse_article

    if scale == "seeds":
        return sorted(
            {
                record.question_id
                for seed in (ROOT / "seeds").glob("*.txt")
                for record in parse_article(seed.read_bytes(), source=seed.name).records
            }
        )
    _, _, pool = SCALES[scale]
    rng = random.Random(0)
    return [question_id(question_key(question(rng, number))) for number in range(pool)]


if __name__ == "__main__":
    count = generate(sys.argv[1], Path(sys.argv[2]))
    print(f"{sys.argv[1]}: {count} answers in {sys.argv[2]}")
