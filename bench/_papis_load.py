"""Write a papis library from a BibTeX file; run with the Python of papis's own venv.

Used by bench/compare_tools.py instead of ``papis bibtex read FILE import --all``, which adds
documents one at a time (133 s for 600 papers). Each entry becomes a folder with the
``info.yaml`` that import writes, made by papis's own BibTeX reader and YAML writer; the
papis id is set here so that papis's first indexing need not write every file back.

Usage: python _papis_load.py PAPERS.bib LIBRARY_DIR
"""

import os
import sys

import papis.bibtex
import papis.document
import papis.yaml


def main() -> int:
    bib, library = sys.argv[1], sys.argv[2]
    for i, entry in enumerate(papis.bibtex.bibtex_to_dict(bib)):
        data = dict(papis.document.from_data(entry))
        data["papis_id"] = f"{i:032x}"
        folder = os.path.join(library, f"{i:05d}")
        os.makedirs(folder)
        papis.yaml.data_to_yaml(os.path.join(folder, "info.yaml"), data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
