"""From search hits to the few lines of context a role's prompt can afford.

``Recall`` (in ``recall.py``) decides what to search; this module decides what
of it goes into the prompt.

Retrieval is only useful if it adds something: hits the prompt already holds
(the PRD slice, a dependency's interface) and near-copies of each other are
dropped, then the best remaining hits are packed greedily within a token
budget, each under its source tag so the model (and a reader of the prompt)
can tell where it came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from softco.memory.models import Hit

_PIECE = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"\w+")
SHINGLE = 5
#: Share of a hit's word shingles already present for it to count as a copy.
CONTAINED = 0.8
#: Word-set Jaccard above which two hits are near-duplicates.
NEAR_DUPLICATE = 0.85


def estimate_tokens(text: str) -> int:
    """A conservative token count without the LLM's tokenizer.

    BPE tokenizers spend about four characters per token on prose but nearly
    one token per symbol on code; the larger of the two estimates errs on the
    side of fitting the window.
    """
    pieces = _PIECE.findall(text)
    by_pieces = sum(1 + len(p) // 8 for p in pieces)
    return max(len(text) // 4, by_pieces)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _contained(words: list[str], prompt_words: list[str], prompt_shingles: set) -> bool:
    if not words:
        return True
    if len(words) < SHINGLE:
        return f" {' '.join(words)} " in f" {' '.join(prompt_words)} "
    own = _shingles(words)
    return len(own & prompt_shingles) >= CONTAINED * len(own)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def render(hit: Hit) -> str:
    """One hit as a prompt block: its source tag, then its text."""
    return f"{hit.source}\n{hit.text.strip()}"


def select(hits: Sequence[Hit], token_budget: int, already_in_prompt: str = "") -> list[Hit]:
    """The hits ``pack`` would use, best score first."""
    if token_budget <= 0:
        return []
    prompt_words = _words(already_in_prompt)
    prompt_shingles = _shingles(prompt_words)
    chosen: list[Hit] = []
    chosen_sets: list[set[str]] = []
    left = token_budget
    for hit in sorted(hits, key=lambda h: h.score, reverse=True):
        words = _words(hit.text)
        if _contained(words, prompt_words, prompt_shingles):
            continue
        word_set = set(words)
        if any(_jaccard(word_set, seen) >= NEAR_DUPLICATE for seen in chosen_sets):
            continue
        cost = estimate_tokens(render(hit)) + 1
        if cost > left:
            continue
        chosen.append(hit)
        chosen_sets.append(word_set)
        left -= cost
    return chosen


def pack(hits: Sequence[Hit], token_budget: int, already_in_prompt: str = "") -> str:
    """Best hits that fit ``token_budget`` and are new to the prompt; "" if none."""
    return "\n\n".join(render(h) for h in select(hits, token_budget, already_in_prompt))
