"""What both command lines (``inspector-app``, ``inspector-hq``) do when a command fails: one
line on stderr and a non-zero exit, never a traceback.

A refusal (``CommandError``, the core's ``UserError``) and a file the system would not open
or write are said in both languages; a closed pipe (``visits | head``) ends quietly, as the
shell's own tools do; anything else is an internal error, said in one line, with its
traceback only when ``INSPECTOR_DEBUG`` is set.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path

from inspector_app.common.text import Text, UserError

__all__ = ["CommandError", "add_export_arguments", "export_period", "read_password_file",
           "run_command", "say_error"]

EXIT_REFUSED = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl+C
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, what a C tool killed by the closed pipe exits with
DEBUG_ENV = "INSPECTOR_DEBUG"


class CommandError(Exception):
    """A message for the person at the keyboard ("中文 / English"), not a traceback."""


def say_error(message: object) -> None:
    """One line on stderr: what went wrong."""
    print(f"错误 / error: {message}", file=sys.stderr)


# errno -> (中文, English): the ones a path given on the command line runs into.
_FILE_PROBLEMS = {
    errno.ENOENT: ("文件或文件夹不存在", "no such file or folder"),
    errno.EACCES: ("没有权限", "permission denied"),
    errno.EPERM: ("没有权限", "permission denied"),
    errno.EISDIR: ("这是文件夹，不是文件", "is a folder, not a file"),
    errno.ENOTDIR: ("路径中有一部分不是文件夹", "a part of the path is not a folder"),
    errno.EEXIST: ("已存在", "already exists"),
    errno.ENOSPC: ("磁盘已满", "the disk is full"),
    errno.EROFS: ("只读文件系统", "read-only file system"),
}


def describe_os_error(exc: OSError) -> str:
    """An OSError as one bilingual line naming the file."""
    zh, en = _FILE_PROBLEMS.get(exc.errno or 0, (exc.strerror or str(exc),) * 2)
    where = exc.filename if exc.filename is not None else ""
    text = Text(zh, en)
    return f"{text}: {where}" if where else str(text)


def run_command(command: Callable[[], int]) -> int:
    """Run a command's body; its exit code, or the failure said in one line and its code."""
    try:
        code = command()
        sys.stdout.flush()  # a closed pipe shows here, inside the try, not at exit
        return code
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_PIPE_CLOSED
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except (CommandError, UserError) as exc:
        say_error(exc)
        return EXIT_REFUSED
    except OSError as exc:
        say_error(describe_os_error(exc))
        return EXIT_REFUSED
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            traceback.print_exc()
        else:
            first = (str(exc).strip().splitlines() or [""])[0]
            say_error(f"内部错误 / internal error: {type(exc).__name__}: {first} (set "
                      f"{DEBUG_ENV}=1 for the details)")
        return EXIT_INTERNAL


def _discard_stdout() -> None:
    """Point stdout at /dev/null: Python flushes it once more at exit, and that write would
    fail on the closed pipe again, with a message of its own."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout replaced by something without a descriptor
        pass


def read_password_file(path: Path) -> str:
    """The first line of a password file; CommandError if it is missing, empty or not text."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"密码文件不存在 / the password file does not exist: {path}") \
            from None
    except OSError as exc:
        raise CommandError(f"无法读取密码文件 / cannot read the password file: "
                           f"{describe_os_error(exc)}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"密码文件不是文本（UTF-8） / the password file is not text "
                           f"(UTF-8): {path}") from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise CommandError(f"密码文件是空的，其第一行应为密码 / the password file is empty "
                           f"(its first line is the password): {path}")
    return lines[0]


EXPORTS = {
    "visits": "visits: with review status, signals and classification",
    "due-list": "due-list: the borrowers by next inspection date",
    "matrix": "matrix: the classification migration matrix over --from/--to",
}


def add_export_arguments(p: argparse.ArgumentParser,
                         lists: tuple[str, ...] = ("visits", "due-list", "matrix")) -> None:
    """What an export takes, the same on both command lines: which list (of ``lists``),
    --format, -o, --lang, and the matrix's period (--from, --to: export_period)."""
    p.add_argument("what", choices=list(lists), help="; ".join(EXPORTS[x] for x in lists))
    p.add_argument("--from", dest="from_day", metavar="YYYY-MM-DD",
                   help="matrix: the period's first day")
    p.add_argument("--to", dest="to_day", metavar="YYYY-MM-DD",
                   help="matrix: the period's last day (included)")
    p.add_argument("--format", choices=["xlsx", "csv"],
                   help="file format (default: by the suffix of -o)")
    p.add_argument("-o", "--out", type=Path, required=True, metavar="FILE",
                   help="the file to write (replaced whole if it exists)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh",
                   help="language of the header row and the labels (default zh)")


def export_period(args: argparse.Namespace) -> tuple[date, date] | None:
    """The matrix's period from --from and --to (both needed, both days, in order); None for
    another list, which takes neither. CommandError saying what is wrong otherwise."""
    given = (args.from_day, args.to_day)
    if args.what != "matrix":
        if any(given):
            raise CommandError("--from/--to 只用于 matrix / --from and --to are for the "
                               "matrix only")
        return None
    if not all(given):
        raise CommandError("迁徙矩阵需要 --from 和 --to 两个日期 / the matrix needs both --from "
                           "and --to (YYYY-MM-DD)")
    days = []
    for flag, text in (("--from", args.from_day), ("--to", args.to_day)):
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            raise CommandError(f"{flag} 不是日期：{text}（应为 YYYY-MM-DD） / {flag} is not a "
                               f"date: {text!r} (YYYY-MM-DD)") from None
    if days[0] > days[1]:
        raise CommandError(f"--from {days[0]} 晚于 --to {days[1]} / --from is after --to")
    return days[0], days[1]
