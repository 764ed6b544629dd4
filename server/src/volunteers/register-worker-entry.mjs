// Entry of the register-import worker thread. The worker starts without the parent's
// `--import tsx` (and under vitest there is none), so it registers tsx itself, then loads the
// TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./register-worker.ts');
