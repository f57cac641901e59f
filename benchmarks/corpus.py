"""A deterministic synthetic corpus built from seeds/: ``python benchmarks/corpus.py --n 1000 --out DIR``.

Each article retells one of a fixed set of stories (so stories repeat across outlets,
as syndicated AI news does) in an outlet's words: seed paragraphs with the company,
model, agency, country and numbers swapped, plus template sentences that vary the event
status ("has imposed" / "is weighing" / "denied"...), the hedging ("reportedly", "may")
and the attribution ("according to Reuters", "Source: Financial Times"). The same
``--seed`` and ``--n`` always give the same files, byte for byte. A ``manifest.json``
gives each file an outlet, URL and date.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

COMPANIES = ["Anthropic", "OpenAI", "Google DeepMind", "Mistral AI", "Meta", "xAI", "Cohere",
             "Aleph Alpha", "DeepSeek", "Baidu", "Inflection", "Stability AI", "AI21 Labs", "Zhipu AI"]
MODELS = ["Claude", "GPT-5", "Gemini Ultra", "Mistral Large", "Llama 5", "Grok 4", "Command R",
          "Luminous", "DeepSeek-V4", "Ernie 5", "Fable 5", "Mythos 5"]
AGENCIES = ["the Commerce Department", "the European Commission", "the UK AI Safety Institute",
            "the Cyberspace Administration of China", "the Federal Trade Commission",
            "Japan's Ministry of Economy", "the Bundesnetzagentur", "India's MeitY"]
COUNTRIES = ["the United States", "China", "the European Union", "the United Kingdom", "India",
             "Japan", "Germany", "France", "Brazil", "South Korea", "Canada"]
OUTLETS = ["Reuters", "Bloomberg", "Financial Times", "The Verge", "TechCrunch", "Wired",
           "The Information", "Politico", "Nikkei Asia", "Le Monde", "Der Spiegel", "Axios",
           "AI Daily Brief", "Neural Wire", "ModelWatch", "Frontier Report"]
PEOPLE = ["Dario Amodei", "Sam Altman", "Gina Raimondo", "Margrethe Vestager", "Lina Khan",
          "Demis Hassabis", "Arthur Mensch", "a senior official", "an unnamed source", "Jensen Huang"]
ACTIONS = [  # (event phrase, status flavour)
    ("has imposed an export ban on {m}", "happened"), ("is weighing an export ban on {m}", "considered"),
    ("has blocked {m} in {k}", "happened"), ("may restrict access to {m}", "possible"),
    ("denied plans to ban {m}", "denied"), ("will review {m} next month", "planned"),
    ("fined {c} ${n} million over {m}", "happened"), ("reportedly ordered a halt to {m}", "reported"),
    ("has not yet decided on {m}", "undecided"), ("approved the release of {m}", "happened"),
]
TEMPLATES = [
    "{lead}{agency} {action}, {attr}.",
    "{attr_cap}, {agency} {action}.",
    "{person} said {agency} {action}.",
    "{c} said it {reaction} and that {pct}% of its revenue comes from {k}.",
    "The decision affects {n} companies and about {big} users, {attr}.",
    "{c} shares fell {pct}% on {day} after the report.",
    "Officials in {k} said they were \u201cclosely monitoring\u201d the {m} case.",
    "It is unclear whether {agency} {action}.",
    "{agency} did not respond to a request for comment.",
]
REACTIONS = ["would appeal the decision", "disputes the findings", "welcomed the review",
             "had complied with every rule", "was not informed in advance"]
LEADS = ["", "On {day}, ", "Earlier this week, ", "In a statement, ", "Late on {day}, "]
ATTRS = ["according to {o}", "{o} reported", "sources told {o}", "people familiar with the matter said",
         "officials said", "a spokesperson confirmed"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "May 4", "June 12", "last week"]
TAILS = ["Share this article", "Subscribe to our newsletter", "Read more: AI policy",
         "Source: {o}", "Related: {c} earnings preview"]


def _seed_paragraphs() -> list[str]:
    out = []
    for p in sorted(SEEDS.glob("*.txt")):
        for line in p.read_text(encoding="utf-8").splitlines():
            if len(line.split()) >= 25:
                out.append(line.strip())
    return out


_SWAP = re.compile(r"\b(Anthropic|OpenAI|Claude|Fable 5|Mythos 5|US|United States|China|Washington)\b")


def _swap(text: str, story: dict[str, str], rng: random.Random) -> str:
    table = {"Anthropic": story["c"], "OpenAI": story["c2"], "Claude": story["m"], "Fable 5": story["m"],
             "Mythos 5": story["m2"], "US": story["ks"], "United States": story["ks"], "China": story["k2"],
             "Washington": story["k"]}
    text = _SWAP.sub(lambda m: table[m.group(0)], text)
    return re.sub(r"\b\d+(\.\d+)?\b", lambda m: str(rng.randint(2, 95)), text)


def _story(rng: random.Random, i: int) -> dict[str, str]:
    c, c2 = rng.sample(COMPANIES, 2)
    m, m2 = rng.sample(MODELS, 2)
    k, k2 = rng.sample(COUNTRIES, 2)
    action, status = ACTIONS[i % len(ACTIONS)]
    return {"c": c, "c2": c2, "m": m, "m2": m2, "k": k, "k2": k2, "ks": k.removeprefix("the "),
            "agency": rng.choice(AGENCIES), "action": action, "status": status,
            "n": str(rng.randint(2, 900))}


def _sentence(rng: random.Random, story: dict[str, str], outlet: str) -> str:
    f = dict(story)
    f.update(o=rng.choice([o for o in OUTLETS if o != outlet]), person=rng.choice(PEOPLE),
             reaction=rng.choice(REACTIONS), pct=str(rng.randint(1, 60)), day=rng.choice(DAYS),
             big=f"{rng.randint(1, 900)},000", n=str(rng.randint(2, 900)))
    # one outlet in five changes the event status of the story: conflicts to find
    action = story["action"] if rng.random() > 0.2 else rng.choice(ACTIONS)[0]
    f["action"] = action.format(**f)
    f["lead"] = rng.choice(LEADS).format(**f)
    attr = rng.choice(ATTRS).format(**f)
    f["attr"], f["attr_cap"] = attr, attr[0].upper() + attr[1:]
    return rng.choice(TEMPLATES).format(**f)


def article(rng: random.Random, story: dict[str, str], outlet: str, paragraphs: list[str]) -> str:
    agency = story["agency"].removeprefix("the ")
    title = f"{agency[0].upper()}{agency[1:]} and {story['c']}: {story['m']} in focus"
    body: list[str] = []
    for _ in range(rng.randint(4, 9)):
        sentences = [_sentence(rng, story, outlet) for _ in range(rng.randint(2, 5))]
        if rng.random() < 0.6:
            sentences.insert(rng.randint(0, len(sentences)), _swap(rng.choice(paragraphs), story, rng))
        body.append(" ".join(sentences))
    tail = [t.format(o=rng.choice(OUTLETS), c=story["c"]) for t in rng.sample(TAILS, rng.randint(0, 3))]
    return "\n".join([title, *body, *tail]) + "\n"


def generate(n: int, out: Path, seed: int = 8, publishers: bool = True) -> list[Path]:
    """Write ``n`` articles (and manifest.json) into ``out``; returns the article paths.

    ``publishers=False`` leaves the publisher out of the manifest (URL and date stay), so
    no article is linked to the outlets other articles cite."""
    rng = random.Random(seed)
    paragraphs = _seed_paragraphs()
    stories = [_story(rng, i) for i in range(max(3, n // 8))]  # about 8 outlets retell each story
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, str]] = {}
    paths = []
    for i in range(n):
        story = stories[rng.randrange(len(stories))]
        outlet = rng.choice(OUTLETS)
        name = f"{i:06d}.txt"
        (out / name).write_text(article(rng, story, outlet, paragraphs), encoding="utf-8")
        slug = re.sub(r"\W+", "-", outlet.lower()).strip("-")
        manifest[name] = {"url": f"https://{slug}.example/ai/{i:06d}",
                          "published": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"}
        if publishers:
            manifest[name]["publisher"] = outlet
        paths.append(out / name)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="number of articles")
    ap.add_argument("--out", type=Path, required=True, help="folder to write")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--no-publishers", action="store_true", help="leave publishers out of the manifest")
    args = ap.parse_args()
    paths = generate(args.n, args.out, args.seed, publishers=not args.no_publishers)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"{len(paths)} articles, {words} words -> {args.out}")


if __name__ == "__main__":
    main()
