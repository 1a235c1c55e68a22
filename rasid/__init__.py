"""Rasid (راصد): a streaming monitor for Arabic news."""

import os as _os

# The NLP multiplies small per-article matrices: BLAS threads only spin and fight the stages for the
# cores (measured: 65 ms of CPU per article with threaded OpenBLAS, 11 ms single-threaded). Scale out
# with processes instead. Set before numpy is first imported; a value the user set is kept.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_variable, "1")

__version__ = "0.1.0"
