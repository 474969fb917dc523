import { SlipwayError } from '../core/model/diagnostics.js';
import { errorText } from './error-text.js';
import { main } from './main.js';

// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv).catch((e: unknown) => {
  if (e instanceof SlipwayError) {
    console.error(errorText(e));
  } else if (e instanceof Error && !process.env.SLIPWAY_DEBUG) {
    // A bad flag value found after parsing (commander's InvalidArgumentError) or a bug: the message, not a stack trace (SLIPWAY_DEBUG=1 shows it).
    console.error(`slipway: error: ${e.message}`);
  } else {
    console.error(`slipway: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  process.exit(1);
});
