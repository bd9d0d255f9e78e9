import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export interface SlowProxy {
  /** Point a destination's Graph base URL here. */
  url: string;
  /** Delay for matching requests from now on, in milliseconds. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

/**
 * For tests: an HTTP proxy on 127.0.0.1 in front of the Meta emulator that holds
 * matching requests (member uploads, by default) a while, so that a run lasts
 * long enough to be stopped or killed in the middle.
 */
export async function startSlowProxy(
  target: string,
  options: { delayMs: number; match?: RegExp },
): Promise<SlowProxy> {
  const upstream = new URL(target);
  const match = options.match ?? /\/users(replace)?(\?|$)/;
  let delayMs = options.delayMs;
  const server = createServer((incoming, outgoing) => {
    void forward(incoming, outgoing);
  });

  async function forward(incoming: IncomingMessage, outgoing: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    if (match.test(incoming.url ?? '')) await delay(delayMs);

    const { method, url: path, headers } = incoming;
    const proxied = request(
      { host: upstream.hostname, port: upstream.port, method, path, headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    proxied.on('error', () => {
      outgoing.writeHead(502);
      outgoing.end();
    });
    proxied.end(Buffer.concat(chunks));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setDelay: (ms) => {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
