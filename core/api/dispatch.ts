/**
 * The one path from a transport to a handler: find the command by its wire name, validate the
 * request with the command's schema, run the handler, validate the result, and turn any failure
 * into the EngineErrorInfo fields. Electron IPC and the HTTP server both call this and nothing
 * else, so the two transports cannot drift apart.
 */
import { SlipwayError } from '../model/diagnostics.js';
import { INVALID_REQUEST, UNKNOWN_COMMAND } from './channels.js';
import { commandForChannel, commands, describeIssues, type CommandHandlers, type CommandId, type EngineErrorInfo, type Reply } from './contract.js';

/** Any thrown value as the fields that cross the boundary. */
export function toEngineError(err: unknown): EngineErrorInfo {
  if (err instanceof SlipwayError) {
    return {
      code: err.code,
      message: err.message,
      ...(err.hint && { hint: err.hint }),
      ...(err.location && { location: { ...err.location } }),
      ...(err.snippet && { snippet: { startLine: err.snippet.startLine, lines: [...err.snippet.lines] } }),
      ...(err.output && { output: err.output }),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: message || 'unexpected failure in the engine', hint: 'this is a bug in Slipway: the engine log has details' };
}

export async function dispatch(handlers: CommandHandlers, channel: string, raw: unknown): Promise<Reply<unknown>> {
  const id = commandForChannel(channel);
  if (!id) return { ok: false, error: { code: UNKNOWN_COMMAND, message: `unknown command: ${channel}` } };
  return dispatchCommand(handlers, id, raw);
}

export async function dispatchCommand(handlers: CommandHandlers, id: CommandId, raw: unknown): Promise<Reply<unknown>> {
  const command = commands[id];
  const request = command.request.safeParse(raw ?? {});
  if (!request.success) return { ok: false, error: { code: INVALID_REQUEST, message: `invalid ${command.channel} request: ${describeIssues(request.error)}` } };
  let value: unknown;
  try {
    value = await (handlers[id] as (r: unknown) => Promise<unknown>)(request.data);
  } catch (err) {
    if (toEngineError(err).code === 'internal') console.error(`slipway engine: ${command.channel} failed:`, err);
    return { ok: false, error: toEngineError(err) };
  }
  const result = command.result.safeParse(value);
  if (!result.success) {
    console.error(`slipway engine: ${command.channel} returned a result that does not match the contract: ${describeIssues(result.error)}`);
    return { ok: false, error: { code: 'internal', message: `the engine's ${command.channel} result does not match the contract: ${describeIssues(result.error)}`, hint: 'this is a bug in Slipway' } };
  }
  return { ok: true, value: result.data };
}
