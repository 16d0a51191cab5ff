"""``python -m reckon``: the CLI without the ``reckon`` script.

Why: ``spark-submit`` runs a Python *file*, not a console script, so on a cluster reckon is
started as ``spark-submit [options] $(python -c 'import reckon.__main__ as m; print(m.__file__)')
link --backend spark ...`` (docs/spark.md).
"""

import os
import sys

# Run as a file (spark-submit .../reckon/__main__.py), Python puts the package's own folder
# first on the path, where reckon's sub-packages would shadow top-level modules of the same
# name; reckon is imported from its installed location instead.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

from reckon.cli.main import main  # noqa: E402

if __name__ == "__main__":
    main()
