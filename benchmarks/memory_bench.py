"""Memory benchmark: embedding throughput, query latency at 10k items, retrieval quality.

Run: ``python benchmarks/memory_bench.py [--items 10000] [--queries 200]``.
Prints a markdown table and writes ``benchmarks/results/memory.json``.

Retrieval quality compares the vector memory with a BM25 keyword baseline on a
hand-labelled set (``memory_corpus.py``): natural-language questions about a
small repository chunked by symbol, recall@5 = share of questions whose answer
chunk is in the top five.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory_corpus import QUERIES, REPO

from softco.memory import MemoryItem, code_items
from softco.memory.chroma import ChromaMemory
from softco.memory.embedder import embed_array

RESULTS = Path(__file__).resolve().parent / "results" / "memory.json"
WORDS = [
    "parse",
    "render",
    "cache",
    "retry",
    "queue",
    "token",
    "user",
    "order",
    "invoice",
    "stock",
    "price",
    "report",
    "schema",
    "migrate",
    "export",
    "import",
    "session",
    "login",
    "email",
    "upload",
    "thumbnail",
    "search",
    "index",
]


def _sentence(rng: random.Random, n_words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


def throughput(rng: random.Random) -> dict[str, float]:
    """Texts per second, best of three rounds, after a warm-up."""
    embed_array(["warm up"])
    out = {}
    for label, n_words, count in (("short_10tok", 8, 512), ("long_200tok", 170, 64)):
        texts = [_sentence(rng, n_words) for _ in range(count)]
        best = math.inf
        for _ in range(3):
            start = time.perf_counter()
            embed_array(texts)
            best = min(best, time.perf_counter() - start)
        out[f"embed_per_s_{label}"] = round(count / best, 1)
    return out


def latency(rng: random.Random, n_items: int, n_queries: int, path: Path) -> dict[str, float]:
    """Build a store of ``n_items`` short notes, then time end-to-end searches."""
    mem = ChromaMemory.open("bench", path=path)
    start = time.perf_counter()
    batch = 1000
    for offset in range(0, n_items, batch):
        items = [
            MemoryItem(text=f"{_sentence(rng, 12)} #{i}", kind=rng.choice(["code", "lesson"]))
            for i in range(offset, min(n_items, offset + batch))
        ]
        mem.add(items)
        print(f"  built {mem.count()}/{n_items} items", file=sys.stderr, flush=True)
    build_s = time.perf_counter() - start
    times = []
    for _ in range(n_queries):
        query = _sentence(rng, 6)
        t0 = time.perf_counter()
        mem.search(query, k=5)
        times.append((time.perf_counter() - t0) * 1000)
    filtered = []
    for _ in range(n_queries // 4):
        t0 = time.perf_counter()
        mem.search(_sentence(rng, 6), k=5, where={"kind": "lesson"})
        filtered.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "items": mem.count(),
        "build_s": round(build_s, 1),
        "query_ms_median": round(statistics.median(times), 2),
        "query_ms_p95": round(times[int(0.95 * (len(times) - 1))], 2),
        "filtered_query_ms_median": round(statistics.median(filtered), 2),
    }


def _terms(text: str) -> list[str]:
    """Lower-cased words, identifiers split on ``_`` and camelCase."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return [t.lower() for t in re.findall(r"[A-Za-z]+|\d+", spaced) if len(t) > 1]


class BM25:
    """Okapi BM25 (k1=1.5, b=0.75): the keyword-only baseline."""

    def __init__(self, docs: dict[str, str], k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.tf = {key: Counter(_terms(text)) for key, text in docs.items()}
        self.len = {key: sum(tf.values()) for key, tf in self.tf.items()}
        self.avg = sum(self.len.values()) / max(1, len(self.len))
        df = Counter(t for tf in self.tf.values() for t in tf)
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def top(self, query: str, k: int) -> list[str]:
        scores = {}
        for key, tf in self.tf.items():
            norm = self.k1 * (1 - self.b + self.b * self.len[key] / self.avg)
            scores[key] = sum(
                self.idf.get(t, 0.0) * tf[t] * (self.k1 + 1) / (tf[t] + norm)
                for t in _terms(query)
                if t in tf
            )
        return sorted(scores, key=lambda key: -scores[key])[:k]


def quality(path: Path, k: int = 5) -> dict[str, float]:
    """recall@k and MRR of vector search vs BM25 on the labelled queries."""
    items = [item for file, src in REPO.items() for item in code_items(file, src)]
    chunk_id = {item.key: f"{item.file}::{item.symbol}" for item in items}
    mem = ChromaMemory.open("quality", path=path)
    mem.add(items)
    bm25 = BM25({chunk_id[i.key]: i.text for i in items})
    scores: dict[str, list[float]] = {"vector": [], "bm25": []}
    ranks: dict[str, list[float]] = {"vector": [], "bm25": []}
    for query, relevant in QUERIES:
        ranked = {
            "vector": [chunk_id[h.id] for h in mem.search(query, k)],
            "bm25": bm25.top(query, k),
        }
        for name, found in ranked.items():
            scores[name].append(len(relevant & set(found)) / len(relevant))
            first = next((i for i, c in enumerate(found, 1) if c in relevant), None)
            ranks[name].append(1 / first if first else 0.0)
    out: dict[str, float] = {"chunks": len(items), "queries": len(QUERIES)}
    for name in scores:
        out[f"{name}_recall@{k}"] = round(statistics.mean(scores[name]), 3)
        out[f"{name}_mrr@{k}"] = round(statistics.mean(ranks[name]), 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    results: dict[str, object] = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cpus",
        "python": platform.python_version(),
    }
    with tempfile.TemporaryDirectory(prefix="softco-membench-") as tmp:
        print("embedding throughput...", file=sys.stderr)
        results.update(throughput(rng))
        print("retrieval quality...", file=sys.stderr)
        results.update(quality(Path(tmp) / "quality"))
        print(f"query latency at {args.items} items...", file=sys.stderr)
        results.update(latency(rng, args.items, args.queries, Path(tmp) / "latency"))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("| metric | value |\n|---|---|")
    for key, value in results.items():
        print(f"| {key} | {value} |")
    print(f"\nwritten to {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
