"""A throw-away IMAP server for the tests: Debian's dovecot (``dovecot-imapd``) started on a
free port of 127.0.0.1 with its own configuration under a temporary folder, one passwd-file
user, a Maildir, no TLS. It runs as the current user (as root, dovecot's own unprivileged
users serve the login and the mail: dovecot refuses to do either as root).

Skipped, with the reason, only when dovecot is not installed; with ``YUQI_REQUIRE_DOVECOT``
set (CI) a missing dovecot fails instead.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = "/usr/sbin/dovecot"


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    root: Path

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=20)
        client.login(self.user, self.password)
        return client

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        """Deliver a message the way a mail client files one: IMAP APPEND."""
        client = self.client()
        try:
            status, data = client.append(folder, "", None, raw)
            assert status == "OK", data
        finally:
            client.logout()

    def count(self, folder: str = "INBOX", criteria: str = "ALL") -> int:
        client = self.client()
        try:
            client.select(folder)
            _status, data = client.uid("search", None, criteria)
            return len((data[0] or b"").split())
        finally:
            client.logout()

    def clear(self) -> None:
        client = self.client()
        try:
            _status, folders = client.list()
            for line in folders or []:
                name = line.decode().rsplit(' "." ', 1)[-1].strip('"')
                client.select(name)
                _status, found = client.uid("search", None, "ALL")
                uids = (found[0] or b"").split()
                if uids:
                    client.uid("store", b",".join(uids).decode(), "+FLAGS", "(\\Deleted)")
                    client.expunge()
        finally:
            client.logout()


def require_dovecot() -> None:
    if os.path.exists(DOVECOT):
        return
    message = f"needs Debian's dovecot-imapd ({DOVECOT} not found): apt-get install dovecot-imapd"
    if os.environ.get("YUQI_REQUIRE_DOVECOT"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _accounts() -> tuple[str, str, int, int]:
    """(internal user, login user, mail uid, mail gid) for dovecot's processes."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.getuid()).pw_name
        return me, me, os.getuid(), os.getgid()
    mail = pwd.getpwnam("dovecot")
    login = "dovenull" if _user_exists("dovenull") else "nobody"
    return "dovecot", login, mail.pw_uid, mail.pw_gid


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def start_dovecot() -> tuple[ImapServer, subprocess.Popen[bytes]]:
    internal, login, uid, gid = _accounts()
    root = Path(tempfile.mkdtemp(prefix="yuqi-dovecot-"))
    root.chmod(0o755)  # the mail process (another uid when run as root) must reach its Maildir
    for name in ("run", "state", "mail"):
        (root / name).mkdir()
    os.chown(root / "mail", uid, gid)
    port = _free_port()
    user, password = "intake", "intake-secret"
    (root / "users").write_text(
        f"{user}:{{PLAIN}}{password}:{uid}:{gid}::{root}/mail/{user}::\n", encoding="utf-8"
    )
    (root / "dovecot.conf").write_text(
        f"""base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
first_valid_uid = {min(uid, 100) if uid else 1}
mail_location = maildir:{root}/mail/%u
mail_max_userip_connections = 50
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = ImapServer("127.0.0.1", port, user, password, root)
    deadline = time.monotonic() + 20
    while True:
        try:
            server.client().logout()
            return server, process
        except (OSError, imaplib.IMAP4.error) as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                stop_dovecot(server, process)
                log = (root / "dovecot.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"dovecot did not start: {exc}\n{log}") from exc
            time.sleep(0.2)


def stop_dovecot(server: ImapServer, process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    shutil.rmtree(server.root, ignore_errors=True)
