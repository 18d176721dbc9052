import type { Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';

/** Listens on `bind`:`port` (0: any free port); resolves with the port it got. */
export function listenOn(server: Server, bind: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bind, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Stops listening and ends the open connections too, so closing never waits on a kept-alive one. */
export function closeServer(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
