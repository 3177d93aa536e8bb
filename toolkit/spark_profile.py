"""The profile of `speechtag profile`, computed by Spark SQL from `spark_udf` output.

Spark sums the counts per group where the units are; the few rows that come back are
finished by :func:`toolkit.profile.table_row`, so both paths share one definition of
every column.
"""

from __future__ import annotations

from toolkit.errors import InputError
from toolkit.labels import LABELS
from toolkit.profile import UNKNOWN, YEAR, group_order, table_row


def profile_spark(df, by: str = "doc") -> list[dict]:
    """The profile table of a DataFrame with ``doc_id``, ``text``, ``label`` and
    ``confidence`` (the columns `spark_udf` gives), one row per group in group order.

    ``by`` is ``doc``, ``year`` (a column, else the year in ``doc_id``) or a column.
    """
    from pyspark.sql import functions as F

    if by == "doc":
        group = F.col("doc_id")
    elif by in df.columns:
        group = F.col(by)
    elif by == "year":
        group = F.regexp_extract("doc_id", YEAR.pattern, 1)
    else:
        raise InputError("by", f"doc, year or a column ({', '.join(df.columns)})", repr(by),
                         "Pick one of those.")
    group = group.cast("string")
    group = F.when(group.isNull() | (group == ""), F.lit(UNKNOWN)).otherwise(group)
    length = F.length("text")
    sums = []
    for label in LABELS:
        sums.append(F.sum(F.when(F.col("label") == label, 1).otherwise(0)).alias(f"u_{label}"))
    for label in LABELS:
        sums.append(F.sum(F.when(F.col("label") == label, length).otherwise(0))
                    .alias(f"c_{label}"))
    sums += [F.sum("confidence").alias("conf_sum"), F.count("confidence").alias("conf_n")]
    rows = df.groupBy(group.alias("group")).agg(*sums).collect()
    return [table_row(row["group"], [row[i] or 0 for i in range(1, len(row))])
            for row in sorted(rows, key=lambda row: group_order(row["group"]))]
