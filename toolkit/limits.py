"""Every limit that keeps one input from taking the machine, in one place.

The README's "Limits" section states these values and the tests check them; change
them here and there together.
"""

from __future__ import annotations

# Bytes read from any one file or stdin: a speech, a JSONL of units, an export, a TOML
# config. The longest real speeches are under 1 MB.
MAX_FILE_BYTES = 16 * 1024 * 1024
# Lines of one file's text (a .docx paragraph is a line): real speeches have a few hundred.
MAX_LINES = 200_000
# Units of one speech, and characters of one unit, as the splitter makes them.
MAX_UNITS = 100_000
MAX_UNIT_CHARS = 20_000

# A .docx is a zip: what it inflates to is bounded before any XML is parsed, by the sizes
# the archive declares and again while inflating, since declared sizes can lie.
MAX_DOCX_PART_BYTES = 32 * 1024 * 1024
MAX_DOCX_TOTAL_BYTES = 48 * 1024 * 1024
MAX_DOCX_ENTRIES = 1_000
MAX_DOCX_PARAGRAPHS = MAX_LINES

# Peak resident memory of `speechtag tag` on any single input within the limits above
# (model included); tests/test_bounds.py measures the worst cases.
MAX_RSS_BYTES = 2 * 1024 * 1024 * 1024

# Processes of `speechtag tag --jobs`.
MAX_JOBS = 64

# HTTP (`speechtag serve`).
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_REQUEST_UNITS = 20_000
# A client must send a request's headers within this time of connecting (or of its
# first byte on a kept-alive connection), and its body within BODY_TIMEOUT_SECONDS.
HEADER_TIMEOUT_SECONDS = 10.0
BODY_TIMEOUT_SECONDS = 10.0
# A kept-alive connection that sends nothing is closed after this long.
IDLE_TIMEOUT_SECONDS = 5
# Connections and requests at once; more are answered 503 at once.
MAX_CONNECTIONS = 256
