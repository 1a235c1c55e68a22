"""Keyword-rule matching cost: 1,000 generated rules against 1 rule, over real articles.

Rules are built from the vocabulary of the ANT corpus sample
(/work/shared/data/news/ant-articles.jsonl): terms, phrases, prefixes, AND/OR/NOT
and NEAR/n in the mix analysts write. The cost is per article, for the whole
engine (analysis once per article, Aho-Corasick prefilter, full evaluation of
the candidate rules, alert records); analysis alone is printed beside it.
Times are CPU time of the process (best of three), since the machine is shared.

    nice -n 10 .venv/bin/python bench/rules.py [--articles 1000] [--rules 1000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from rasid.nlp.analyzer import analyze
from rasid.records import EnrichedArticle
from rasid.rules.analysed import AnalysedArticle
from rasid.rules.engine import RuleEngine
from rasid.rules.loader import build_rule
from rasid.rules.spec import KeywordRuleSpec

ANT = Path("/work/shared/data/news/ant-articles.jsonl")
NOW = datetime(2018, 9, 1, tzinfo=timezone.utc)


def load_articles(limit: int) -> list[EnrichedArticle]:
    out = []
    with ANT.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out.append(EnrichedArticle(
                id=hashlib.sha256(row["url"].encode()).hexdigest()[:32], url=row["url"], canonical_url=row["url"],
                feed_url=f"https://{row['source']}.example/rss", source=row["source"], title=row["title"],
                summary=row.get("summary") or "", content=row.get("text") or "", published_at=NOW,
                fetched_at=NOW, nlp_version="bench", enriched_at=NOW))
            if len(out) >= limit:
                break
    return out


def vocabulary(articles: list[EnrichedArticle]) -> tuple[list[str], list[str]]:
    """Content words (by document frequency, mid-range) and real two-word phrases."""
    df: Counter[str] = Counter()
    phrases: Counter[str] = Counter()
    for article in articles:
        tokens = [t for t in analyze(article.content) if len(t.text) >= 3 and t.text.isalpha()]
        df.update({t.text for t in tokens})
        phrases.update(f"{a.text} {b.text}" for a, b in zip(tokens, tokens[1:]) if b.position == a.position + 1)
    # Sorted explicitly: Counter ties follow set order, which changes with PYTHONHASHSEED.
    words = [w for w, n in sorted(df.items(), key=lambda x: (-x[1], x[0])) if 3 <= n <= len(articles) // 4]
    top = sorted(phrases.items(), key=lambda x: (-x[1], x[0]))[:3000]
    return words, [p for p, n in top if n >= 3]


def generate_queries(words: list[str], phrases: list[str], n: int, rng: random.Random) -> list[str]:
    shapes = [
        lambda: rng.choice(words),
        lambda: f"{rng.choice(words)} AND {rng.choice(words)}",
        lambda: f'"{rng.choice(phrases)}"',
        lambda: f"({rng.choice(words)} OR {rng.choice(words)}) AND {rng.choice(words)}",
        lambda: f"{rng.choice(words)} NEAR/5 {rng.choice(words)}",
        lambda: f"{rng.choice(words)[:4]}* AND {rng.choice(words)}",
        lambda: f'{rng.choice(words)} AND NOT "{rng.choice(phrases)}"',
        lambda: f"{rng.choice(words)} OR {rng.choice(words)} OR {rng.choice(words)}",
    ]
    return [rng.choice(shapes)() for _ in range(n)]


def engine_for(queries: list[str]) -> RuleEngine:
    rules = []
    for i, query in enumerate(queries):
        spec = KeywordRuleSpec(name=f"bench {i}", id=f"bench-{i}", type="keyword", query=query, realert="0m")
        rules.append(build_rule(spec))
    return RuleEngine(rules=rules)


def ms_per_article(engine: RuleEngine, articles: list[EnrichedArticle], repeat: int = 3) -> tuple[float, int]:
    """Best of `repeat` runs, in CPU time of this process: the machine is shared, and time spent
    waiting for a core is not matching cost."""
    best = float("inf")
    alerts = 0
    for _ in range(repeat):
        engine.store.clear()
        alerts = 0
        start = time.process_time()
        for article in articles:
            alerts += len(engine.evaluate(article, NOW))
        best = min(best, (time.process_time() - start) * 1000 / len(articles))
    return best, alerts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rules", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(20180901)
    articles = load_articles(args.articles)
    words, phrases = vocabulary(articles)
    queries = generate_queries(words, phrases, args.rules, rng)
    chars = statistics.mean(len(a.title) + len(a.summary) + len(a.content) for a in articles)
    print(f"{len(articles)} ANT articles, {chars:.0f} characters on average; "
          f"vocabulary {len(words)} words, {len(phrases)} phrases")

    many = engine_for(queries)
    one = engine_for(queries[:1])
    for engine in (many, one):  # warm the analyzer's word caches equally, as a running stream has them
        ms_per_article(engine, articles, repeat=1)
    analyse_ms = float("inf")
    for _ in range(3):
        start = time.process_time()
        for article in articles:
            AnalysedArticle.of(article)
        analyse_ms = min(analyse_ms, (time.process_time() - start) * 1000 / len(articles))
    one_ms, one_alerts = ms_per_article(one, articles)
    many_ms, many_alerts = ms_per_article(many, articles)
    candidates = statistics.mean(len(many._prefilter.candidates(AnalysedArticle.of(a))) for a in articles[:200])
    print(f"CPU time, best of 3 — analysis alone: {analyse_ms:.3f} ms/article")
    print(f"1 rule:      {one_ms:.3f} ms/article ({one_alerts} alerts)")
    print(f"{len(queries)} rules: {many_ms:.3f} ms/article ({many_alerts} alerts; "
          f"{candidates:.1f} candidate rules/article after the Aho-Corasick prefilter, "
          f"{many._prefilter.patterns} patterns)")
    print(json.dumps({"rules": len(queries), "ms_per_article": round(many_ms, 3),
                      "ms_per_article_1_rule": round(one_ms, 3), "analysis_ms_per_article": round(analyse_ms, 3),
                      "articles": len(articles), "alerts": many_alerts}))


if __name__ == "__main__":
    main()
