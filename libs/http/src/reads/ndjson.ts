import { StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';

/** Objects -> newline-delimited JSON, streamed (an export of the whole log never sits in memory). */
export const ndjson = (objects: Readable | AsyncIterable<unknown>, filename?: string): StreamableFile => {
  const lines = Readable.from(
    (async function* () {
      for await (const object of objects) yield `${JSON.stringify(object)}\n`;
    })(),
  );
  return new StreamableFile(lines, {
    type: 'application/x-ndjson',
    ...(filename ? { disposition: `attachment; filename="${filename}"` } : {}),
  });
};
