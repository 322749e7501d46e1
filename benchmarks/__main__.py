"""`python -m benchmarks [--sizes 100k,1m] [--repeat N] [--smoke] [--out FILE]`."""

from benchmarks.run import main

raise SystemExit(main())
