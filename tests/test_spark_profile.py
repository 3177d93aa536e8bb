"""The profile computed by Spark SQL from `spark_udf` output equals `speechtag profile`'s."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from toolkit.bulk import speeches_in
from toolkit.profile import profile_rows

from .conftest import HEALTH_DIR

UDF_COLUMNS = ("doc_id", "sent_id", "text", "label", "confidence")


def by_group(table: list[dict]) -> dict[str, dict]:
    return {row["group"]: {k: pytest.approx(v) if isinstance(v, float) else v
                           for k, v in row.items()} for row in table}


def test_spark_profile_equals_profile_rows(default_tagger):
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for Spark")
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    from toolkit.spark_profile import profile_spark

    speeches, _ = speeches_in([str(HEALTH_DIR)])
    rows = default_tagger.rows(speeches)
    # Years in some doc_ids, so that grouping by year has groups and an unknown one.
    for row in rows:
        if row["doc_id"].startswith(("000", "003")):
            row["doc_id"] = f"{row['doc_id'][:3]}-2019年"
    udf_rows = [{name: row[name] for name in UDF_COLUMNS} for row in rows]
    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (SparkSession.builder.master("local[2]").appName("speechtag-profile-test")
             .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
             .getOrCreate())
    try:
        frame = spark.createDataFrame(udf_rows).repartition(2, "doc_id")
        by_doc, by_year, by_label = (profile_spark(frame, by) for by in ("doc", "year", "label"))
    finally:
        spark.stop()
    assert len(by_doc) == 4 and sum(row["units"] for row in by_doc) == len(rows) > 600
    assert by_doc == sorted(by_doc, key=lambda row: row["group"])
    assert by_group(by_doc) == by_group(profile_rows(rows))
    assert [row["group"] for row in by_year] == ["2019", "(unknown)"]
    assert by_year == [by_group(profile_rows(rows, "year"))[g] for g in ("2019", "(unknown)")]
    assert by_group(by_label) == by_group(profile_rows(rows, "label"))
