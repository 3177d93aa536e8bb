"""``speechtag suggest``: the unlabelled units most worth labelling next."""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from toolkit.active import suggest
from toolkit.annotation import tasks_for
from toolkit.bulk import expand_inputs
from toolkit.cli.common import readable_speeches, warn_if_trained_on, workspace
from toolkit.errors import InputError
from toolkit.outputs import claimed, write_text
from toolkit.tag import Tagger


def run(args: argparse.Namespace) -> int:
    if args.n < 1:
        raise InputError("-n", "a number of units ≥ 1", str(args.n), "Use -n 50, say.")
    if not 0 <= args.spread <= 1:
        raise InputError("--spread", "a number from 0 to 1", str(args.spread),
                         "Use --spread 0.5 (1 = pure uncertainty).")
    sources = expand_inputs(args.pool)
    with claimed(args.output, sources) as out:
        return _suggest(args, sources, out)


def _suggest(args: argparse.Namespace, sources: list[str], out) -> int:
    tagger = Tagger.load(args.model, workspace(args).root)
    warn_if_trained_on(tagger, sources, "the pool")
    speeches, skipped = readable_speeches(sources)
    tagged = tagger.tag_speeches(speeches, explain=False)
    probabilities = [np.array([[unit.probabilities[label] for label in tagger.labels]
                               for unit in speech]) for speech in tagged]
    chosen = suggest(speeches, probabilities, args.n, args.spread)
    if out:
        tasks = tasks_for(speeches, tagged, tagger.name)
        offsets = [0]
        for speech in speeches:
            offsets.append(offsets[-1] + len(speech))
        picked = [tasks[offsets[s] + u] for s, u, _, _ in chosen]
        write_text(out, json.dumps(picked, ensure_ascii=False, indent=1))
        print(f"speechtag: wrote {len(picked)} tasks to {args.output}", file=sys.stderr)
        return 1 if skipped else 0
    print("priority\tuncertainty\tpredicted\tdoc_id\tsent_id\ttext")
    for s, u, uncertainty, priority in chosen:
        unit = tagged[s][u]
        print(f"{priority:.3f}\t{uncertainty:.3f}\t{unit.label}\t{unit.doc_id}\t"
              f"{unit.sent_id}\t{unit.text}")
    return 1 if skipped else 0
