import { SlipwayError, formatLocation } from '../core/model/diagnostics.js';
import { main } from './main.js';

main(process.argv).catch((e: unknown) => {
  if (e instanceof SlipwayError) {
    const where = e.location ? `${formatLocation(e.location)}: ` : '';
    console.error(`slipway: error: ${where}${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`);
  } else {
    console.error(`slipway: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  process.exit(1);
});
