/**
 * Does a step again at once when it fails, up to `attempts` times in all. Only for steps that are
 * idempotent, which every step of the pipeline is: doing one again is what a redelivery of the message
 * would do, minus the cost. A failed message goes back to the queue and comes again behind later ones (or
 * after its dead-lettering), so a transient error would otherwise reorder changes, and the order of
 * changes is remembered by the window (its slack depends on the order of joins, trims and refills) and by
 * the `updated` time of an edit (the upload time of the version first read). What keeps failing still
 * fails, and the queue takes it.
 */
export async function withRetries<T>(step: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= attempts) throw error;
      // Jittered, growing: a throttled or briefly unreachable bucket gets a moment.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * attempt));
    }
  }
}
