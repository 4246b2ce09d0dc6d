import { createServer, type Server } from 'node:net';
import type { Duplex } from 'node:stream';

// Test fixture: a unix socket server that answers each chunk with "echo:" and the chunk.

/** Listens on `path`; close the server when done. */
export async function startEchoServer(path: string): Promise<Server> {
  const server = createServer((s) => s.on('data', (d) => s.write(`echo:${d}`)));
  await new Promise<void>((r) => server.listen(path, r));
  return server;
}

/** Sends "ping" on `s` and resolves with the answer; destroys the stream after. */
export async function pingThrough(s: Duplex): Promise<string> {
  const reply = new Promise<string>((r) => s.once('data', (d: Buffer) => r(d.toString())));
  s.write('ping');
  try {
    return await reply;
  } finally {
    s.destroy();
  }
}
