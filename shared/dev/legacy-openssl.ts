import { spawn } from 'node:child_process';
import { createCipheriv } from 'node:crypto';

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers through its
 * legacy provider (`node --openssl-legacy-provider`); without it every paginated listing answers 500.
 * This asks OpenSSL itself rather than parsing flags, so NODE_OPTIONS, execArgv and openssl.cnf all count.
 */
export function legacyOpenSslAvailable(): boolean {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return true;
  } catch {
    return false;
  }
}

export const LEGACY_OPENSSL_FLAG = '--openssl-legacy-provider';
const RELAUNCHED = 'DROPFEED_LEGACY_OPENSSL_RELAUNCHED';

/**
 * Runs this same command again in a child node with the legacy provider (and tsx's loader flags, which
 * are in execArgv), so `npm start` works however node was started. Resolves with the child's exit code;
 * the parent only relays signals. Returns null when no relaunch is needed or one was already tried.
 */
export function relaunchWithLegacyOpenSsl(): Promise<number> | null {
  if (legacyOpenSslAvailable() || process.env[RELAUNCHED] === '1') return null;
  const child = spawn(
    process.execPath,
    [...process.execArgv, LEGACY_OPENSSL_FLAG, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, [RELAUNCHED]: '1' },
    },
  );
  // Ctrl-C reaches the child through the terminal's process group: the parent just waits for it to finish
  // cleanly. A signal aimed at the parent alone (kill PID) is passed on.
  const ignore = () => {};
  const passOn = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', ignore);
  process.on('SIGTERM', passOn);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', passOn);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
    child.on('error', (error) => {
      process.stderr.write(
        `dropfeed: could not relaunch node with ${LEGACY_OPENSSL_FLAG}: ${error.message}\n`,
      );
      resolve(1);
    });
  });
}
