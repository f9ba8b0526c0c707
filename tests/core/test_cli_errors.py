"""Both command lines, run as installed (the console scripts, in subprocesses): what a user
gets wrong, or a pipe closed early, ends in one clear line and a non-zero exit, never a
traceback, and never pyHanko's DSA deprecation warning."""

from __future__ import annotations

import json
import shlex
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent  # the console scripts sit beside this interpreter


def _script(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed beside {sys.executable}")
    return str(path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class World:
    tmp: Path
    data: Path  # a demo laptop with enough visits to fill a pipe
    visit: str
    hq: Path  # a headquarters data directory, set up


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    tmp = tmp_path_factory.mktemp("cli")
    data = tmp / "laptop"
    # 1,000 visits: `visits` writes more than a pipe holds (64 KiB), so `| head -1` closes
    # the pipe while it is still writing, every time.
    subprocess.run([_script("inspector-app"), "demo", "--data-dir", str(data), "--scale",
                    "200"], check=True, capture_output=True)
    listed = subprocess.run([_script("inspector-app"), "visits", "--data-dir", str(data),
                             "--json"], check=True, capture_output=True, text=True)
    hq = tmp / "hq"
    subprocess.run([_script("inspector-hq"), "admin", "--data-dir", str(hq), "branch", "add",
                    "B01", "总行营业部"], check=True, capture_output=True)
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "password.txt").write_text("demo1234\n", encoding="utf-8")
    (tmp / "borrowers.csv").write_bytes(bytes(range(256)) * 8)  # an .xlsx, say
    return World(tmp, data, json.loads(listed.stdout)[0]["id"], hq)


# (command, exit code, what stderr says); {app} and {hq} are the scripts, {data}, {visit},
# {hq_data}, {tmp} the world's, {port} one with nothing listening.
CASES = {
    "pipe closed by head": (
        "set -o pipefail; {app} visits --data-dir {data} | head -1", 141, ""),
    "output folder missing": (
        "{app} report {visit} --data-dir {data} --out {tmp}/no-such-folder/report.pdf", 2,
        "错误 / error: 输出文件夹不存在 / the output folder does not exist: "
        "{tmp}/no-such-folder\n"),
    "password file missing": (
        "{app} report {visit} --data-dir {data} --out {tmp}/r.pdf --sign --cert {tmp}/x.p12 "
        "--password-file {tmp}/no-such-file", 2,
        "错误 / error: 密码文件不存在 / the password file does not exist: {tmp}/no-such-file\n"),
    "password file empty": (
        "{hq} admin --data-dir {hq_data} user add zhao --name 赵 --role admin "
        "--password-file {tmp}/empty.txt", 2,
        "错误 / error: 密码文件是空的，其第一行应为密码 / the password file is empty (its first "
        "line is the password): {tmp}/empty.txt\n"),
    "binary CSV": (
        "{hq} admin --data-dir {hq_data} import --borrowers {tmp}/borrowers.csv", 1,
        "{tmp}/borrowers.csv:0: 不是文本CSV文件（既非UTF-8也非GB18030），请在表格软件中另存为CSV "
        "/ not a text CSV file (neither UTF-8 nor GB18030): save it from the spreadsheet as "
        "CSV\n1 行被拒绝，未导入任何数据 / 1 row(s) refused; nothing was imported\n"),
    "unknown database URL": (
        "{hq} admin --db mysql://hq@db.bank/hq devices list", 2,
        "错误 / error: 不支持的数据库 / unsupported database 'mysql' in mysql://hq@db.bank/hq: "
        "use sqlite:///FILE or postgresql+psycopg://USER@HOST/DB\n"),
    "PostgreSQL unreachable": (
        "{hq} admin --db postgresql+psycopg://hq:secret@127.0.0.1:{port}/hq devices list", 2,
        "错误 / error: 数据库不可用 / the database postgresql+psycopg://hq:***@127.0.0.1:{port}"
        "/hq cannot be used: connection to server at \"127.0.0.1\", port {port} failed: "
        "Connection refused\n"),
    "laptop --data-dir mistyped": (
        "{app} visits --data-dir {tmp}/typo/laptop", 2,
        "错误 / error: {tmp}/typo/laptop 中没有数据（没有 inspector.sqlite3），请检查 "
        "--data-dir / no data in {tmp}/typo/laptop (no inspector.sqlite3 there): check "
        "--data-dir\n"),
    "headquarters --data-dir mistyped": (
        "{hq} admin --data-dir {tmp}/typo/hq devices list", 2,
        "错误 / error: 数据库不存在 / no database at {tmp}/typo/hq/hq.sqlite3: check "
        "--data-dir or --db\n"),
    "sync server unreachable": (
        "{app} sync --data-dir {data} --server 127.0.0.1:{port} --username officer "
        "--password-file {tmp}/password.txt", 2,
        "错误 / error: 无法连接总行服务器：127.0.0.1:{port} 拒绝连接：服务器未在运行，或端口不对 / "
        "cannot reach the headquarters server: 127.0.0.1:{port} refused the connection: the "
        "server is not running there, or the port is wrong\n"),
}


@pytest.mark.integration
@pytest.mark.parametrize("case", list(CASES))
def test_a_mistake_is_one_clear_line_and_a_failing_exit(world: World, case: str) -> None:
    command, code, said = CASES[case]
    names = {"app": shlex.quote(_script("inspector-app")),
             "hq": shlex.quote(_script("inspector-hq")), "data": world.data,
             "visit": world.visit, "hq_data": world.hq, "tmp": world.tmp, "port": _free_port()}
    done = subprocess.run(["bash", "-c", command.format(**names)], capture_output=True,
                          text=True, timeout=120)
    assert "Traceback" not in done.stderr
    assert "DSA" not in done.stderr  # pyHanko's deprecation warning, on every command before
    assert done.stderr == said.format(**names)
    assert done.returncode == code
    if case == "pipe closed by head":
        assert len(done.stdout.splitlines()) == 1
    assert not (world.tmp / "typo").exists()  # a mistyped --data-dir made nothing
