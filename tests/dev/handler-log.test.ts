import { describe, expect, it } from 'vitest';
import { formatLogRecord, handlerLogWriter, parseLogRecord } from '../../shared/dev/handler-log.ts';
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

describe('handler log writer', () => {
  const reconciled = handlerLines((log) =>
    log.info('article reconciled', { key: 'a.txt', action: 'updated' }),
  );

  it('pretty: the handler’s JSON lines become sink lines; nothing reaches the raw output', () => {
    const sink: string[] = [];
    const raw: string[] = [];
    const write = handlerLogWriter(
      'pretty',
      (line) => sink.push(line),
      (line) => raw.push(line),
    );
    for (const line of [...reconciled, ...handlerLines((log) => log.debug('noise'))]) write(line);
    expect(sink).toEqual(['a.txt → updated']);
    expect(raw).toEqual([]);
  });

  it('json passes the lines on untouched; quiet drops them', () => {
    const sink: string[] = [];
    const raw: string[] = [];
    for (const line of reconciled) {
      handlerLogWriter(
        'json',
        (l) => sink.push(l),
        (l) => raw.push(l),
      )(line);
      handlerLogWriter(
        'quiet',
        (l) => sink.push(l),
        (l) => raw.push(l),
      )(line);
    }
    expect(raw).toEqual(reconciled);
    expect(sink).toEqual([]);
  });
});
