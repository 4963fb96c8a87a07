#!/usr/bin/env node
// The canonical automerge-repo sync server, as the load generator's
// reference: a Repo with filesystem storage behind a WebSocket server,
// no authentication. It announces nothing and gives any peer whatever it
// asks for by id (what automerge-repo-sync-server does).
//
//   node server.mjs [--port 0] [--host 127.0.0.1] [--data DIR]
//
// Prints `listening on http://HOST:PORT` on stdout once it accepts
// connections (the same line as Shiftbook's sync server, so the load
// generator reads both alike). Stops on SIGTERM or SIGINT.

import fs from "node:fs";
import os from "node:os";
import { WebSocketServer } from "ws";
import { Repo } from "@automerge/automerge-repo";
import { WebSocketServerAdapter } from "@automerge/automerge-repo-network-websocket";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const host = option("host", "127.0.0.1");
const port = Number(option("port", "0"));
const data = option("data", ".amrg");
fs.mkdirSync(data, { recursive: true });

const wss = new WebSocketServer({ host, port });
const adapter = new WebSocketServerAdapter(wss);
const repo = new Repo({
  network: [adapter],
  storage: new NodeFSStorageAdapter(data),
  peerId: `reference-sync-server-${os.hostname()}`,
  // A server shares nothing unasked, and anything asked for.
  shareConfig: {
    announce: async () => false,
    access: async () => true,
  },
});

// The repo connects its network adapter only once its storage answered;
// a socket accepted before that gets no handlers and is dropped at the
// first keep-alive tick. So say "listening" when both are done.
const listening = new Promise((resolve) => wss.on("listening", resolve));
const connected = new Promise((resolve) => {
  const check = () => (adapter.peerId ? resolve() : setTimeout(check, 10));
  check();
});
Promise.all([listening, connected]).then(() => {
  const address = wss.address();
  console.log(`listening on http://${address.address}:${address.port}`);
});

function stop() {
  wss.close();
  repo.shutdown().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
