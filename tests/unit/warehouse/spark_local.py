"""A local-mode Spark for the tests (the warehouse unit tests and the app's AppTest).

Two cores and two shuffle partitions: the test data is small. SparkEngine and
the loader take a new session of this one's context, as they would of a
notebook's; `spark+local://` URLs then run on it.
"""

from __future__ import annotations

import importlib.util
import shutil
from typing import Any

CONF = {"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2",
        "spark.ui.enabled": "false"}


def missing_reason() -> str | None:
    """Why Spark cannot run here (a test then skips saying so), or None."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install -r requirements-spark.txt)"
    if shutil.which("java") is None:
        return "no Java on the PATH: Spark needs Java 17 (apt-get install openjdk-17-jre)"
    return None


def start() -> Any:
    """The process's local-mode SparkSession (the one running, if a test started it)."""
    from kpi.warehouse.spark import session

    return session("local[2]", CONF)
