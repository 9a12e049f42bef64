/** `dropfeed <command>`: dispatches to one module per command, loaded only when used. */
const COMMANDS: Record<
  string,
  { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }
> = {
  parse: {
    summary: 'check articles before dropping them: dropfeed parse FILE... [--json]',
    load: () => import('./parse.ts'),
  },
  build: {
    summary: 'build the whole site from a folder: dropfeed build INBOX_DIR --out SITE_DIR',
    load: () => import('./build.ts'),
  },
  dev: { summary: 'run the pipeline on an embedded S3 server (npm start)', load: () => import('./dev.ts') },
  rebuild: { summary: 're-derive the whole site from an S3 inbox', load: () => import('./rebuild.ts') },
};

export const USAGE = `usage: dropfeed <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join('\n')}

Run 'dropfeed <command> --help' for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`dropfeed: unknown command '${name}'\n${USAGE}\n`);
    return 2;
  }
  const module = await command.load();
  return module.run(rest);
}
