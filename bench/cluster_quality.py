"""Pairwise precision and recall of grouping copies of one story, over the composed corpus.

Usage:

    .venv/bin/python bench/cluster_quality.py [--seed N] [--misses]

Stories of ``bench/cluster_corpus.py`` are grouped in the order they were
published, each against those before it, as on import (``grouping.MemoryIndex``
makes the same band-key lookup as the database's table, and counts
boilerplate by passage as the database does). The counts of boilerplate
passages start from another draw of the corpus, as a running site's start
from the stories of the window before an import. A pair of stories is
a true positive when both the corpus and grouping put them together; precision
is the share of the pairs grouping puts together that are copies, recall the
share of the copies' pairs that grouping puts together. Prints the thresholds,
the figures, how the hard negatives fared, and the time per story.
Target: precision at least 0.99, recall at least 0.95.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cluster_corpus import corpus  # noqa: E402

from articles import grouping  # noqa: E402


def pairs(groups: dict[object, list[str]]) -> set[tuple[str, str]]:
    """Every unordered pair of keys that share a group."""
    return {
        tuple(sorted(pair))
        for members in groups.values()
        for pair in itertools.combinations(members, 2)
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--misses", action="store_true", help="print every wrong pair")
    arguments = parser.parse_args()

    stories, negatives = corpus(arguments.seed)
    index = grouping.MemoryIndex()
    # On a running site the counts of boilerplate come from the window's stories
    # before the import; here, from another draw of the corpus (the week before).
    warm_up, _ = corpus(arguments.seed + 1000)
    first_of_group = {story.group: story for story in reversed(warm_up)}
    for story in first_of_group.values():
        index.counts.add_group(grouping.fingerprint(story.paragraphs))
    started = time.perf_counter()
    fingerprint_time = 0.0
    for story in stories:
        before = time.perf_counter()
        found = grouping.fingerprint(story.paragraphs)
        fingerprint_time += time.perf_counter() - before
        index.add(story.key, found)
    elapsed = time.perf_counter() - started

    truth, predicted = defaultdict(list), defaultdict(list)
    for story in stories:
        truth[story.group].append(story.key)
        predicted[index.group_of[story.key]].append(story.key)
    expected, found = pairs(truth), pairs(predicted)
    right = expected & found
    precision = len(right) / len(found) if found else 1.0
    recall = len(right) / len(expected) if expected else 1.0
    merged_negatives = [
        pair for pair in negatives if index.group_of[pair[0]] == index.group_of[pair[1]]
    ]
    copy_groups = sum(1 for members in truth.values() if len(members) > 1)

    print(
        f"corpus: {len(stories)} stories, {copy_groups} groups of copies, "
        f"{len(negatives)} hard-negative pairs (seed {arguments.seed})"
    )
    print(
        f"thresholds: {grouping.SHINGLE_WORDS}-word shingles, paragraphs of at least "
        f"{grouping.MIN_PARAGRAPH_WORDS} words, containment >= {grouping.MIN_CONTAINMENT}, "
        f"lead ({grouping.LEAD_SHINGLES} shingles) >= {grouping.MIN_LEAD_CONTAINMENT}, "
        f"at least {grouping.MIN_SHARED} shared shingles, boilerplate: the shingles of a "
        f"paragraph in {grouping.COMMON_GROUPS} groups or more"
    )
    print(
        f"candidates: MinHash of {grouping.NUM_PERM} permutations, {grouping.BANDS} bands of "
        f"{grouping.ROWS} over the body and {grouping.LEAD_BANDS} over the opening; "
        f"a candidate shares {grouping.MIN_SHARED_BANDS} band keys or more"
    )
    print(f"pairs: {len(expected)} expected, {len(found)} found, {len(right)} right")
    print(f"precision: {precision:.4f}  recall: {recall:.4f}")
    print(f"hard negatives grouped: {len(merged_negatives)} of {len(negatives)}")
    print(f"candidates per story: {index.checked / len(stories):.1f}")
    print(
        f"time per story: {elapsed / len(stories) * 1000:.3f} ms "
        f"(fingerprint {fingerprint_time / len(stories) * 1000:.3f} ms)"
    )
    if arguments.misses or (found ^ expected and len(found ^ expected) <= 20):
        by_key = {story.key: story for story in stories}
        for kind, wrong in (("missed", expected - found), ("wrong", found - expected)):
            for a, b in sorted(wrong):
                found_similarity = grouping.similarity(
                    grouping.fingerprint(by_key[a].paragraphs),
                    grouping.fingerprint(by_key[b].paragraphs),
                )
                print(
                    f"{kind}: {a} {b} containment {found_similarity.containment:.2f} "
                    f"lead {found_similarity.lead:.2f}"
                )
    return 0 if precision >= 0.99 and recall >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
