// The @repoguard/cli package's entry (npm run pack:cli bundles it): `repoguard check` alone, as
// CI runs it without the server. The other commands need the database and Temporal, so the
// package leaves them, and everything they import, out.
import { CHECK_COMMAND } from './commands/check.command';
import { dispatch } from './dispatch';
import { runAsProcess } from './process-main';

runAsProcess((argv, io) => dispatch([CHECK_COMMAND], argv, io, process.env), { exitWhenAnswered: true });
