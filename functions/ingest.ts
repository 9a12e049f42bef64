import { createHandler } from './ingest-handler.ts';

export { createHandler, type IngestHandler } from './ingest-handler.ts';

/** The Lambda entry point. Module scope: logger and pipeline are built once per container and reused. */
export const handler = createHandler();
