/**
 * S3 puts object keys into its *notification* records (`Records[].s3.object.key`, sent to SQS, SNS and
 * Lambda) form-encoded (`application/x-www-form-urlencoded`, as Java's URLEncoder does): letters, digits
 * and `* - . _` stay, a space becomes `+`, every other byte of the UTF-8 key becomes `%XX`, so
 * `red flower+1.jpg` arrives as `red+flower%2B1.jpg`. s3rver hands out raw keys, so the dev runtime
 * re-encodes them here and the handler's decoding runs on the strings AWS would send.
 *
 * EventBridge's `detail.object.key` is another envelope and carries the key as it is (see
 * `eventbridge-event.ts`).
 */
export function formEncodeS3Key(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
