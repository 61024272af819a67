"""The matching model: probabilistic record linkage (Fellegi–Sunter) with Splink.

Each candidate pair of records is compared field by field; each field's level of
agreement carries a match weight log2(m/u), where m is the chance of that level
among true matches and u among non-matches. The weights add up to the pair's match
weight, turned into a probability with the prior (the chance that two random records
match). u is estimated by random sampling, m by expectation–maximisation over pairs
found by blocking rules, the prior from near-certain rules — all on the data given,
with no labels. The same model runs on DuckDB (default, in process) and on Apache
Spark (``backend="spark"``; ``SPARK_MASTER`` or ``local[*]``).

Fields (see ``records.features_of``):
- surname key — null when either is Japanese-style (창씨명): no match, no veto;
- given-name key — exact, close (Jaro–Winkler ≥ 0.92, ≥ 0.80), else;
- birth date — as written; same day by calendar conversion (lunar ↔ solar); day and
  month swapped or one digit off; agreeing at the precision of a partial date; same
  year; a year apart; else;
- sex; hometown and employer at the finest level both records have (county or site,
  else province or company).

Public API for callers (a review queue, the ``match`` command):
``dedupe_records(records, *, backend="duckdb", threshold=DEFAULT_THRESHOLD) -> list[Pair]``
``link_records(left, right, *, backend="duckdb", threshold=DEFAULT_THRESHOLD) -> list[Pair]``
This module imports nothing from Django.
"""

from __future__ import annotations

import copy
import logging
import math
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
import splink.comparison_level_library as cll
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.comparison_library import CustomComparison

from baesang.identity.records import PersonRecord, features_of, validate_records

__all__ = [
    "BACKENDS",
    "COMPARISON_NAMES",
    "DEFAULT_THRESHOLD",
    "ERR_BACKEND",
    "MatchError",
    "Pair",
    "consistent_pairs",
    "dedupe_records",
    "dominant_pairs",
    "link_records",
    "model_settings",
]

# Chosen on generated data (docs/identity.md, "Threshold"): F1 of both commands is flat from 0.5 to 0.8.
DEFAULT_THRESHOLD = 0.7
BACKENDS = ("duckdb", "spark")
ERR_BACKEND = "unknown_backend"

COMPARISON_NAMES = ("surname", "given_name", "birth_date", "sex", "hometown", "employer")

Progress = Callable[[str], None]


class MatchError(ValueError):
    """A matching run that cannot start (unknown backend …)."""


@dataclass(frozen=True)
class Pair:
    """A candidate pair: ``left_id`` and ``right_id`` (for dedupe, left_id < right_id),
    its probability and the match weight of each field (``weights``, by
    ``COMPARISON_NAMES``, plus ``prior``) — the explanation waterfall."""

    left_id: str
    right_id: str
    probability: float
    match_weight: float
    weights: dict[str, float] = field(default_factory=dict)


def _null(*columns: str) -> cll.CustomLevel:
    condition = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in columns)
    return cll.CustomLevel(condition, "missing").configure(is_null_level=True)


def _comparisons() -> list[CustomComparison]:
    surname = CustomComparison(
        output_column_name="surname",
        comparison_levels=[
            _null("surname_key"),
            cll.ExactMatchLevel("surname_key").configure(tf_adjustment_column="surname_key", tf_adjustment_weight=0.5),
            cll.CustomLevel(
                "(surname_key_l = surname_alt_r AND given_key_l = given_alt_r) "
                "OR (surname_alt_l = surname_key_r AND given_alt_l = given_key_r) "
                "OR (surname_alt_l = surname_alt_r AND given_alt_l = given_alt_r)",
                "same surname in the other order of a romanized name",
            ),
            cll.ElseLevel(),
        ],
    )
    given = CustomComparison(
        output_column_name="given_name",
        comparison_levels=[
            _null("given_key"),
            cll.ExactMatchLevel("given_key").configure(tf_adjustment_column="given_key", tf_adjustment_weight=0.5),
            cll.CustomLevel(
                "(surname_key_l = surname_alt_r AND given_key_l = given_alt_r) "
                "OR (surname_alt_l = surname_key_r AND given_alt_l = given_key_r) "
                "OR (surname_alt_l = surname_alt_r AND given_alt_l = given_alt_r)",
                "same given name in the other order of a romanized name",
            ),
            cll.JaroWinklerLevel("given_key", 0.92),
            cll.JaroWinklerLevel("given_key", 0.80),
            cll.ElseLevel(),
        ],
    )
    both_full = "bd_precision_l = 3 AND bd_precision_r = 3"
    birth = CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            _null("bd_year"),
            cll.CustomLevel(f"{both_full} AND bd_written_l = bd_written_r", "same date as written"),
            cll.CustomLevel(
                f"{both_full} AND (bd_solar_l = bd_solar_r OR bd_solar_l = bd_lunar_r "
                "OR bd_lunar_l = bd_solar_r OR bd_lunar_l = bd_lunar_r "
                "OR bd_leap_l = bd_solar_r OR bd_solar_l = bd_leap_r OR bd_leap_l = bd_lunar_r "
                "OR bd_lunar_l = bd_leap_r)",
                "same day by calendar conversion",
            ),
            cll.CustomLevel(
                f"{both_full} AND (bd_swapped_l = bd_written_r OR bd_written_l = bd_swapped_r "
                "OR bd_swapped_l = bd_solar_r OR bd_swapped_l = bd_lunar_r "
                "OR bd_solar_l = bd_swapped_r OR bd_lunar_l = bd_swapped_r "
                "OR levenshtein(bd_written_l, bd_written_r) <= 1)",
                "day/month swapped or one digit off",
            ),
            cll.CustomLevel(
                "(bd_precision_l < 3 OR bd_precision_r < 3) AND bd_year_l = bd_year_r "
                "AND (bd_precision_l = 1 OR bd_precision_r = 1 OR bd_ym_l = bd_ym_r)",
                "agrees at the precision of a partial date",
            ),
            cll.CustomLevel("bd_year_l = bd_year_r", "same year"),
            cll.CustomLevel("abs(bd_year_l - bd_year_r) <= 1", "a year apart"),
            cll.ElseLevel(),
        ],
    )
    sex = CustomComparison(
        output_column_name="sex",
        comparison_levels=[_null("sex"), cll.ExactMatchLevel("sex"), cll.ElseLevel()],
    )
    hometown = CustomComparison(
        output_column_name="hometown",
        comparison_levels=[
            cll.CustomLevel(
                "(province_l IS NULL AND county_l IS NULL) OR (province_r IS NULL AND county_r IS NULL) "
                "OR (province_l IS NULL AND province_r IS NOT NULL) OR (province_l IS NOT NULL AND province_r IS NULL)",
                "missing, or not in the gazetteer on one side",
            ).configure(is_null_level=True),
            cll.CustomLevel("county_l = county_r", "same county"),
            cll.CustomLevel(
                "province_l = province_r AND (county_l IS NULL OR county_r IS NULL)", "same province, county of one"
            ),
            cll.CustomLevel("province_l = province_r", "same province, other county"),
            cll.ElseLevel(),
        ],
    )
    employer = CustomComparison(
        output_column_name="employer",
        comparison_levels=[
            cll.CustomLevel(
                "company_l IS NULL OR company_r IS NULL "
                "OR (substr(company_l, 1, 1) = '?' AND substr(company_r, 1, 1) <> '?') "
                "OR (substr(company_l, 1, 1) <> '?' AND substr(company_r, 1, 1) = '?')",
                "missing, or not in the gazetteer on one side",
            ).configure(is_null_level=True),
            cll.CustomLevel("site_l = site_r", "same worksite"),
            cll.CustomLevel(
                "company_l = company_r AND (site_l IS NULL OR site_r IS NULL)", "same company, site of one"
            ),
            cll.CustomLevel("company_l = company_r", "same company, other site"),
            cll.ElseLevel(),
        ],
    )
    return [surname, given, birth, sex, hometown, employer]


PREDICTION_BLOCKING = (
    ("surname_key", "given_key"),
    ("given_key", "bd_year"),
    ("surname_key", "bd_written"),
    ("given_key", "county"),
    ("given_key", "province"),
    ("given_key", "company"),
    ("bd_written", "county"),
    ("bd_solar", "surname_key"),
)
# The other order of an ambiguous romanized name, against either order of the other record.
ALTERNATE_BLOCKING = (
    "l.given_alt = r.given_key AND l.surname_alt = r.surname_key",
    "l.given_key = r.given_alt AND l.surname_key = r.surname_alt",
    "l.given_alt = r.given_key AND l.bd_year = r.bd_year",
    "l.given_key = r.given_alt AND l.bd_year = r.bd_year",
)


def model_settings(link_type: str) -> SettingsCreator:
    """The Splink settings of the model (comparisons, blocking rules) for a link type."""
    return SettingsCreator(
        link_type=link_type,
        comparisons=_comparisons(),
        blocking_rules_to_generate_predictions=[block_on(*cols) for cols in PREDICTION_BLOCKING]
        + list(ALTERNATE_BLOCKING),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        max_iterations=20,
    )


_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()), ("surname_key", pa.string()), ("given_key", pa.string()),
        ("surname_alt", pa.string()), ("given_alt", pa.string()),
        ("given_hangul", pa.string()), ("japanese_style", pa.bool_()), ("bd_written", pa.string()),
        ("bd_precision", pa.int32()), ("bd_year", pa.int32()), ("bd_ym", pa.string()), ("bd_swapped", pa.string()),
        ("bd_solar", pa.string()), ("bd_lunar", pa.string()), ("bd_leap", pa.string()), ("sex", pa.string()),
        ("province", pa.string()),
        ("county", pa.string()), ("company", pa.string()), ("site", pa.string()),
    ]
)


def _feature_table(records: Sequence[PersonRecord], progress: Progress | None) -> pa.Table:
    rows = []
    step = max(len(records) // 10, 1)
    for index, record in enumerate(records):
        rows.append(features_of(record))
        if progress and index and index % step == 0:
            progress(f"features {index}/{len(records)}")
    return pa.Table.from_pylist(rows, schema=_SCHEMA)


def _spark_session():
    from pyspark.sql import SparkSession  # imported only for the Spark backend
    from splink.backends.spark import similarity_jar_location

    master = os.environ.get("SPARK_MASTER", "local[*]")
    builder = (
        SparkSession.builder.master(master)
        .appName("baesang-identity")
        .config("spark.sql.shuffle.partitions", os.environ.get("SPARK_SHUFFLE_PARTITIONS", "8"))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", os.environ.get("SPARK_WAREHOUSE_DIR", "/tmp/baesang-spark-warehouse"))
        .config("spark.jars", similarity_jar_location())  # Splink's string-similarity functions
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "4g"))
    )
    return builder.getOrCreate()


def _db_api(backend: str):
    if backend == "duckdb":
        connection = duckdb.connect(":memory:")
        # Spill to the system's temporary directory, never into the working directory.
        spill = os.environ.get("BAESANG_DUCKDB_TEMP", os.path.join(tempfile.gettempdir(), "baesang-duckdb"))
        connection.execute(f"SET temp_directory = '{spill}'")
        return DuckDBAPI(connection)
    if backend == "spark":
        from splink import SparkAPI

        spark = _spark_session()
        checkpoint = os.environ.get("SPARK_CHECKPOINT_DIR", "/tmp/baesang-spark-checkpoints")
        spark.sparkContext.setCheckpointDir(checkpoint)
        return SparkAPI(spark_session=spark)
    raise MatchError(f"{ERR_BACKEND}: {backend!r} (one of {', '.join(BACKENDS)})")


def _register(db_api, table: pa.Table, name: str, backend: str):
    if backend == "spark":
        spark = db_api.spark
        frame = spark.createDataFrame(table.to_pylist(), schema=_spark_schema())
        return db_api.register(frame, table_name=name)
    return db_api.register(table, table_name=name)


def _spark_schema():
    from pyspark.sql import types as T

    mapping = {pa.string(): T.StringType(), pa.bool_(): T.BooleanType(), pa.int32(): T.IntegerType()}
    return T.StructType([T.StructField(f.name, mapping[f.type], True) for f in _SCHEMA])


EM_MAX_PAIRS = 2e6
EM_SAMPLE_FROM_RECORDS = 100_000


# Starting values (m, u) of the non-null levels of each comparison, in level order: what the
# model uses where the data are too few to train a level (a file of a few records). Training
# replaces them level by level where it observes the level.
STARTING_VALUES: dict[str, tuple[tuple[float, float], ...]] = {
    "surname": ((0.9, 0.05), (0.03, 0.001), (0.07, 0.949)),
    "given_name": ((0.8, 0.002), (0.03, 0.0005), (0.08, 0.005), (0.05, 0.05), (0.04, 0.9425)),
    "birth_date": ((0.62, 0.0002), (0.15, 0.0002), (0.05, 0.002), (0.17994, 0.05), (0.00002, 0.055),
                   (0.00002, 0.1), (0.00002, 0.7926)),
    "sex": ((0.98, 0.5), (0.02, 0.5)),
    "hometown": ((0.75, 0.006), (0.15, 0.08), (0.05, 0.07), (0.05, 0.844)),
    "employer": ((0.6, 0.03), (0.3, 0.1), (0.05, 0.05), (0.05, 0.82)),
}


def _set_starting_values(linker: Linker) -> None:
    for comparison in linker._settings_obj.comparisons:
        levels = [level for level in comparison.comparison_levels if not level.is_null_level]
        for level, (m, u) in zip(levels, STARTING_VALUES[comparison.output_column_name], strict=True):
            level.m_probability = m
            level.u_probability = u


def _starting_prior(sizes: Sequence[int]) -> float:
    """Chance that two random records match, before training: one in three records has a
    twin (dedupe), or half of the smaller file is in the other (link)."""
    if len(sizes) == 1:
        pairs = max(sizes[0] * (sizes[0] - 1) / 2, 1)
        return min(max(sizes[0] / 3, 1) / pairs, 0.5)
    return min(max(min(sizes) / 2, 1) / max(sizes[0] * sizes[1], 1), 0.5)


EM_RULES = (("surname_key", "given_key"), ("bd_written",), ("given_key", "county"))
EM_MIN_PAIRS = 200
MIN_RECORDS_TO_TRAIN = 500  # below this, random samples and near-certain rules say little


def _blocked_pairs(tables: Sequence[pa.Table], columns: Sequence[str]) -> int:
    """How many pairs a blocking rule on ``columns`` yields (nulls never match)."""
    counts = []
    for table in tables:
        keys: dict[tuple, int] = {}
        for row in table.select(list(columns)).to_pylist():
            key = tuple(row[c] for c in columns)
            if None not in key:
                keys[key] = keys.get(key, 0) + 1
        counts.append(keys)
    if len(counts) == 1:
        return sum(n * (n - 1) // 2 for n in counts[0].values())
    return sum(n * counts[1].get(key, 0) for key, n in counts[0].items())


def _train(linker: Linker, tables: Sequence[pa.Table], progress: Progress | None) -> None:
    """Train the model on the data; a step the data are too few for keeps the starting values."""
    sizes = [t.num_rows for t in tables]
    size = sum(sizes)
    _set_starting_values(linker)
    linker._settings_obj._probability_two_random_records_match = _starting_prior(sizes)
    steps: list[tuple[str, Callable[[], object]]] = []
    if size < MIN_RECORDS_TO_TRAIN:
        if progress:
            progress(f"training skipped: {size} records are too few; the starting values are used")
        return
    steps = [
        (
            "prior from near-certain rules",
            lambda: linker.training.estimate_probability_two_random_records_match(
                [block_on("surname_key", "given_key", "bd_written"), block_on("given_key", "bd_solar", "county")],
                recall=0.7,
            ),
        ),
        (
            "u by random sampling",
            lambda: linker.training.estimate_u_using_random_sampling(
                max_pairs=min(5e6, max(1e5, size * 200.0)), seed=7
            ),
        ),
    ]
    for columns in EM_RULES:
        if size < EM_SAMPLE_FROM_RECORDS and _blocked_pairs(tables, columns) < EM_MIN_PAIRS:
            if progress:
                progress(f"training: expectation-maximisation on {'+'.join(columns)} skipped (too few pairs)")
            continue
        rule = block_on(*columns)
        steps.append(
            (
                f"expectation-maximisation on {'+'.join(columns)}",
                lambda rule=rule: linker.training.estimate_parameters_using_expectation_maximisation(
                    rule,
                    estimate_without_term_frequencies=True,
                    # On large inputs a sample of the blocked pairs is enough for m (Splink's hash filter).
                    max_pairs=EM_MAX_PAIRS if size > EM_SAMPLE_FROM_RECORDS else None,
                ),
            )
        )
    for label, step in steps:
        if progress:
            progress(f"training: {label}")
        saved = copy.deepcopy(linker._settings_obj)
        try:
            step()
        except Exception as exc:  # too few records for this step: keep what the model had
            linker._settings_obj = saved
            if progress:
                progress(f"training: {label} skipped ({type(exc).__name__})")
        current = linker._settings_obj._probability_two_random_records_match
        if not current or not 0 < current < 1:
            linker._settings_obj._probability_two_random_records_match = saved._probability_two_random_records_match


# m-probabilities of the birth-date levels, set by judgement rather than learnt: namesakes
# (same name, same county, born a few years apart) are common in the registers, and
# expectation–maximisation over name blocks takes their different dates for the dates
# of one person. Two full dates that differ beyond a calendar conversion, a swap or one
# digit are, for one person, a rare slip (the values add up to 1).
BIRTH_DATE_M = (0.62, 0.15, 0.05, 0.17994, 0.00002, 0.00002, 0.00002)


def _fix_birth_date_m(linker: Linker) -> None:
    comparison = next(c for c in linker._settings_obj.comparisons if c.output_column_name == "birth_date")
    levels = [level for level in comparison.comparison_levels if not level.is_null_level]
    for level, m in zip(levels, BIRTH_DATE_M, strict=True):
        level.m_probability = m


def _run(
    tables: list[pa.Table], link_type: str, backend: str, threshold: float, progress: Progress | None
) -> list[Pair]:
    if backend not in BACKENDS:
        raise MatchError(f"{ERR_BACKEND}: {backend!r} (one of {', '.join(BACKENDS)})")
    db_api = _db_api(backend)
    names = ["records_left", "records_right"][: len(tables)]
    frames = [_register(db_api, table, name, backend) for table, name in zip(tables, names, strict=True)]
    linker = Linker(frames if len(frames) > 1 else frames[0], model_settings(link_type), log_level=logging.WARNING)
    _train(linker, tables, progress)
    _fix_birth_date_m(linker)
    if progress:
        progress("scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    rows = predictions.as_record_list()
    if progress:
        progress(f"{len(rows)} pairs at or above {threshold}")
    prior = math.log2(
        linker._settings_obj._probability_two_random_records_match
        / (1 - linker._settings_obj._probability_two_random_records_match)
    )
    pairs = []
    for row in rows:
        left, right = str(row["unique_id_l"]), str(row["unique_id_r"])
        if link_type == "link_only" and row.get("source_dataset_l") != "records_left":
            left, right = right, left
        elif link_type == "dedupe_only" and right < left:
            left, right = right, left
        weights = {"prior": round(prior, 4)}
        for name in COMPARISON_NAMES:
            weight = float(row.get(f"mw_{name}") or 0.0) + float(row.get(f"mw_tf_adj_{name}") or 0.0)
            weights[name] = round(weight, 4)
        pairs.append(Pair(left, right, float(row["match_probability"]), float(row["match_weight"]), weights))
    pairs.sort(key=lambda p: (-p.probability, p.left_id, p.right_id))
    return pairs


def _dates_conflict(a: dict, b: dict) -> bool:
    """Two birth dates that cannot be one person's (beyond conversion, swap or one-digit slip)."""
    if a["bd_year"] is None or b["bd_year"] is None:
        return False
    if a["bd_precision"] == 3 and b["bd_precision"] == 3:
        days_a = {a["bd_written"], a["bd_solar"], a["bd_lunar"], a["bd_leap"]} - {None}
        days_b = {b["bd_written"], b["bd_solar"], b["bd_lunar"], b["bd_leap"]} - {None}
        if days_a & days_b or a["bd_swapped"] in days_b or b["bd_swapped"] in days_a:
            return False
        wa, wb = a["bd_written"], b["bd_written"]
        return sum(x != y for x, y in zip(wa, wb, strict=True)) > 1
    if abs(a["bd_year"] - b["bd_year"]) > 1:
        return True
    return False


def _conflict(a: dict, b: dict) -> bool:
    """Records that cannot be one person: hard date conflict, or different sex."""
    if a["sex"] and b["sex"] and a["sex"] != b["sex"]:
        return True
    return _dates_conflict(a, b)


def consistent_pairs(pairs: Sequence[Pair], features: dict[str, dict]) -> list[Pair]:
    """Keep the pairs that join groups without a conflict inside any group.

    Pairs are taken most probable first; a pair whose two groups hold two records that
    cannot be one person (``_conflict``) is dropped, so a record with no date does not
    join two namesakes whose dates differ into one person through transitive closure.
    """
    group_of: dict[str, int] = {}
    members: dict[int, list[str]] = {}
    kept: list[Pair] = []

    def group(record_id: str) -> int:
        if record_id not in group_of:
            group_of[record_id] = len(group_of)
            members[group_of[record_id]] = [record_id]
        return group_of[record_id]

    for pair in sorted(pairs, key=lambda p: -p.probability):
        ga, gb = group(pair.left_id), group(pair.right_id)
        if ga == gb:
            kept.append(pair)
            continue
        if any(_conflict(features[x], features[y]) for x in members[ga] for y in members[gb]):
            continue
        if len(members[ga]) < len(members[gb]):
            ga, gb = gb, ga
        for record_id in members[gb]:
            group_of[record_id] = ga
        members[ga].extend(members.pop(gb))
        kept.append(pair)
    kept.sort(key=lambda p: (-p.probability, p.left_id, p.right_id))
    return kept


# A record of one source is one person: where a record has several candidates in the other
# source, those more than this many bits (match weight) below its best are dropped. A true
# duplicate in one source scores close to its twin, so it stays (2**6 = 64 times less likely).
DOMINANCE_MARGIN_BITS = 6.0


def dominant_pairs(pairs: Sequence[Pair], margin: float = DOMINANCE_MARGIN_BITS) -> list[Pair]:
    """Drop link pairs whose match weight is more than ``margin`` bits below the best pair
    of their left or of their right record (a namesake beaten by the person themself)."""
    best_left: dict[str, float] = {}
    best_right: dict[str, float] = {}
    for pair in pairs:
        best_left[pair.left_id] = max(best_left.get(pair.left_id, -math.inf), pair.match_weight)
        best_right[pair.right_id] = max(best_right.get(pair.right_id, -math.inf), pair.match_weight)
    return [
        p for p in pairs
        if p.match_weight >= best_left[p.left_id] - margin and p.match_weight >= best_right[p.right_id] - margin
    ]


def dedupe_records(
    records: Sequence[PersonRecord],
    *,
    backend: str = "duckdb",
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
) -> list[Pair]:
    """Pairs of ``records`` that are probably one person, most probable first."""
    records = validate_records(records)
    table = _feature_table(records, progress)
    pairs = _run([table], "dedupe_only", backend, threshold, progress)
    features = {row["unique_id"]: row for row in table.to_pylist()}
    return consistent_pairs(pairs, features)


def link_records(
    left: Sequence[PersonRecord],
    right: Sequence[PersonRecord],
    *,
    backend: str = "duckdb",
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
) -> list[Pair]:
    """Pairs of a ``left`` and a ``right`` record that are probably one person, most probable first."""
    left, right = validate_records(left), validate_records(right)
    tables = [_feature_table(left, progress), _feature_table(right, progress)]
    return dominant_pairs(_run(tables, "link_only", backend, threshold, progress))
