#!/usr/bin/env python3
"""Reads Claimdesk's archived copies (captures/*.warc) with warcio, the Webrecorder reader, and
checks every record's block and payload digests: the interop check for web capture.

    pip install warcio
    python3 scripts/warc_check.py PROJECT_FOLDER/captures/*.warc

Prints one line per response record and exits 1 if a file does not read or a digest is wrong.
"""
import sys

from warcio.archiveiterator import ArchiveIterator
from warcio.cli import main as warcio_cli


def check(path):
    responses = 0
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream, check_digests=True):
            if record.rec_type == "response":
                responses += 1
                status = record.http_headers.get_statuscode()
                body = record.content_stream().read()
                print(
                    f"{path}: {record.rec_headers.get_header('WARC-Target-URI')} {status} "
                    f"{len(body)} bytes {record.rec_headers.get_header('WARC-Payload-Digest')}"
                )
            else:
                record.content_stream().read()
            if record.digest_checker.passed is False:
                print(f"{path}: digest check failed: {record.digest_checker.problems}")
                return False
    if responses == 0:
        print(f"{path}: no response record")
        return False
    # `warcio check` is the tool's own validation of the same file.
    return warcio_cli(["check", path]) in (0, None)


if __name__ == "__main__":
    ok = all([check(path) for path in sys.argv[1:]])
    sys.exit(0 if ok and len(sys.argv) > 1 else 1)
