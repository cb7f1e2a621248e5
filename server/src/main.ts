/**
 * The server process's entry (dist/server.js). On the main thread it is the language server; on a worker
 * thread, started by the workspace scan from this same file, it is the parse worker.
 */
import { isMainThread } from 'node:worker_threads';

if (isMainThread) require('./server');
else require('./sources/parseWorker').runParseWorker();
