import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy between a client and a server (the agent and its broker), for cutting the
 * network under a live connection: `cut()` drops every connection at once — the broker
 * sees its client vanish without a DISCONNECT and publishes its last will (MQTT 3.1.1
 * §3.1.2.5) — `refuse()` closes new connections as they come, `accept()` lets them
 * through again. The client only ever knows the proxy's address.
 */
export async function startTcpProxy(target: { host?: string; port: number }) {
  const open = new Set<Socket>();
  let accepting = true;
  let connections = 0;
  const server = createServer((client) => {
    if (!accepting) {
      client.destroy();
      return;
    }
    connections++;
    const upstream = createConnection({ host: target.host ?? '127.0.0.1', port: target.port });
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      // Either side failing ends the pair; the error itself is the test's cut.
      socket.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the proxy has no port');
  const cut = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    port: address.port,
    url: `mqtt://127.0.0.1:${address.port}`,
    /** Drops every connection through the proxy now (both sides see it closed). */
    cut,
    /** New connections are closed as soon as they arrive, until `accept()`. */
    refuse: () => {
      accepting = false;
    },
    accept: () => {
      accepting = true;
    },
    /** Connections let through so far (each reconnect counts). */
    connections: () => connections,
    close: async () => {
      accepting = false;
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type TcpProxy = Awaited<ReturnType<typeof startTcpProxy>>;
