import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // s3rver paginates ListObjectsV2 with DES, which OpenSSL 3 refuses without the legacy provider.
    execArgv: ['--openssl-legacy-provider'],
    env: {
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    },
  },
});
