#!/usr/bin/env node
// The automerge-repo JavaScript reference client against the Shiftbook sync
// server: proves the server speaks the automerge-repo sync protocol.
//
//   node interop.mjs <server> <token> create
//       Creates a document through the server and prints its automerge URL
//       (only once the server has it: a second, fresh connection found it).
//   node interop.mjs <server> <token> read <automerge-url>
//       Prints the document's content as JSON.
//
// <server> is the server's base URL (http://127.0.0.1:8080 or ws://...); the
// client connects to ws://<host>/sync?token=<token>.
//
// Exit codes: 0 ok; 3 the server says the document is unavailable to this
// device; 4 timed out (e.g. no connection: a refused token never connects);
// 1 any other error; 64 bad usage. Diagnostics go to stderr.
//
// Node 20 has no global WebSocket: the adapter uses `ws` through isomorphic-ws.

import { Repo, isValidAutomergeUrl } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";

const EXIT_OK = 0;
const EXIT_ERROR = 1;
const EXIT_UNAVAILABLE = 3;
const EXIT_TIMEOUT = 4;
const EXIT_USAGE = 64;

const TIMEOUT_MS = Number(process.env.INTEROP_TIMEOUT_MS || 20000);

function usage(message) {
  console.error(`interop: ${message}`);
  console.error("usage: node interop.mjs <server> <token> create");
  console.error("       node interop.mjs <server> <token> read <automerge-url>");
  process.exit(EXIT_USAGE);
}

class Unavailable extends Error {}
class TimedOut extends Error {}

function syncUrl(server, token) {
  const url = new URL(server);
  if (url.protocol === "http:") url.protocol = "ws:";
  if (url.protocol === "https:") url.protocol = "wss:";
  url.pathname = "/sync";
  url.search = "";
  url.searchParams.set("token", token);
  return url.toString();
}

// A repo with no storage (nothing is kept on this side) connected to the server.
async function connect(url, deadline) {
  const adapter = new WebSocketClientAdapter(url, 500);
  const repo = new Repo({ network: [adapter], sharePolicy: async () => true });
  // Wait for the server to be a peer: until then a find would say
  // "unavailable" without having asked anyone.
  await withDeadline(
    new Promise((resolve) => {
      if (repo.peers.length > 0) return resolve();
      repo.networkSubsystem.once("peer", () => resolve());
    }),
    deadline,
    `no connection to ${url.replace(/token=[^&]*/, "token=…")}`,
  );
  return repo;
}

async function withDeadline(promise, deadline, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(what)), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function find(repo, automergeUrl, deadline) {
  try {
    const handle = await withDeadline(repo.find(automergeUrl), deadline, `finding ${automergeUrl}`);
    return handle.doc();
  } catch (e) {
    if (e instanceof TimedOut) throw e;
    if (/unavailable/i.test(String(e && e.message))) throw new Unavailable(String(e.message));
    throw e;
  }
}

async function shutdown(repo) {
  try {
    await repo.shutdown();
  } catch {
    // closing is best effort
  }
}

async function create(url, deadline) {
  const repo = await connect(url, deadline);
  const handle = repo.create({
    title: "JS 参考客户端 interop",
    createdBy: "automerge-repo (JavaScript)",
    items: [
      { text: "检查消防通道", done: true },
      { text: "巡查地下车库", done: false },
    ],
  });
  // Make sure the server stored it before saying so: read it back over a
  // second connection that has never seen it.
  let lastError;
  while (Date.now() < deadline) {
    const reader = await connect(url, deadline);
    try {
      const doc = await find(reader, handle.url, Math.min(deadline, Date.now() + 5000));
      if (doc && doc.title) {
        await shutdown(reader);
        await shutdown(repo);
        return handle.url;
      }
    } catch (e) {
      lastError = e;
    }
    await shutdown(reader);
    await new Promise((r) => setTimeout(r, 200));
  }
  await shutdown(repo);
  throw new TimedOut(`the server never returned the new document ${handle.url}: ${lastError}`);
}

async function read(url, automergeUrl, deadline) {
  const repo = await connect(url, deadline);
  try {
    return await find(repo, automergeUrl, deadline);
  } finally {
    await shutdown(repo);
  }
}

async function main() {
  const [server, token, mode, arg] = process.argv.slice(2);
  if (!server || !token || !mode) usage("missing arguments");
  let url;
  try {
    url = syncUrl(server, token);
  } catch {
    usage(`not a URL: ${server}`);
  }
  const deadline = Date.now() + TIMEOUT_MS;
  if (mode === "create") {
    console.log(await create(url, deadline));
  } else if (mode === "read") {
    if (!arg || !isValidAutomergeUrl(arg)) usage(`not an automerge URL: ${arg}`);
    console.log(JSON.stringify(await read(url, arg, deadline)));
  } else {
    usage(`unknown mode ${mode}`);
  }
}

main().then(
  () => process.exit(EXIT_OK),
  (e) => {
    if (e instanceof Unavailable) {
      console.error(`interop: unavailable: ${e.message}`);
      process.exit(EXIT_UNAVAILABLE);
    }
    if (e instanceof TimedOut) {
      console.error(`interop: timed out: ${e.message}`);
      process.exit(EXIT_TIMEOUT);
    }
    console.error(`interop: error: ${e && e.stack ? e.stack : e}`);
    process.exit(EXIT_ERROR);
  },
);
