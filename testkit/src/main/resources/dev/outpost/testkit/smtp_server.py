"""An SMTP server for tests (Debian's python3-aiosmtpd): STARTTLS (RFC 3207) and AUTH (RFC 4954), or neither.

Usage: smtp_server.py MAILDIR starttls|plain [CERT KEY USER PASSWORD]

Listens on 127.0.0.1 on a port the kernel picks and prints "READY <port>". Each message it accepts is written to
MAILDIR as <n>.eml (the bytes as received) and <n>.json (envelope sender, recipients, whether TLS was on, the login).
With starttls, a client must start TLS and then log in with USER and PASSWORD before MAIL; plain offers neither.
Exits when its standard input reaches end-of-file (the JVM that started it closed it or died).
"""
import asyncio
import json
import os
import socket
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Maildir:
    def __init__(self, path):
        self.path = path
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.path, str(self.count))
        with open(base + ".eml.tmp", "wb") as out:
            out.write(envelope.original_content or envelope.content)
        meta = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "tls": session.ssl is not None,
            "login": session.login_data.decode() if session.login_data else None,
        }
        with open(base + ".json.tmp", "w") as out:
            json.dump(meta, out)
        os.rename(base + ".json.tmp", base + ".json")
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK"


def main():
    maildir, mode = sys.argv[1], sys.argv[2]
    handler = Maildir(maildir)
    if mode == "starttls":
        cert, key, user, password = sys.argv[3:7]
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
                  and auth_data.password.decode() == password)
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

        def factory():
            return SMTP(handler, tls_context=context, require_starttls=True, authenticator=authenticate,
                        auth_required=True, auth_require_tls=True)
    elif mode == "plain":
        def factory():
            return SMTP(handler)
    else:
        raise SystemExit("mode must be starttls or plain, not " + mode)

    loop = asyncio.new_event_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    server = loop.run_until_complete(loop.create_server(factory, sock=sock))
    print("READY", sock.getsockname()[1], flush=True)
    loop.run_until_complete(loop.run_in_executor(None, sys.stdin.read))
    server.close()


if __name__ == "__main__":
    main()
