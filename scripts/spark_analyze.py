#!/usr/bin/env python3
"""Analyse an archive with Apache Spark, `claimdesk analyze --jsonl` as the map step.

Every partition of the file list is piped, one path per line, into one
`claimdesk analyze --jsonl --threads 1 --files-from -` process; its output lines (one JSON
object per article, the fields of `analyze --json`) are the partition's result. Spark writes
them as JSON Lines part files or as Parquet. `claimdesk new PROJECT --from-analysis OUT
--select QUERY` then opens the articles that matter as a project (it reads the JSON Lines
folder directly).

Local mode (what docs/archives.md measured), from the repository:

    python3 -m venv /tmp/spark-venv && /tmp/spark-venv/bin/pip install pyspark
    cargo build --release
    /tmp/spark-venv/bin/python scripts/spark_analyze.py --master 'local[2]' \
        --claimdesk target/release/claimdesk --out /tmp/analysis --files-from list.txt

On a cluster the same script is submitted (one executor core per task, so each claimdesk
process runs one analysis thread on one core):

    spark-submit --master spark://HOST:7077 --executor-cores 1 --total-executor-cores 64 \
        --files target/release/claimdesk \
        scripts/spark_analyze.py --ship-binary --claimdesk claimdesk \
        --out hdfs:///analysis/run1 --format parquet --files-from /shared/archive/list.txt

`--ship-binary` makes each executor run the copy Spark distributed with `--files`; the article
files must be readable at the same paths on every executor (a shared or mounted file system).
Needs a JDK (Debian: openjdk-17-jre-headless) and pyspark (PyPI). Prints figures and ends with
one `spark_analyze: key=value ...` line.
"""

import argparse
import os
import subprocess
import sys
import threading
import time

SUPPORTED = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx", ".epub"}


def list_files(paths, files_from):
    """Absolute paths of the articles: those listed, and the supported files under folders."""
    found = []
    if files_from:
        with open(files_from, encoding="utf-8") as handle:
            found.extend(line.rstrip("\r\n") for line in handle if line.strip())
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if os.path.splitext(name)[1].lower() in SUPPORTED:
                        found.append(os.path.join(root, name))
        else:
            found.append(path)
    return [os.path.abspath(p) for p in found]


def analyse_partition(binary, ship_binary):
    """A mapPartitions function: pipes the partition's paths into one claimdesk process."""

    def run(paths):
        exe = binary
        if ship_binary:
            from pyspark import SparkFiles

            exe = SparkFiles.get(os.path.basename(binary))
            os.chmod(exe, 0o755)
        proc = subprocess.Popen(
            [exe, "analyze", "--jsonl", "--threads", "1", "--files-from", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        errors = []

        def feed():
            try:
                for path in paths:
                    proc.stdin.write(path + "\n")
            finally:
                proc.stdin.close()

        def drain():
            errors.extend(proc.stderr)

        writer = threading.Thread(target=feed, daemon=True)
        reader = threading.Thread(target=drain, daemon=True)
        writer.start()
        reader.start()
        for line in proc.stdout:
            yield line.rstrip("\n")
        writer.join()
        reader.join()
        code = proc.wait()
        if code != 0:
            raise RuntimeError(f"claimdesk exited {code}: {''.join(errors[-5:])}")
        for message in errors:
            if message.startswith("claimdesk: skipped"):
                print(message.rstrip(), file=sys.stderr)

    return run


def schema():
    from pyspark.sql.types import (
        ArrayType,
        FloatType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    def optional(name):
        return StructField(name, StringType(), True)

    claim = StructType(
        [
            StructField("start", LongType()),
            StructField("end", LongType()),
            optional("text"),
            StructField("score", FloatType()),
            optional("claimant"),
            StructField("reasons", ArrayType(StringType())),
        ]
    )
    entity = StructType(
        [StructField("start", LongType()), StructField("end", LongType()), optional("text"), optional("kind")]
    )
    removed = StructType([StructField("at", LongType()), optional("text"), optional("reason")])
    return StructType(
        [optional(name) for name in ("path", "title", "source", "date", "byline", "url", "format", "encoding", "text")]
        + [
            StructField("claims", ArrayType(claim)),
            StructField("entities", ArrayType(entity)),
            StructField("removed", ArrayType(removed)),
        ]
    )


def plain_run(binary, files, threads):
    """The same files through `claimdesk analyze --jsonl` alone, for comparison."""
    start = time.monotonic()
    proc = subprocess.run(
        [binary, "analyze", "--jsonl", "--threads", str(threads), "--files-from", "-"],
        input="\n".join(files) + "\n",
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        check=True,
    )
    seconds = time.monotonic() - start
    return proc.stdout.count("\n"), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="article files or folders")
    parser.add_argument("--files-from", help="a file listing article paths, one per line")
    parser.add_argument("--claimdesk", required=True, help="the claimdesk binary")
    parser.add_argument("--out", required=True, help="output folder (must not exist)")
    parser.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    parser.add_argument("--master", default=None, help="e.g. local[2]; spark-submit sets it otherwise")
    parser.add_argument("--partitions", type=int, default=0, help="default: about 250 articles each")
    parser.add_argument("--ship-binary", action="store_true", help="run the copy spark-submit --files shipped")
    parser.add_argument("--baseline", action="store_true", help="also time plain analyze --jsonl on the same files")
    args = parser.parse_args()

    files = list_files(args.paths, args.files_from)
    if not files:
        parser.error("no article files given")
    binary = args.claimdesk if args.ship_binary else os.path.abspath(args.claimdesk)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("claimdesk-analyze")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    sc = spark.sparkContext
    cores = sc.defaultParallelism
    partitions = args.partitions or max(cores, len(files) // 250)

    start = time.monotonic()
    lines = sc.parallelize(files, partitions).mapPartitions(analyse_partition(binary, args.ship_binary))
    if args.format == "jsonl":
        lines.saveAsTextFile(args.out)
        articles = None
    else:
        frame = spark.read.schema(schema()).json(lines)
        frame.write.parquet(args.out)
        articles = None
    seconds = time.monotonic() - start
    # Counted from what was written, so the figure is what Spark delivered.
    if args.format == "jsonl":
        articles = spark.read.text(args.out).count()
    else:
        articles = spark.read.parquet(args.out).count()
    rate = articles / seconds
    print(f"spark: {articles} articles in {seconds:.1f} s on {cores} core(s), {partitions} partitions: {rate:.1f} articles/s")
    summary = f"spark_analyze: articles={articles} seconds={seconds:.1f} cores={cores} articles_per_s={rate:.1f}"
    if args.baseline:
        plain_articles, plain_seconds = plain_run(binary, files, cores)
        plain_rate = plain_articles / plain_seconds
        print(f"plain analyze --jsonl --threads {cores}: {plain_articles} articles in {plain_seconds:.1f} s: {plain_rate:.1f} articles/s")
        summary += f" plain_seconds={plain_seconds:.1f} plain_articles_per_s={plain_rate:.1f}"
    spark.stop()
    print(summary)


if __name__ == "__main__":
    main()
