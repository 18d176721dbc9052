/**
 * Worker-thread entry of the embedded reference target: the reference loads, generates its keys and
 * answers requests in a thread of its own, beside the run's orchestration in the main thread.
 * Messages: to the parent `{ target }` once started (or `{ error }`), `{ stopped: true }` after a
 * `'stop'` message.
 */
import { parentPort } from 'node:worker_threads';
import { startEmbeddedTarget } from './embedded-target.js';

const port = parentPort;
if (!port) throw new Error('embedded-target-thread runs as a worker thread');
try {
  const embedded = await startEmbeddedTarget();
  port.once('message', () => {
    void embedded.stop().finally(() => port.postMessage({ stopped: true }));
  });
  port.postMessage({ target: embedded.target });
} catch (error) {
  port.postMessage({ error: (error as Error).message });
}
