import { afterEach, describe, expect, it } from 'vitest';
import { formatLogRecord, parseLogRecord, tapHandlerLog } from '../../shared/dev/handler-log.ts';
import { createLogger } from '../../shared/log.ts';

/** Lines exactly as the handler's logger (shared/log.ts) writes them. */
function handlerLines(emit: (log: ReturnType<typeof createLogger>) => void): string[] {
  const lines: string[] = [];
  emit(createLogger({ fn: 'ingest' }, { write: (line) => lines.push(line), level: 'debug' }));
  return lines;
}

const format = (line: string) => {
  const record = parseLogRecord(line);
  return record === null ? 'not a log record' : formatLogRecord(record);
};

describe('handler log lines, for people', () => {
  it('one line per processed change', () => {
    const lines = handlerLines((log) => {
      log.info('article reconciled', { key: 'my article.txt', action: 'published' });
      log.info('article reconciled', { key: 'gone.txt', action: 'removed' });
      log.warn('article not published', {
        key: 'empty.txt',
        code: 'empty',
        reason: 'the file is empty',
        published: 'not-published',
      });
      log.info('article reconciled', { key: 'empty.txt', action: 'rejected' });
      log.debug('noise', { key: 'x' });
    });
    expect(lines.map(format)).toEqual([
      'my article.txt → published',
      'gone.txt → removed',
      'empty.txt → rejected: the file is empty [empty]; not published (report: s3://state/reports/empty.txt.json)',
      null,
      null,
    ]);
  });

  it('a rebuild is summed up in one line', () => {
    const [line] = handlerLines((log) =>
      log.info('rebuild done', {
        messageId: 'm',
        articles: 8,
        images: 0,
        ignored: 0,
        actions: { unchanged: 7, published: 1 },
        published: 8,
        orphansDeleted: 0,
        attempts: 1,
      }),
    );
    expect(format(line ?? '')).toBe('rebuild: 8 articles (unchanged 7, published 1), 8 in the feeds');
  });

  it('other lines keep their message and fields, errors by message', () => {
    const [line] = handlerLines((log) =>
      log.error('rebuild failed', { messageId: 'm-1', error: new Error('boom') }),
    );
    expect(format(line ?? '')).toBe('ERROR rebuild failed (error=boom)');
    expect(parseLogRecord('plain text')).toBeNull();
  });
});

describe('stdout tap', () => {
  const originalWrite = process.stdout.write;
  afterEach(() => {
    process.stdout.write = originalWrite;
  });

  it('turns the handler’s JSON lines into sink lines and lets everything else through', () => {
    const passedThrough: string[] = [];
    process.stdout.write = ((chunk: string) => {
      passedThrough.push(chunk);
      return true;
    }) as typeof process.stdout.write;
    const sink: string[] = [];
    const tap = tapHandlerLog('pretty', (line) => sink.push(line));
    for (const line of handlerLines((log) =>
      log.info('article reconciled', { key: 'a.txt', action: 'updated' }),
    )) {
      process.stdout.write(`${line}\n`);
    }
    process.stdout.write('the CLI banner\n');
    process.stdout.write(
      `${JSON.stringify({ level: 'info', message: 'from another function', fn: 'other' })}\n`,
    );
    tap.remove();
    process.stdout.write(`${handlerLines((log) => log.info('after removal'))[0]}\n`);

    expect(sink).toEqual(['a.txt → updated']);
    expect(passedThrough).toHaveLength(3);
    expect(passedThrough[0]).toBe('the CLI banner\n');
    expect(passedThrough[2]).toContain('after removal');
  });
});
