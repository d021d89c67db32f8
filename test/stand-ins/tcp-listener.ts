import { createServer, type Server, type Socket } from 'node:net';

/** A TCP listener on every loopback address (127.0.0.1, ::1, 0.0.0.0) that counts connections. */
export interface Listener {
  readonly port: number;
  readonly sockets: Socket[];
  close(): Promise<void>;
}

/** Proves whether anything connected: each socket is kept, and `onConnection` decides its fate. */
export async function listenTcp(onConnection: (socket: Socket) => void = () => undefined): Promise<Listener> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  // '::' takes IPv4 too (dual stack), so 127.0.0.1, [::1] and 0.0.0.0 all arrive here.
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  return {
    port: (server.address() as { port: number }).port,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
