"""`inspector-hq`: the headquarters server's command line (the server lands with the sync issue)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="inspector-hq",
        description="总行服务器 — headquarters server for post-loan inspection sync.",
        epilog="Planned commands: serve --db URL --blobs DIR; admin ... "
        "(not available in this version).",
    )
    parser.add_argument("command", nargs="?", choices=["serve", "admin"])
    args, _rest = parser.parse_known_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    print(
        f"inspector-hq {args.command}: 此版本尚未提供总行服务器 / the headquarters server is not "
        "available in this version yet.",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
