/** Every request handler runs through here: errors are logged, never thrown into the client. */
import { CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';

export type Log = (message: string) => void;

/** Runs a synchronous handler; on an unexpected error logs it and returns the neutral value. */
export function runSafe<T>(log: Log, name: string, neutral: T, token: CancellationToken | undefined, fn: () => T): T | ResponseError<void> {
  if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  try {
    return fn();
  } catch (e) {
    // A refusal meant for the user (e.g. an invalid new name) goes back as the request's error.
    if (e instanceof ResponseError) return e as ResponseError<void>;
    log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return neutral;
  }
}
