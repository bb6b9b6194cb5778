#!/usr/bin/env python3
"""A stock XMPP client (slixmpp, from Debian's python3-slixmpp) against a running Tongyou Server:
Romeo and Juliet log in over STARTTLS with SCRAM-SHA-256, trusting only the server's certificate,
and Romeo's message reaches Juliet. Exits 0 on success, 1 on any failure, within a time bound.

usage: stock_client_smoke.py HOST PORT DOMAIN CA_CERT ROMEO_PASSWORD JULIET_PASSWORD
"""
import asyncio
import sys

import slixmpp

HOST, PORT, DOMAIN, CA, ROMEO_PW, JULIET_PW = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
BODY = "But soft, what light through yonder window breaks? 东方 🌅"


class Client(slixmpp.ClientXMPP):
    def __init__(self, user, password):
        super().__init__(f"{user}@{DOMAIN}/stock", password, sasl_mech="SCRAM-SHA-256")
        self.ca_certs = CA
        self.ready = asyncio.get_event_loop().create_future()
        self.received = asyncio.get_event_loop().create_future()
        self.add_event_handler("session_start", self.started)
        self.add_event_handler("failed_auth", lambda _: self.fail("authentication failed"))
        self.add_event_handler("message", self.message)

    def fail(self, why):
        if not self.ready.done():
            self.ready.set_exception(RuntimeError(why))

    async def started(self, _):
        self.send_presence()
        self.ready.set_result(self.plugin["feature_mechanisms"].mech.name)

    def message(self, msg):
        if msg["type"] in ("chat", "normal") and not self.received.done():
            self.received.set_result((str(msg["from"]), msg["body"]))


async def main():
    romeo, juliet = Client("romeo", ROMEO_PW), Client("juliet", JULIET_PW)
    for c in (romeo, juliet):
        c.connect((HOST, PORT), force_starttls=True, disable_starttls=False)
    mechs = await asyncio.wait_for(asyncio.gather(romeo.ready, juliet.ready), 20)
    print("logged in with", mechs)
    assert mechs == ["SCRAM-SHA-256", "SCRAM-SHA-256"], mechs
    await asyncio.sleep(0.5)  # Juliet's initial presence reaches the server first
    romeo.send_message(mto=f"juliet@{DOMAIN}", mbody=BODY, mtype="chat")
    sender, body = await asyncio.wait_for(juliet.received, 20)
    print("Juliet got", repr(body), "from", sender)
    assert body == BODY and sender.startswith(f"romeo@{DOMAIN}/"), (sender, body)
    for c in (romeo, juliet):
        c.disconnect()


try:
    asyncio.get_event_loop().run_until_complete(main())
except Exception as e:  # any failure is a failed check
    print("stock client check FAILED:", repr(e))
    sys.exit(1)
print("stock client check passed")
