import { describe, expect, it } from 'vitest';
import { type DecodedMessage, decodeFormEncodedKey, decodeSqsEvent } from '../../shared/events/decode.ts';
import { compareSequencers } from '../../shared/events/object-change.ts';
import {
  eventBridgeObjectCreated,
  eventBridgeObjectDeleted,
  s3Notification,
  s3NotificationRecord,
  s3TestEvent,
  snsEnvelope,
} from '../factories/s3-events.ts';
import { sqsEvent, sqsRecord } from '../factories/sqs.ts';

const INBOX = 'dropfeed-inbox';
const firstKey = (changes: DecodedMessage['changes']) => (Array.isArray(changes) ? changes[0]?.key : changes);
const decodeOne = (body: unknown) => {
  const [decoded] = decodeSqsEvent(sqsEvent(sqsRecord(body)), { inboxBucket: INBOX });
  if (!decoded) throw new Error('no message decoded');
  return decoded;
};

describe('decodeSqsEvent: EventBridge events', () => {
  it('turns Object Created into an upsert carrying the sequencer when the key has nothing to decode', () => {
    const decoded = decodeOne(
      eventBridgeObjectCreated({
        bucket: INBOX,
        key: 'news/a b.txt',
        sequencer: '0064D3901D0005924',
        versionId: 'v1',
      }),
    );
    expect(decoded.error).toBeUndefined();
    expect(decoded.changes).toEqual([
      {
        key: 'news/a b.txt',
        kind: 'upsert',
        sequencer: '0064D3901D0005924',
        versionId: 'v1',
        eTag: 'b1946ac92492d2347c6235b4d2611184',
        eventTime: '2025-07-04T10:00:00Z',
      },
    ]);
  });

  it('reconciles both readings of a key that may be form-encoded, with no sequencer on either', () => {
    const decoded = decodeOne(
      eventBridgeObjectCreated({ bucket: INBOX, key: 'news/a+b%2Bc.txt', sequencer: '0064D3901D0005924' }),
    );
    expect(decoded.error).toBeUndefined();
    expect(decoded.changes).toEqual([
      {
        key: 'news/a+b%2Bc.txt',
        kind: 'upsert',
        eTag: 'b1946ac92492d2347c6235b4d2611184',
        eventTime: '2025-07-04T10:00:00Z',
      },
      {
        key: 'news/a b+c.txt',
        kind: 'upsert',
        eTag: 'b1946ac92492d2347c6235b4d2611184',
        eventTime: '2025-07-04T10:00:00Z',
      },
    ]);
  });

  it('keeps a key whose percent signs are not an encoding as the only candidate', () => {
    const decoded = decodeOne(eventBridgeObjectCreated({ bucket: INBOX, key: '100%.txt', sequencer: '01' }));
    expect(decoded.changes).toEqual([expect.objectContaining({ key: '100%.txt', sequencer: '01' })]);
  });

  it('turns Object Deleted (also a delete marker) into a remove', () => {
    for (const deletionType of ['Permanently Deleted', 'Delete Marker Created'] as const) {
      const decoded = decodeOne(
        eventBridgeObjectDeleted({ bucket: INBOX, key: 'x.txt', sequencer: '01', deletionType }),
      );
      expect(decoded.changes).toEqual([
        { key: 'x.txt', kind: 'remove', sequencer: '01', eventTime: '2025-07-04T10:00:00Z' },
      ]);
    }
  });

  it('ignores events about another bucket', () => {
    const decoded = decodeOne(
      eventBridgeObjectCreated({ bucket: 'dropfeed-site', key: 'feed.xml', sequencer: '01' }),
    );
    expect(decoded.changes).toBe('ignore');
    expect(decoded.error).toBeUndefined();
    expect(decoded.note).toMatch(/dropfeed-site/);
  });
});

describe('decodeSqsEvent: S3 notification records', () => {
  it.each([
    ['a key with spaces.txt'],
    ['plus+sign.txt'],
    ['percent 100%.txt'],
    ['Café Opening.TXT'],
    ['日本/ニュース 1.md'],
    ['emoji 🎉+%20.txt'],
  ])('form-decodes %s back to the real key', (key) => {
    const decoded = decodeOne(
      s3Notification(
        s3NotificationRecord({ bucket: INBOX, key, sequencer: '0A', eventName: 'ObjectCreated:Put' }),
      ),
    );
    expect(decoded.changes).not.toBe('ignore');
    expect(firstKey(decoded.changes)).toBe(key);
  });

  it('maps created, removed and delete-marker records, several per message, and skips other event types', () => {
    const decoded = decodeOne(
      s3Notification(
        s3NotificationRecord({
          bucket: INBOX,
          key: 'a.txt',
          sequencer: '01',
          eventName: 'ObjectCreated:Put',
        }),
        s3NotificationRecord({
          bucket: INBOX,
          key: 'b.txt',
          sequencer: '02',
          eventName: 'ObjectRemoved:Delete',
        }),
        s3NotificationRecord({
          bucket: INBOX,
          key: 'c.txt',
          sequencer: '03',
          eventName: 'ObjectRemoved:DeleteMarkerCreated',
          versionId: 'dm1',
        }),
        s3NotificationRecord({
          bucket: INBOX,
          key: 'd.txt',
          sequencer: '04',
          eventName: 'ObjectTagging:Put',
        }),
      ),
    );
    expect(decoded.changes).toEqual([
      {
        key: 'a.txt',
        kind: 'upsert',
        sequencer: '01',
        eTag: 'b1946ac92492d2347c6235b4d2611184',
        eventTime: '2025-07-04T10:00:00.000Z',
      },
      { key: 'b.txt', kind: 'remove', sequencer: '02', eventTime: '2025-07-04T10:00:00.000Z' },
      {
        key: 'c.txt',
        kind: 'remove',
        sequencer: '03',
        versionId: 'dm1',
        eventTime: '2025-07-04T10:00:00.000Z',
      },
    ]);
  });

  it('unwraps an SNS envelope', () => {
    const decoded = decodeOne(
      snsEnvelope(
        s3Notification(
          s3NotificationRecord({
            bucket: INBOX,
            key: 'a b.txt',
            sequencer: '01',
            eventName: 'ObjectCreated:Put',
          }),
        ),
      ),
    );
    expect(firstKey(decoded.changes)).toBe('a b.txt');
  });

  it('rejects a malformed percent escape as poison', () => {
    expect(() => decodeFormEncodedKey('bad%E0%A4%A.txt')).toThrow(/not valid form encoding/);
    const body = JSON.stringify({
      Records: [
        { eventName: 'ObjectCreated:Put', s3: { bucket: { name: INBOX }, object: { key: '%E0%A4%A' } } },
      ],
    });
    expect(decodeOne(body).error).toMatch(/not valid form encoding/);
  });
});

describe('decodeSqsEvent: other messages', () => {
  it('acknowledges the s3:TestEvent without failing', () => {
    const decoded = decodeOne(s3TestEvent(INBOX));
    expect(decoded).toMatchObject({ changes: 'ignore' });
    expect(decoded.error).toBeUndefined();
  });

  it('recognises a rebuild request', () => {
    expect(decodeOne({ dropfeed: 'rebuild' }).changes).toBe('rebuild');
  });

  it('fails only the malformed message of a batch, naming why', () => {
    const good = sqsRecord(eventBridgeObjectCreated({ bucket: INBOX, key: 'a.txt', sequencer: '01' }));
    const notJson = sqsRecord('{"Records": [');
    const unknown = sqsRecord({ hello: 'world' });
    const decoded = decodeSqsEvent(sqsEvent(good, notJson, unknown), { inboxBucket: INBOX });
    expect(decoded.map((d) => d.messageId)).toEqual([good.messageId, notJson.messageId, unknown.messageId]);
    expect(decoded[0]?.error).toBeUndefined();
    expect(decoded[1]?.error).toMatch(/not JSON/);
    expect(decoded[2]?.error).toMatch(/unrecognised message/);
  });

  it('keeps a FIFO record and its attributes intact (fixtures are frozen)', () => {
    const record = sqsRecord({ dropfeed: 'rebuild' }, { groupId: 'inbox' });
    expect(record.attributes.MessageGroupId).toBe('inbox');
    expect(Object.isFrozen(record.attributes)).toBe(true);
  });
});

describe('compareSequencers', () => {
  it('orders after right-padding the shorter with zeros', () => {
    expect(compareSequencers('0A', '0A00')).toBe(0);
    expect(compareSequencers('0A', '0A01')).toBeLessThan(0);
    expect(compareSequencers('0B', '0A99')).toBeGreaterThan(0);
    expect(compareSequencers('0064d39', '0064D39')).toBe(0);
  });
});
