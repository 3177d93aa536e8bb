"""The notebooks run from top to bottom against the current toolkit."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from toolkit.paths import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# Set after a notebook's cell tagged "parameters": those that read the whole corpus run on
# their small sample here (well under a minute), whether or not ../shared/corpus is present.
TEST_PARAMETERS = {"3.0-corpus-trends.ipynb": "SAMPLE = True"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(path):
    notebook = nbformat.read(path, as_version=4)
    if path.name in TEST_PARAMETERS:
        cell = next(i for i, cell in enumerate(notebook.cells)
                    if "parameters" in cell.metadata.get("tags", []))
        notebook.cells.insert(cell + 1, nbformat.v4.new_code_cell(TEST_PARAMETERS[path.name]))
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code"
               for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any(o.output_type == "display_data" and "image/png" in o.data for o in outputs)
