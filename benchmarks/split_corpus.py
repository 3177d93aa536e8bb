"""Read, clean and split every file of ../shared/corpus and ../shared/speeches; print figures.

    python benchmarks/split_corpus.py [DIR ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from toolkit.paths import CORPUS_DIR
from toolkit.read import read_document
from toolkit.speech import speeches_from_text


def main(directories: list[Path]) -> int:
    files = [path for directory in directories for path in sorted(directory.rglob("*.txt"))]
    if not files:
        print(f"no .txt files under {', '.join(map(str, directories))}; nothing to measure")
        return 0
    started = time.perf_counter()
    chars_in = chars_removed = units = failed = 0
    for path in files:
        try:
            document = read_document(path)
            speeches = speeches_from_text(document.text, path.stem, str(path))
        except ValueError as exc:
            failed += 1
            print(f"failed: {exc}", file=sys.stderr)
            continue
        chars_in += len(document.text)
        chars_removed += sum(len(r.text) for r in speeches[0].removed)
        units += sum(len(speech.units) for speech in speeches)
    seconds = time.perf_counter() - started
    print(f"files: {len(files)}  failed: {failed}  units: {units}  characters: {chars_in}  "
          f"characters removed: {chars_removed}  seconds: {seconds:.2f}  "
          f"({chars_in / seconds / 1e6:.2f} M characters/s)")
    return 1 if failed else 0


if __name__ == "__main__":
    arguments = [Path(a) for a in sys.argv[1:]] or [CORPUS_DIR, CORPUS_DIR.parent / "speeches"]
    sys.exit(main([d for d in arguments if d.is_dir()]))
