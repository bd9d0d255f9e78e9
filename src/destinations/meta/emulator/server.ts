import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallContext, json, type Reply } from './context.ts';
import { GraphError } from './errors.ts';
import { readGraphRequest, type GraphRequest } from './request.ts';
import { route } from './router.ts';
import { inspectionRoute } from './routes/inspection.ts';
import type { EmulatorState } from './state.ts';

/** Starts listening and resolves with the base URL, e.g. `http://127.0.0.1:40123`. */
export async function listen(state: EmulatorState): Promise<{ server: Server; url: string }> {
  const server = createServer((incoming, outgoing) => {
    handle(state, incoming, outgoing).catch((error: unknown) => {
      state.config.log?.error({ err: error }, 'meta emulator could not answer a request');
      if (!outgoing.headersSent) outgoing.writeHead(500);
      outgoing.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(state.config.port, state.config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const host = state.config.host.includes(':') ? `[${state.config.host}]` : state.config.host;
  return { server, url: `http://${host}:${port}` };
}

/** Stops accepting calls and drops idle keep-alive connections so close() does not hang. */
export async function stop(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
  server.closeAllConnections();
  await closed;
}

async function handle(
  state: EmulatorState,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  const started = performance.now();
  let reply: Reply;
  try {
    const request = await readGraphRequest(incoming);
    reply = isInspection(request) ? inspectionRoute(state, request) : answer(state, request);
  } catch (error) {
    reply = errorReply(state, error, {});
  }

  outgoing.writeHead(reply.status, reply.headers);
  outgoing.end(reply.body);
  // The path only: tokens travel in the query and must not reach the log.
  const path = new URL(incoming.url ?? '/', 'http://emulator.invalid').pathname;
  const ms = Math.round(performance.now() - started);
  const line = { method: incoming.method, path, status: reply.status, ms };
  state.config.log?.debug(line, 'meta emulator request');
}

function isInspection(request: GraphRequest): boolean {
  return request.version === null && request.segments[0] === '_emulator';
}

/** A logged Graph call: injected failures first, then the route, then failures planned after. */
function answer(state: EmulatorState, request: GraphRequest): Reply {
  const entry = state.requestLog.record(request);
  const ctx = new CallContext(state, request);
  const path = `/${request.segments.join('/')}`;

  let reply: Reply;
  const before = state.faults.take(request.method, path, 'before');
  if (before) {
    reply = errorReply(state, before, ctx.headers);
  } else {
    try {
      const routed = route(ctx);
      reply = { ...routed, headers: { ...ctx.headers, ...routed.headers } };
    } catch (error) {
      reply = errorReply(state, error, ctx.headers);
    }
    const after = state.faults.take(request.method, path, 'after');
    if (after) reply = errorReply(state, after, ctx.headers);
  }

  entry.status = reply.status;
  return reply;
}

function errorReply(state: EmulatorState, error: unknown, headers: Record<string, string>): Reply {
  let graphError: GraphError;
  if (error instanceof GraphError) {
    graphError = error;
  } else {
    state.config.log?.error({ err: error }, 'meta emulator handler failed');
    const message = `An unknown error occurred in the emulator: ${(error as Error).message}`;
    graphError = new GraphError({ code: 1, message });
  }

  const reply = json(graphError.toBody(state.nextTraceId()), graphError.status);
  Object.assign(reply.headers, headers);
  const { wwwAuthenticate } = graphError.init;
  if (wwwAuthenticate) reply.headers['www-authenticate'] = wwwAuthenticate;
  return reply;
}
