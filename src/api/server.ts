import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyError, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { ErrorCode, OneError } from '../domain/errors.js';
import { decodeCall, encodeFault, encodeResponse, encodeResponseParts, MalformedXmlRpcError } from './xmlrpc/codec.js';
import { FaultCode } from './xmlrpc/fault-codes.js';
import { failureResponse, successResponse } from './xmlrpc/one-response.js';
import type { XmlRpcValue } from './xmlrpc/values.js';

/** What a method handler knows about the call besides its parameters. */
export interface CallContext {
  remoteAddress: string;
  /** Set by the handler once it has authenticated the session, so the request log names the user. */
  uid?: number;
  /** This call's number, as OpenNebula's request id (history REQUEST_ID, lock REQ_ID, log lines). */
  reqId: number;
}

/**
 * A method handler returns the *value* of a successful call (an id, an XML document, ...) or throws a
 * OneError; the server wraps either into OpenNebula's response array (`[true, value, 0]` or
 * `[false, message, code, object id, 0]`). Handlers never build that array themselves. Any other
 * exception is a bug: it is logged with its stack and answered as an INTERNAL failure.
 */
export type MethodHandler = (params: XmlRpcValue[], ctx: CallContext) => Promise<XmlRpcValue> | XmlRpcValue;

/** Method name (`one.vm.info`) to handler. */
export type MethodTable = Record<string, MethodHandler>;

export interface ApiServerOptions {
  host: string;
  port: number;
  /** Largest request body accepted, in bytes (OpenNebula's MESSAGE_SIZE). */
  maxBodyBytes: number;
  methods: MethodTable;
  logger: Logger;
}

export interface ApiServer {
  close(): Promise<void>;
  /** Where the server listens (the real port when 0 was asked for). */
  address: { host: string; port: number };
}

const XML_TYPE = 'text/xml; charset=utf-8';

/** Outcome of one call, for the request log line. */
interface Outcome {
  body: string | Buffer[];
  outcome: 'ok' | 'failure' | 'fault' | 'internal';
  code?: number;
  method?: string;
}

function fault(code: number, message: string, method?: string): Outcome {
  return { body: encodeFault(code, message), outcome: 'fault', code, method };
}

async function runCall(xml: string, methods: MethodTable, ctx: CallContext, log: Logger): Promise<Outcome> {
  let call: { method: string; params: XmlRpcValue[] };
  try {
    call = decodeCall(xml);
  } catch (e) {
    if (!(e instanceof MalformedXmlRpcError)) throw e;
    const code = e.wellFormed ? FaultCode.INVALID_REQUEST : FaultCode.PARSE_ERROR;
    return fault(code, `The request is not a valid XML-RPC call: ${e.message}`);
  }
  const { method, params } = call;
  const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
  if (!handler) {
    return fault(FaultCode.METHOD_NOT_FOUND, `Method '${method}' is not defined; check its name (e.g. one.vm.info)`, method);
  }
  try {
    const value = await handler(params, ctx);
    return { body: encodeResponseParts(successResponse(value)), outcome: 'ok', method };
  } catch (e) {
    if (e instanceof OneError) {
      return { body: encodeResponse(failureResponse(e)), outcome: 'failure', code: e.code, method };
    }
    log.error({ err: e, method }, 'method handler failed');
    const err = new OneError(
      ErrorCode.INTERNAL,
      `[${method}] Internal error: ${(e as Error)?.message ?? String(e)}. The oned log has the details.`,
    );
    return { body: encodeResponse(failureResponse(err)), outcome: 'internal', code: err.code, method };
  }
}

function sendXml(reply: FastifyReply, body: string | Buffer[]): FastifyReply {
  // faults too are HTTP 200, as xmlrpc-c answers them
  reply.code(200).type(XML_TYPE);
  if (typeof body === 'string') return reply.send(body);
  // a pool answer is many remembered parts: streamed as they are, with its length announced
  reply.header('content-length', body.reduce((n, b) => n + b.length, 0));
  return reply.send(Readable.from(body, { objectMode: false }));
}

/** Starts the XML-RPC endpoint (POST /RPC2) and resolves once it listens. */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const { methods, logger, maxBodyBytes } = opts;
  let requests = 0;
  const app = Fastify({
    loggerInstance: logger,
    // the handler below writes one line per call, with the method name and outcome
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: maxBodyBytes,
    // oned's KEEPALIVE_TIMEOUT: clients such as the Ruby CLI reuse one connection for many calls
    keepAliveTimeout: 15_000,
  });

  // XML-RPC clients send text/xml, but some send nothing or something else: always read raw text
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      req.log.warn({ remote: req.ip, limit: maxBodyBytes }, 'xml-rpc request too large');
      const message = `The request is larger than the server's limit of ${maxBodyBytes} bytes; send a smaller call or raise the limit`;
      return sendXml(reply, encodeFault(FaultCode.INVALID_REQUEST, message));
    }
    req.log.error({ err, remote: req.ip }, 'xml-rpc request failed');
    return reply.code(err.statusCode ?? 500).type('text/plain').send(`${err.message}\n`);
  });

  app.get('/', (_req, reply) => {
    reply.type('text/plain').send('This is the Nimbus XML-RPC endpoint: POST OpenNebula XML-RPC calls to /RPC2\n');
  });

  app.post('/RPC2', async (req, reply) => {
    const started = process.hrtime.bigint();
    const ctx: CallContext = { remoteAddress: req.ip, reqId: ++requests };
    const xml = typeof req.body === 'string' ? req.body : '';
    const result = await runCall(xml, methods, ctx, logger);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const line = { req: ctx.reqId, method: result.method, remote: ctx.remoteAddress, uid: ctx.uid, ms: Math.round(ms * 10) / 10, outcome: result.outcome, code: result.code };
    if (result.outcome === 'ok' || result.outcome === 'failure') logger.info(line, 'xml-rpc call');
    else logger.warn(line, 'xml-rpc call');
    return sendXml(reply, result.body);
  });

  await app.listen({ host: opts.host, port: opts.port });
  const addr = app.server.address() as AddressInfo;
  return {
    address: { host: addr.address, port: addr.port },
    close: () => app.close(),
  };
}
